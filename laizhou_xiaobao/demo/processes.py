"""Running a large demo load in forked processes (docs/performance.md「生成百万件」)."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from django.db import connections


def in_processes(func, calls: list[tuple], *, workers: int | None = None) -> list:
    """`func(*args)` for each of `calls` in forked processes (`workers` of them, by default one per call), each
    process with its own database connection; the results in order. The calls are taken in the order given as
    processes come free. A failure in any call is raised here. `func` and its arguments must pickle."""
    connections.close_all()  # the children open their own; the parent's reopens when next used
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers or len(calls), mp_context=context) as pool:
        futures = [pool.submit(func, *args) for args in calls]
        return [future.result() for future in futures]
