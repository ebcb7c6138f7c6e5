"""A real Celery worker for the kill tests: `python -m tests.resilience.worker_harness`.

Test-only hooks, set by environment variables (never in the application code):
- SLOW_EXPORT_SECONDS_PER_ROW: the ledger exporter sleeps this long per row, so a test can kill it mid-file;
- SLOW_EXPORT_MARKER: a file where the exporter writes how many rows it has produced so far;
- TEST_CELERY_QUEUE: the queue of the pytest-xdist worker that started it.
Messages left unacknowledged by a killed worker come back after 3 seconds (instead of an hour), checked every second.
"""

import os
import time
from pathlib import Path

import django


def slow_down_the_ledger_exporter(seconds: float, marker: Path) -> None:
    from complaints.exporters import LedgerExporter

    original = LedgerExporter.rows

    def slow_rows(self):
        for done, row in enumerate(original(self), start=1):
            time.sleep(seconds)
            marker.write_text(str(done))
            yield row

    LedgerExporter.rows = slow_rows


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laizhou_xiaobao.settings")
    django.setup()
    from laizhou_xiaobao.celery import app

    delay = float(os.environ.get("SLOW_EXPORT_SECONDS_PER_ROW") or 0)
    if delay:
        slow_down_the_ledger_exporter(delay, Path(os.environ["SLOW_EXPORT_MARKER"]))
    app.conf.task_always_eager = False
    # Under xdist each pytest worker has its own queue (tests/conftest.py).
    if os.environ.get("TEST_CELERY_QUEUE"):
        app.conf.task_default_queue = os.environ["TEST_CELERY_QUEUE"]
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "visibility_timeout": 3,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={os.environ.get('WORKER_NAME', 'resilience')}@%h",
        ]
    )


if __name__ == "__main__":
    main()
