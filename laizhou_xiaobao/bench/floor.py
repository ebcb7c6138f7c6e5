"""Each HTTP page's bare-SQL floor (docs/performance.md「裸 SQL 下限」).

Issue 18 lets a page whose database work alone rules out 100 requests/s pass by being within 1.5× of that work
instead. So before anything else is measured, each page is opened in this process (production settings, the
page's demo account) and its reads are captured with their values; the floor is the median time of sending the
same reads again as the page sent them (a prepared read on its prepared statement, core/rows.py; the rest on a
plain cursor) with no ORM, template or middleware around them, and the page's own median is set beside it. The
slowest read's plan (`EXPLAIN ANALYZE` on PostgreSQL, planned for its values even where the page's prepared
statement runs on a generic plan) is kept for the report.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.db import connection

from core import rows

FLOOR_FACTOR = 1.5
REPEAT = 15
# Statements that only read: a page's writes (a session's last activity, a log line) are not replayed.
READS = ("select", "with", "(select")


@dataclass
class Floor:
    page_ms: float  # the page's median, in this process
    sql_ms: float  # its reads sent again on a cursor, median of the whole set
    plan: str  # of the slowest read

    @property
    def ratio(self) -> float:
        return self.page_ms / self.sql_ms if self.sql_ms else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= FLOOR_FACTOR


@dataclass
class _Read:
    sql: str  # as Django sent it, with its placeholders
    params: Sequence | Mapping | None  # as given: some of our SQL names its values
    prepared: bool  # sent on core.rows' preparing cursor: replayed the same way


def _reads(client, path: str) -> list[_Read]:
    captured: list[_Read] = []

    def capture(execute, sql, params, many, context):
        if not many and sql.lstrip().lower().startswith(READS):
            prepared = isinstance(getattr(context["cursor"], "cursor", None), rows.PreparingCursor)
            captured.append(_Read(sql, params, prepared))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(path)
    if response.status_code != 200:
        raise CommandError(f"测量裸SQL下限时 {path} 返回 {response.status_code}，应为 200")
    return captured


def _send(reads: list[_Read]) -> list[float]:
    """Each read's time; the SQL and values are the page's own, captured above, on the kind of cursor it used."""
    times = []
    with connection.cursor() as plain, rows.preparing_cursor(connection) as preparing:
        for read in reads:
            cursor = preparing if read.prepared else plain
            started = time.perf_counter()
            cursor.execute(read.sql, read.params)  # nosec B608 # replays the SQL Django itself just sent
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times


def _plan(read: _Read) -> str:
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + read.sql, read.params)  # the page's own SQL and values
        return "\n".join(row[0] for row in cursor.fetchall())


def measure_floor(client, path: str, repeat: int = REPEAT) -> Floor:
    for _ in range(3):  # warm: caches, compiled queries, the calendar
        client.get(path)
    statements = _reads(client, path)
    page, sql, each = [], [], [0.0] * len(statements)
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        page.append((time.perf_counter() - started) * 1000)
        times = _send(statements)
        sql.append(sum(times))
        each = [a + b for a, b in zip(each, times, strict=True)]
    slowest = max(range(len(statements)), key=each.__getitem__) if statements else None
    return Floor(
        page_ms=statistics.median(page),
        sql_ms=statistics.median(sql),
        plan=_plan(statements[slowest]) if slowest is not None else "",
    )
