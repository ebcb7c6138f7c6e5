"""`--dist loadgroup` keeps each `xdist_group` on one worker (tests/xdist_groups.py; README「开发与测试」)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Two groups of four tests and eight ungrouped ones; each test writes down which worker ran it.
SUITE = """
import os

import pytest


def _record(name):
    with open(os.path.join(os.environ["WORKER_LOG"], name), "w") as log:
        log.write(os.environ["PYTEST_XDIST_WORKER"])


@pytest.mark.xdist_group("first")
@pytest.mark.parametrize("n", range(4))
def test_first(n):
    _record(f"first-{n}")


@pytest.mark.xdist_group(name="second")
@pytest.mark.parametrize("n", range(4))
def test_second(n):
    _record(f"second-{n}")


@pytest.mark.parametrize("n", range(8))
def test_loose(n):
    _record(f"loose-{n}")
"""


def test_each_group_runs_on_one_worker(tmp_path):
    (tmp_path / "suite").mkdir()
    (tmp_path / "suite" / "test_grouped.py").write_text(SUITE, encoding="utf-8")
    log = tmp_path / "log"
    log.mkdir()
    env = {**os.environ, "WORKER_LOG": str(log), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-p", "tests.xdist_groups"]
    command += ["-p", "no:django", "-p", "no:cacheprovider", "-q", "suite"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stdout + done.stderr
    workers = {path.name: path.read_text() for path in log.iterdir()}
    assert len(workers) == 16
    assert len({workers[f"first-{n}"] for n in range(4)}) == 1
    assert len({workers[f"second-{n}"] for n in range(4)}) == 1
    assert set(workers.values()) == {"gw0", "gw1"}  # the rest still spread over both workers
