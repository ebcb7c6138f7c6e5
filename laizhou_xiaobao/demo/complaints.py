"""Fictional demo cases for 莱州 and 招远 over three years (seed_demo --cases N, up to 1,000,000).

Bulk path, chosen for speed at a million cases (case_seeder.py builds the rows): cases, their contacts,
forwardings and open deadlines are inserted with simple_history.utils.bulk_create_with_history — one bulk INSERT
of the rows plus one bulk INSERT of a single initial history row each ("演示数据"), instead of per-row saves with
signals; the search index is bulk-inserted too. A large load on PostgreSQL writes the same rows with COPY
(copy_rows.py) from parallel processes, one part per office and calendar year, without the tables' indexes, which
are built once at the end (load_indexes.py; docs/performance.md「生成百万件」).

Consistency kept: every open case with a statutory clock has exactly the open core.Deadline its status implies,
computed with the work calendar, and Case.due_on equals it; closed cases have no open deadline and due_on null;
anonymous reports have no clock. A deadline reaching a year not yet verified is computed over that year's draft
and marked provisional (暂定), as in daily work; the count is reported. Closed cases carry closed_on_time directly
(their completed deadlines are not generated). Case numbers continue each office's NumberSequence, which is moved
past them.

Idempotent: each office gets its share of N cases minus the cases it already has, so a second run adds nothing.
"""

from __future__ import annotations

import itertools
import operator
import os
import random
import sys

from django.core.management.base import OutputWrapper
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from complaints.models import Case, CaseSearchIndex, CaseSearchText
from core.models import User

from . import load_indexes
from .case_seeder import Seeder, spread
from .processes import in_processes

DEFAULT_CASES = 300
# From this many new cases on PostgreSQL: written with COPY by parallel processes, the indexes built once after.
LARGE_LOAD = 100_000
SHARES = {"laizhou": 0.6, "zhaoyuan": 0.4}
# Fresh statistics after a load, so that the planner's estimates (and the ledger's "约 N 件") reflect the new rows,
# and (outside a transaction) a VACUUM that sets the visibility map, as autovacuum would after a bulk load: without
# it the dashboard's index-only counts visit the heap (1.3 s instead of 0.15 s at 1,000,000). Every table the load
# wrote, history included: without statistics the case page's history read walked the history-date index over a
# million rows (0.35 s) instead of looking the case up (autovacuum may be off, as in CI), and the search text, which
# the "超过 1000 件" counts walk by unit. The search index last: its VACUUM waits for its GIN index to be built.
VACUUMED = (*load_indexes.loaded_tables(), CaseSearchText._meta.db_table, CaseSearchIndex._meta.db_table)


def seed(*, orgs, cases=None, stdout=None) -> int:
    """Give 莱州 and 招远 their share of `cases` demo cases (default 300) minus what they already have."""

    total = DEFAULT_CASES if cases is None else cases
    today = timezone.localdate()
    wanted_by_org = {
        code: round(total * share) - Case.objects.filter(org=orgs[code]).count() for code, share in SHARES.items()
    }
    jobs = [(orgs[code], wanted) for code, wanted in wanted_by_org.items() if wanted > 0]
    on_postgresql = connection.vendor == "postgresql"
    if on_postgresql:
        load_indexes.build_missing()  # left by a large load that died half-way
    large = on_postgresql and sum(wanted for _org, wanted in jobs) >= LARGE_LOAD
    # Query logging (DEBUG) costs a tenth of a bulk load's time and keeps nothing anybody reads.
    with override_settings(DEBUG=False):
        if large:
            made = _large_load(jobs, today=today, stdout=stdout)
        else:
            rng = random.Random(20260315)  # nosec B311 # reproducible demo data, not a secret
            made = sum(_seed_office(org, wanted, rng=rng, today=today, stdout=stdout) for org, wanted in jobs)
    if made and on_postgresql and not large:
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in VACUUMED:
                cursor.execute(f"{command} {table}")
    if stdout is not None and made:
        stdout.write(f"信访投诉演示件：新增 {made} 件")
    return made


def _large_load(jobs, *, today, stdout) -> int:
    """A large load on PostgreSQL (docs/performance.md「生成百万件」): each office's cases cut into one part per
    calendar year (numbers run per office and year, so the parts share no rows), written with COPY by as many
    processes as there are cores, the largest part first; the tables' indexes dropped during the load and built
    once after it, with the VACUUM, on two connections side by side."""
    statements = load_indexes.drop()
    try:
        parts = _parts(jobs, today=today, verbose=stdout is not None)
        results = in_processes(_seed_part_in_child, parts, workers=min(len(parts), os.cpu_count() or 2))
    finally:
        if stdout is not None:
            stdout.write(f"  重建索引（检索的 GIN 索引和 {len(statements) - 1} 个 B-tree 索引）并更新统计…")
        load_indexes.run_side_by_side(statements + [f"VACUUM (ANALYZE) {table}" for table in VACUUMED])
    provisional: dict[str, int] = {}
    for (org, *_rest), (_made, count) in zip(parts, results, strict=True):
        provisional[org.name] = provisional.get(org.name, 0) + count
    for name, count in provisional.items():
        if count and stdout is not None:
            stdout.write(f"  {name}：{count} 件的期限跨入尚未核对工作日历的年度，为暂定期限")
    return sum(made for made, _count in results)


def _parts(jobs, *, today, verbose: bool) -> list[tuple]:
    """The calls of `_seed_part_in_child`: each office's days cut at each new year, the largest part first."""
    parts = []
    for org, wanted in jobs:
        rng = random.Random(f"20260315-{org.code}")  # nosec B311 # reproducible demo data, not a secret
        for year, days in itertools.groupby(spread(rng, today, wanted), key=operator.attrgetter("year")):
            parts.append((org, list(days), year, today, verbose))
    return sorted(parts, key=lambda part: -len(part[1]))


def _seed_part_in_child(org, days, year, today, verbose: bool) -> tuple[int, int]:
    """One office's cases of one year, in a forked process, with a reproducible random sequence of its own: the
    number of cases made and of provisional deadlines."""
    stdout = OutputWrapper(sys.stdout) if verbose else None
    rng = random.Random(f"20260315-{org.code}-{year}")  # nosec B311 # reproducible demo data, not a secret
    label = f"{org.short_name or org.name} {year}年"
    seeder = _office_seeder(org, rng=rng, today=today, stdout=stdout, copy=True, label=label)
    if seeder is None:
        return 0, 0
    return seeder.load(days), seeder.provisional


def _office_seeder(org, **options) -> Seeder | None:
    from institutions.models import Institution

    users = _handlers(org)
    if users[0] is None:
        return None
    institutions = list(Institution.objects.filter(org=org).order_by("pk"))
    return Seeder(org=org, users=users, institutions=institutions, **options)


def _seed_office(org, wanted: int, *, rng, today, stdout) -> int:
    seeder = _office_seeder(org, rng=rng, today=today, stdout=stdout)
    if seeder is None:
        return 0
    made = seeder.run(wanted)
    if seeder.provisional and stdout is not None:
        stdout.write(f"  {org.name}：{seeder.provisional} 件的期限跨入尚未核对工作日历的年度，为暂定期限")
    return made


def _handlers(org):
    clerks = list(
        User.objects.filter(org=org, username__in=("lz_clerk_a", "lz_clerk_b", "zy_clerk")).order_by("username")
    )
    if not clerks:
        clerks = list(User.objects.filter(org=org, is_active=True).order_by("pk")[:2])
    if not clerks:
        return None, None
    return clerks[0], clerks[1] if len(clerks) > 1 else None
