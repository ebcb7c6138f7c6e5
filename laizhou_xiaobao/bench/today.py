"""The benchmark's "today": the date the database was seeded on, so that a database seeded once is measured the
same on any later day (docs/performance.md「基准的日期」).

The seed date is read from the data itself: the newest case's date of receipt (the demo receives cases up to the
day it runs; a million-case seed receives some every day). The in-process measurements run inside `pinned`; the
HTTP servers get it through `BENCH_TODAY` and start their clock there (`laizhou_xiaobao.bench.wsgi`). Both move
the clock with time-machine (a development dependency, installed by `make bench`), ticking from 10:00 that day,
so timings are real and only the date is fixed.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from zoneinfo import ZoneInfo

BENCH_TODAY_ENV = "BENCH_TODAY"
# The hour the pinned day starts at (office hours: reminders and "today" buckets as a clerk sees them).
PINNED_HOUR = 10


def seed_date() -> dt.date | None:
    """The date the benchmark database was seeded on: its newest date of receipt (None when it has no case)."""
    from django.db.models import Max

    from complaints.models import Case

    return Case.objects.aggregate(newest=Max("received_on"))["newest"]


def _moment(day: dt.date, time_zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(PINNED_HOUR), tzinfo=ZoneInfo(time_zone))


def traveller(day: dt.date, time_zone: str):
    import time_machine

    return time_machine.travel(_moment(day, time_zone), tick=True)


@contextmanager
def pinned(day: dt.date | None):
    """Run the block with "today" = `day` (the clock ticking from 10:00 that day); as is when `day` is None.
    Also puts the day into the environment, for the servers the block starts."""
    if day is None:
        yield
        return
    from django.conf import settings

    previous = os.environ.get(BENCH_TODAY_ENV)
    os.environ[BENCH_TODAY_ENV] = day.isoformat()
    try:
        with traveller(day, settings.TIME_ZONE):
            yield
    finally:
        if previous is None:
            os.environ.pop(BENCH_TODAY_ENV, None)
        else:
            os.environ[BENCH_TODAY_ENV] = previous
