"""A small benchmark framework: apps register measurements; `python manage.py bench` runs them all.

A measurement is a function run `repeat` times against the real app in-process, optionally beside a baseline
(the bare SQL of the page, openpyxl writing the same rows without Django, the admin changelist) measured in the
same run. For each: median and p95 time, SQL query count (of one run) and peak Python memory (tracemalloc, one
extra run). Measurements live in this package, one module per app (`complaints.py`, `dashboard.py`,
`institutions.py`), which `runner.discover()` imports:

    from laizhou_xiaobao.bench import register

    @register("dashboard", title="首页看板", repeat=10)
    def dashboard(ctx):
        return ctx.client("lz_supervisor").get("/")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Measurement:
    name: str
    title: str
    run: Callable
    baseline: Callable | None = None
    baseline_title: str = ""
    repeat: int = 5
    target: str = ""  # e.g. "≤ 1.5× baseline", shown beside the result
    setup: Callable | None = None  # returns a value passed to run/baseline as `prepared`
    # Limits the verdict (达标) is judged against: the median time and tracemalloc's peak memory. A measurement with
    # a memory limit also gets the growth of the process's resident memory, shown beside it.
    limit_ms: float | None = None
    limit_mb: float | None = None
    # Work a Celery worker does in production (files, imports, reminders): measured after every page, so that what
    # it leaves in the process (a PDF library's caches, hundreds of MB) does not slow the pages a web worker serves.
    job: bool = False


REGISTRY: dict[str, Measurement] = {}


def register(
    name: str,
    *,
    title: str,
    baseline=None,
    baseline_title: str = "",
    repeat: int = 5,
    target: str = "",
    setup=None,
    limit_ms: float | None = None,
    limit_mb: float | None = None,
    job: bool = False,
):
    """Decorator: register `func(ctx, prepared)` as the measurement `name`."""

    def decorator(func):
        REGISTRY[name] = Measurement(
            name=name,
            title=title,
            run=func,
            baseline=baseline,
            baseline_title=baseline_title,
            repeat=repeat,
            target=target,
            setup=setup,
            limit_ms=limit_ms,
            limit_mb=limit_mb,
            job=job,
        )
        return func

    return decorator


@dataclass
class Result:
    name: str
    title: str
    median_ms: float
    p95_ms: float
    queries: int
    peak_mb: float
    baseline_title: str = ""
    baseline_median_ms: float | None = None
    baseline_peak_mb: float | None = None
    target: str = ""
    notes: list[str] = field(default_factory=list)
    # Growth of the process's resident memory during the memory run (Linux; None elsewhere or when not measured).
    rss_mb: float | None = None
    met: bool | None = None  # against limit_ms/limit_mb; None when the measurement has no limits

    @property
    def ratio(self) -> float | None:
        if not self.baseline_median_ms:
            return None
        return self.median_ms / self.baseline_median_ms
