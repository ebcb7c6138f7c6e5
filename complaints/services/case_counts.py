"""The summary table of cases per month (complaints.CaseMonthCount), kept in step with complaints.Case.

Every write of a Case goes through `case_save` (one case) or `case_counts_add` (cases just inserted in bulk, as the
ledger import does): the counts move in the same transaction as the case, so the dashboard's closure rates,
intake by channel and institution ranking are always what the cases say. The demo seed inserts cases in bulk and
calls `case_counts_rebuild` at the end; `manage.py rebuild_case_counts` does the same by hand, `--check` only
compares (docs/architecture.md「看板汇总表」).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.services.summary_tables import CountDifference, SummaryTable, key_deltas

from ..models import Case, CaseMonthCount
from ..models.choices import CaseStatus

# Plain strings, not the enum members: a key read back from the table must hash the same as a computed one.
RECEIVED = CaseMonthCount.Measure.RECEIVED.value
INSTITUTION = CaseMonthCount.Measure.INSTITUTION.value
CLOSED = CaseMonthCount.Measure.CLOSED.value

# The Case columns the counts are made of (attribute names, as `values()` returns them).
KEY_SOURCE = ("org_id", "received_on", "channel", "institution_id", "status", "closed_at", "closed_on_time")
# The summary's grouping columns, in the order of `MonthKey` and of the unique constraint.
KEY_COLUMNS = ("org_id", "measure", "month", "channel", "institution_id", "on_time")


class MonthKey(NamedTuple):
    org_id: int
    measure: str
    month: dt.date
    channel: str
    institution_id: int
    on_time: bool


def counting_keys(values: Mapping) -> list[MonthKey]:
    """The keys one case with these column values is counted under (one to three)."""
    org_id, received_month = values["org_id"], values["received_on"].replace(day=1)
    keys = [MonthKey(org_id, RECEIVED, received_month, values["channel"], 0, False)]
    if values["institution_id"]:
        keys.append(MonthKey(org_id, INSTITUTION, received_month, "", values["institution_id"], False))
    closed_at, on_time = values["closed_at"], values["closed_on_time"]
    if values["status"] == CaseStatus.CLOSED and closed_at is not None and on_time is not None:
        closed_month = timezone.localdate(closed_at).replace(day=1)
        keys.append(MonthKey(org_id, CLOSED, closed_month, "", 0, bool(on_time)))
    return keys


def _attnames(update_fields: Iterable[str]) -> set[str]:
    return {Case._meta.get_field(name).attname for name in update_fields}


def case_save(case: Case, *, update_fields: Iterable[str] | None = None) -> None:
    """Save `case` (all fields, or `update_fields`) and move its counts in the summary table, atomically.

    As core's `deadline_save`: the old values are read from the database under a row lock, not from the instance,
    and a save that touches none of the counted columns is a plain save.
    """
    update_fields = None if update_fields is None else list(update_fields)
    changed = None if update_fields is None else _attnames(update_fields)
    if changed is not None and not changed & set(KEY_SOURCE):
        case.save(update_fields=update_fields)
        return
    with transaction.atomic():
        stored = None
        if not case._state.adding:
            stored = Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).values(*KEY_SOURCE).first()
        case.save(update_fields=update_fields)
        now = {name: getattr(case, name) for name in KEY_SOURCE}
        if stored is not None and changed is not None:
            now = {**stored, **{name: now[name] for name in changed if name in now}}
        before = counting_keys(stored) if stored else []
        CASE_COUNTS.apply_deltas(key_deltas(before, counting_keys(now)))


def case_counts_add(cases: Iterable[Case]) -> None:
    """Count cases that were just inserted in bulk (inside the caller's transaction)."""
    deltas: Counter = Counter()
    for case in cases:
        deltas.update(counting_keys({name: getattr(case, name) for name in KEY_SOURCE}))
    CASE_COUNTS.apply_deltas(deltas)


def expected_counts() -> dict[MonthKey, int]:
    """The counts as complaints.Case says they are: three grouped queries over the cases."""
    counts: dict[MonthKey, int] = {}
    received = Case.objects.order_by().annotate(month=TruncMonth("received_on"))
    for row in received.values("org_id", "month", "channel").annotate(n=Count("pk")):
        counts[MonthKey(row["org_id"], RECEIVED, row["month"], row["channel"], 0, False)] = row["n"]
    about = received.filter(institution__isnull=False).values("org_id", "month", "institution_id")
    for row in about.annotate(n=Count("pk")):
        key = MonthKey(row["org_id"], INSTITUTION, row["month"], "", row["institution_id"], False)
        counts[key] = row["n"]
    closed = (
        Case.objects.filter(status=CaseStatus.CLOSED, closed_at__isnull=False, closed_on_time__isnull=False)
        .order_by()
        .annotate(month=TruncMonth("closed_at", tzinfo=timezone.get_current_timezone()))
        .values("org_id", "month", "closed_on_time")
        .annotate(n=Count("pk"))
    )
    for row in closed:
        month = row["month"]
        month = timezone.localdate(month) if isinstance(month, dt.datetime) else month
        counts[MonthKey(row["org_id"], CLOSED, month, "", 0, bool(row["closed_on_time"]))] = row["n"]
    return counts


CASE_COUNTS = SummaryTable(CaseMonthCount, KEY_COLUMNS, MonthKey, expected_counts)


def case_count_differences(expected: Mapping[MonthKey, int] | None = None) -> list[CountDifference]:
    """Every key whose stored count differs from the cases', in key order (empty: the table is right)."""
    return CASE_COUNTS.differences(expected)


def case_counts_rebuild() -> list[CountDifference]:
    """Recompute the whole table from complaints.Case; returns what was wrong before (empty: nothing)."""
    return CASE_COUNTS.rebuild()
