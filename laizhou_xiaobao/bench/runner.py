"""Running registered measurements and writing bench-results/results.md and results.json."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import statistics
import time
import tracemalloc
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from . import REGISTRY, Measurement, Result
from .clients import HttpsClient


class Context:
    """What a measurement gets: logged-in test clients for the demo accounts, and the options."""

    def __init__(self, options: dict):
        self.options = options
        self._clients: dict[str, Client] = {}

    def client(self, username: str) -> Client:
        from core.models import User

        if username not in self._clients:
            from .http import as_after_every_login_step

            client = HttpsClient()
            user = User.objects.get(username=username)
            client.force_login(user)
            # As over HTTP: every login step done (the second factor where the account has one, e.g. admin).
            session = client.session
            as_after_every_login_step(session, user)
            session.save()
            self._clients[username] = client
        return self._clients[username]


def discover() -> None:
    """Import the measurement modules; each registers its measurements with `register` as it is imported."""
    from . import archive, complaints, dashboard, institutions, ledger_import, statistics_reports  # noqa: F401


def _time(func, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _status_mb(key: str) -> float | None:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in MB; None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{key}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Start the resident-memory high-water mark (VmHWM) afresh: writing 5 to clear_refs (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def _give_back_freed_memory() -> None:
    """glibc's malloc_trim(0): return freed heap pages to the system (nothing elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _peak_mb(func) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        func()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def _rss_growth_mb(func) -> float | None:
    """How far the process's resident memory rose above its level at the start of one run (Linux), in MB.

    tracemalloc sees only what Python allocates; Pillow's decoded images, zlib and the PDF libraries allocate
    outside it. Measured in a run of its own, since tracemalloc's bookkeeping would itself add to the figure; the
    C library first gives back the memory earlier runs freed, which would otherwise be reused unseen."""
    gc.collect()
    _give_back_freed_memory()
    if not _reset_peak_rss():
        return None
    before = _status_mb("VmRSS")
    func()
    peak = _status_mb("VmHWM")
    return None if before is None or peak is None else max(peak - before, 0.0)


def verdict(measurement: Measurement, result: Result) -> bool | None:
    """Whether the result is within the measurement's limits (None: it has none)."""
    if measurement.limit_ms is None and measurement.limit_mb is None:
        return None
    met = measurement.limit_ms is None or result.median_ms <= measurement.limit_ms
    # Memory is judged by tracemalloc's peak, as every memory target of the benchmark has been; the resident
    # memory's growth is shown beside it (docs/performance.md「卷宗」 says what it adds).
    if measurement.limit_mb is not None:
        met = met and result.peak_mb <= measurement.limit_mb
    return met


def measure(measurement: Measurement, ctx: Context) -> Result:
    prepared = measurement.setup(ctx) if measurement.setup else None
    # `max_repeat` (--max-repeat) caps the timed runs: the tests check what is measured, not how steadily.
    repeat = min(measurement.repeat, ctx.options.get("max_repeat") or measurement.repeat)

    def run():
        return measurement.run(ctx, prepared)

    run()  # warm-up: caches, connections, imported modules
    with CaptureQueriesContext(connection) as captured:
        outcome = run()
    queries = len(captured.captured_queries)
    times = _time(run, repeat)
    memory = not ctx.options.get("no_memory")
    peak_mb = _peak_mb(run) if memory else 0.0
    rss_mb = _rss_growth_mb(run) if memory and measurement.limit_mb is not None else None
    result = Result(
        name=measurement.name,
        title=measurement.title,
        median_ms=statistics.median(times),
        p95_ms=_p95(times),
        queries=queries,
        peak_mb=peak_mb,
        target=measurement.target,
        rss_mb=rss_mb,
    )
    result.met = verdict(measurement, result)
    if isinstance(outcome, str):
        result.notes.append(outcome)
    if measurement.baseline is not None:

        def baseline():
            return measurement.baseline(ctx, prepared)

        baseline()
        base_times = _time(baseline, repeat)
        result.baseline_title = measurement.baseline_title
        result.baseline_median_ms = statistics.median(base_times)
        result.baseline_peak_mb = _peak_mb(baseline) if not ctx.options.get("no_memory") else None
    return result


def _verdict_text(met: bool | None) -> str:
    return "" if met is None else ("是" if met else "**否**")


def run_all(names: list[str] | None, options: dict, stdout) -> list[Result]:
    discover()
    ctx = Context(options)
    selected = [REGISTRY[n] for n in names] if names else list(REGISTRY.values())
    # The pages first, the background jobs after (Measurement.job); each group in the order registered.
    selected.sort(key=lambda measurement: measurement.job)
    results = []
    for measurement in selected:
        stdout.write(f"测量：{measurement.title} …")
        result = measure(measurement, ctx)
        stdout.write(
            f"  中位数 {result.median_ms:.1f} ms，p95 {result.p95_ms:.1f} ms，{result.queries} 条SQL，"
            f"峰值 {result.peak_mb:.1f} MB"
            + ("" if result.rss_mb is None else f"（常驻内存增长 {result.rss_mb:.1f} MB）")
            + (f"；基线 {result.baseline_median_ms:.1f} ms，比值 {result.ratio:.2f}" if result.ratio else "")
            + ("" if result.met is None else f"；目标 {result.target}：{'达标' if result.met else '未达标'}")
        )
        results.append(result)
    return results


def database_description() -> str:
    from complaints.models import Case

    return f"{connection.vendor}（{connection.settings_dict['NAME']}），信访投诉件 {Case.objects.count():,} 件"


def _http_table(http_results, title: str, description: str) -> list[str]:
    md = [
        "",
        f"## {title}",
        "",
        description,
        "",
        "| 请求 | 账号 | 请求数 | 次/秒 | 各轮 次/秒 | 中位数 ms | p95 ms | p99 ms | 最大 ms | 错误 "
        "| 进程内 ms | 裸SQL ms | 倍数 | 目标 | 达标 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in http_results:
        met = "" if r.met is None else (f"是（{r.met_by}）" if r.met else "**否**")
        floor = "| | | |" if r.page_ms is None else f"| {r.page_ms:.1f} | {r.sql_ms:.1f} | {r.floor_ratio:.2f} |"
        rounds = " / ".join(f"{rate:.1f}" for rate in r.rounds) if len(r.rounds) > 1 else ""
        md.append(
            f"| {r.title} | {r.user} | {r.requests:,} | {r.rps:.1f} | {rounds} | {r.median_ms:.1f} | {r.p95_ms:.1f} | "
            f"{r.p99_ms:.1f} | {r.max_ms:.1f} | {r.errors} {floor} {r.target} | {met} |"
        )
    plans = [f"\n### {r.title}：最慢的一条读（{r.path}）\n\n```\n{r.plan}\n```" for r in http_results if r.plan]
    if plans:
        md += ["", "### 各页最慢的一条读的执行计划（EXPLAIN ANALYZE）", *plans]
    return md


def side_by_side_table(single: list, pair: list, *, title: str, description: str) -> list[str]:
    """The single node's and the two nodes' figures of each request, one row each (`make bench`'s report)."""
    by_name = {r.name: r for r in pair}
    md = [
        "",
        f"## {title}",
        "",
        description,
        "",
        "| 请求 | 单节点 次/秒 | 两节点 次/秒 | 倍数 | 单节点 p99 ms | 两节点 p99 ms | 单节点错误 | 两节点错误 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for one in single:
        two = by_name.get(one.name)
        if two is None:
            continue
        ratio = f"{two.rps / one.rps:.2f}" if one.rps else "—"
        md.append(
            f"| {one.title} | {one.rps:.1f} | {two.rps:.1f} | {ratio} | {one.p99_ms:.1f} | {two.p99_ms:.1f} | "
            f"{one.errors} | {two.errors} |"
        )
    return md


def write_results(
    results: list[Result],
    out_dir: Path,
    *,
    header: str,
    http_results: list | None = None,
    http_title: str = "",
    http_description: str = "",
    cluster_results: list | None = None,
    cluster_title: str = "",
    cluster_description: str = "",
) -> tuple[Path, Path]:
    """results.md and results.json: the in-process table, then the over-HTTP table when that phase ran."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md = ["# 性能基准结果", "", header]
    if results:
        md += [
            "",
            "| 测量 | 中位数 ms | p95 ms | SQL 条数 | 峰值内存 MB | 常驻内存增长 MB | 基线 | 基线中位数 ms "
            "| 基线峰值 MB | 比值 | 目标 | 达标 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
    for r in results:
        md.append(
            f"| {r.title} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.queries} | {r.peak_mb:.1f} | "
            f"{'' if r.rss_mb is None else f'{r.rss_mb:.1f}'} | {r.baseline_title or '—'} | "
            f"{'' if r.baseline_median_ms is None else f'{r.baseline_median_ms:.1f}'} | "
            f"{'' if r.baseline_peak_mb is None else f'{r.baseline_peak_mb:.1f}'} | "
            f"{'' if r.ratio is None else f'{r.ratio:.2f}'} | {r.target} | {_verdict_text(r.met)} |"
        )
    notes = [f"- {r.title}：{note}" for r in results for note in r.notes]
    if notes:
        md += ["", *notes]
    if http_results:
        md += _http_table(http_results, http_title, http_description)
    if http_results and cluster_results:
        md += side_by_side_table(http_results, cluster_results, title=cluster_title, description=cluster_description)
    md_path, json_path = out_dir / "results.md", out_dir / "results.json"
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
    json_path.write_text(
        json.dumps(
            {
                "header": header,
                "results": [{**r.__dict__, "ratio": r.ratio} for r in results],
                "http": {
                    "title": http_title,
                    "description": http_description,
                    "results": [{**r.__dict__, "errors": r.errors} for r in http_results or []],
                },
                "cluster": {
                    "title": cluster_title,
                    "description": cluster_description,
                    "results": [{**r.__dict__, "errors": r.errors} for r in cluster_results or []],
                },
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return md_path, json_path
