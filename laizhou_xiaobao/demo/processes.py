"""Running a large demo load in forked processes, one per office (docs/performance.md「生成百万件」)."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from django.db import connections


def in_processes(func, calls: list[tuple]) -> list:
    """`func(*args)` for each of `calls`, each in its own forked process with its own database connection; the
    results in order. A failure in any process is raised here. `func` and its arguments must pickle."""
    connections.close_all()  # the children open their own; the parent's reopens when next used
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(calls), mp_context=context) as pool:
        futures = [pool.submit(func, *args) for args in calls]
        return [future.result() for future in futures]
