"""`make bench` measures the same on any date: "today" is the seed date (docs/performance.md「基准的日期」), and
the in-process measurements run on a database seeded at the end of a year whose next year has no official
calendar."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from laizhou_xiaobao.bench import REGISTRY
from laizhou_xiaobao.bench.runner import discover, run_all
from laizhou_xiaobao.bench.today import BENCH_TODAY_ENV, pinned, seed_date

# One seeding serves both tests: they run on one xdist worker, one after the other (`--dist loadgroup`).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("bench_dates")]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SEEDED = dt.datetime(2027, 12, 31, 16, 0, tzinfo=SHANGHAI)  # year end; 2028 has no official calendar
MEASURED = dt.datetime(2029, 2, 28, 23, 30, tzinfo=SHANGHAI)  # long after, on the eve of 1 March


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for the module, in a transaction rolled back after its last test (each test's own changes
    are rolled back to a savepoint inside it)."""
    folder = tmp_path_factory.mktemp("private")
    files = override_settings(PRIVATE_FILES_ROOT=folder, MEDIA_ROOT=folder)
    with django_db_blocker.unblock(), files, transaction.atomic():
        with time_machine.travel(SEEDED, tick=False):
            call_command("seed_demo", "--cases", "30", "--force", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_the_seed_date_is_read_from_the_data_and_pinned(seeded, monkeypatch):
    monkeypatch.delenv(BENCH_TODAY_ENV, raising=False)
    with time_machine.travel(MEASURED, tick=False):
        assert timezone.localdate() == MEASURED.date()
        day = seed_date()
        assert day == SEEDED.date()
        with pinned(day):
            assert timezone.localdate() == SEEDED.date()
            import os

            assert os.environ[BENCH_TODAY_ENV] == "2027-12-31"
        assert timezone.localdate() == MEASURED.date()
    assert BENCH_TODAY_ENV not in __import__("os").environ


def test_every_in_process_measurement_runs_at_the_seed_date(seeded):
    discover()
    out = io.StringIO()
    with time_machine.travel(MEASURED, tick=False), pinned(seed_date()):
        # Every measurement once, on a few rows: what is checked is the date they run at, not their speed (the
        # bundle measurement with two small attachments instead of thirty photos and scans).
        options = {
            "export_rows": 20,
            "import_rows": 30,
            "list_rows": 12,
            "max_repeat": 1,
            "no_memory": True,
            "bundle_attachments": 2,
            "bundle_scale": 0.05,
        }
        # As `make bench` runs them, with the production settings: a plain http request would be redirected.
        with override_settings(SECURE_SSL_REDIRECT=True):
            results = run_all(None, options, out)
    assert results, out.getvalue()
    assert all(result.median_ms >= 0 for result in results)
    # The pages first, then the work a Celery worker does in production (what it leaves must not slow the pages).
    jobs = [REGISTRY[result.name].job for result in results]
    assert jobs == sorted(jobs) and any(jobs) and not all(jobs)
