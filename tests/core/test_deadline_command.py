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
        # Strict by contract: a year not verified (here not even drafted) is refused without --provisional.
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


def test_a_draft_year_is_refused_without_provisional(base_data, administrator, capsys):
    from core.services.calendar import calendar_add_year_draft

    calendar_add_year_draft(year=2027, actor=administrator)
    code, out, err = run(capsys, "2026-12-20", "15")
    assert (code, out) == (2, "")
    assert "2027年工作日历尚未核对：该年度仍为草稿" in err


def test_provisional_prints_the_draft_date_and_says_so_on_stderr(base_data, capsys):
    code, out, err = run(capsys, "2026-12-30", "3", "--kind", "working", "--provisional")
    assert (code, out) == (0, "2027-01-05\n")
    assert err.startswith("暂定：2027年工作日历尚未核对")


def test_provisional_within_verified_years_is_silent(base_data, capsys):
    assert run(capsys, "2025-09-30", "5", "--kind", "working", "--provisional") == (0, "2025-10-14\n", "")


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
