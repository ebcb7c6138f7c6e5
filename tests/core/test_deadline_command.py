import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.helpers import database_url


def run(capsys, *args):
    try:
        call_command("deadline", *args)
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2025-09-30", "5", "--kind", "working"), "2025-10-14"),
        (("2025-09-16", "15", "--kind", "calendar"), "2025-10-09"),
        (("2025-09-16", "15"), "2025-10-09"),
        (("2026-02-13", "2", "--kind", "working"), "2026-02-24"),
    ],
)
def test_prints_only_the_date(base_data, capsys, args, expected):
    code, out, err = run(capsys, *args)
    assert (code, out, err) == (0, expected + "\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-12-20", "15"), "2027年工作日历尚未维护"),
        (("2025-13-01", "15"), "起算日格式不正确"),
        (("2025-09-30", "-3"), "期限天数必须是正整数"),
        (("2025-09-30", "abc"), "期限天数必须是正整数"),
        (("2025-09-30", "5", "--kind", "weekly"), "计算方式只能是"),
    ],
)
def test_bad_input_exits_2_with_chinese_message_on_stderr(base_data, capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert message in err


@pytest.mark.django_db(transaction=True)
def test_runs_as_a_real_process(live_base_data):
    """The operator's view: a separate process prints the date and nothing else."""
    result = subprocess.run(
        [sys.executable, "manage.py", "deadline", "2025-09-30", "5", "--kind", "working"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DATABASE_URL": database_url()},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "2025-10-14\n"
