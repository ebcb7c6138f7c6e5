"""A worker killed (SIGKILL) in the middle of a ledger export: the message goes back to the queue, a new worker
finishes the export exactly once, and no half-written file is ever served."""

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from complaints.models import LedgerExport
from core.exporters import HEADER_ROW
from core.models import AuditEntry, BackgroundJob
from tests.factories import make_case
from tests.helpers import database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CASES = 40


def start_worker(name: str, files: Path, log: Path, **env) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laizhou_xiaobao.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND or settings.CELERY_BROKER_URL,
        "PRIVATE_FILES_ROOT": str(files),
        "WORKER_NAME": name,
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.resilience.worker_harness"],
        cwd=ROOT,
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, killed whole
    )


def kill(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def wait_for(condition, timeout: float, worker: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.poll() is None, f"the worker died on its own:\n{log.read_text()[-3000:]}"
        time.sleep(0.2)
    raise AssertionError(f"timed out; worker log:\n{log.read_text()[-3000:]}")


def test_worker_killed_mid_export_the_next_worker_finishes_it_once(client_for, clerk_a, orgs, settings, tmp_path):
    from laizhou_xiaobao.celery import app

    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost  # the message survives its worker
    files = tmp_path / "files"
    settings.PRIVATE_FILES_ROOT = settings.MEDIA_ROOT = files
    settings.LEDGER_EXPORT_ASYNC_ROWS = 1
    for day in range(CASES):
        make_case(org=orgs["laizhou"], owner=clerk_a, received_on=dt.date(2026, 1, 5) + dt.timedelta(days=day))
    marker, log = tmp_path / "rows-written", tmp_path / "worker.log"

    first = start_worker("doomed", files, log, SLOW_EXPORT_SECONDS_PER_ROW="0.5", SLOW_EXPORT_MARKER=str(marker))
    try:
        client = client_for(clerk_a)
        response = client.get(reverse("complaints:ledger_export"), {"format": "xlsx"})
        assert response.status_code == 302
        export = LedgerExport.objects.get()
        job = BackgroundJob.objects.get()
        wait_for(lambda: marker.exists() and int(marker.read_text() or 0) >= 3, 90, first, log)
        # Mid-file: the export is running, the half-written file is the worker's own temporary file, nothing is in
        # the file storage yet and nothing can be downloaded.
        job.refresh_from_db()
        assert job.state == BackgroundJob.State.RUNNING and not job.file
        assert [p for p in files.rglob("*") if p.is_file()] == []
        download = reverse("complaints:export_download", args=[export.pk])
        assert client.get(download).status_code == 404
    finally:
        kill(first)
    assert int(marker.read_text()) < CASES, "the worker was to be killed before the end of the export"
    job.refresh_from_db()
    assert (job.state, job.runs) == (BackgroundJob.State.RUNNING, 1)

    second = start_worker("survivor", files, log)
    try:
        wait_for(lambda: BackgroundJob.objects.get().state == BackgroundJob.State.DONE, 120, second, log)
        # A duplicate delivery of the same message (e.g. a re-publish) finds the export done.
        from complaints.tasks import build_ledger_export

        duplicate = "duplicate-delivery"
        build_ledger_export.apply_async((export.pk,), task_id=duplicate, ignore_result=True)
        done = f"build_ledger_export[{duplicate}] succeeded"
        wait_for(lambda: done in log.read_text(), 60, second, log)
    finally:
        kill(second)

    job.refresh_from_db()
    export.refresh_from_db()
    assert (job.state, job.runs) == (BackgroundJob.State.DONE, 2)
    assert export.job == job and export.row_count == CASES and job.progress_done == CASES
    assert AuditEntry.objects.filter(action="complaints.ledger.exported").count() == 1
    left = sorted(p.name for p in (files / "exports").rglob("*") if p.is_file())
    assert left == [Path(job.file.name).name], "one finished file, nothing of the killed run left behind"
    response = client.get(reverse("complaints:export_download", args=[export.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(min_row=HEADER_ROW, values_only=True))
    assert rows[0][0] == "编号" and len(rows) == CASES + 1
    assert len({row[0] for row in rows[1:]}) == CASES
