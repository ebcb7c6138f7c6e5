"""The summary table of open deadlines per day (core.DeadlineDayCount), kept in step with core.Deadline.

Every write of a Deadline goes through `deadline_save`: it reads the row's stored counting key under a row lock,
saves, and moves one count from the old key to the new one in the same transaction (core/services/summary_tables.py).
Bulk inserts of deadlines (the demo seed) skip it and call `deadline_counts_rebuild` at the end;
`manage.py rebuild_deadline_counts` does the same by hand, `--check` only compares (docs/architecture.md「看板汇总表」).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from core.models import Deadline, DeadlineDayCount

from .summary_tables import CountDifference, SummaryTable, key_deltas

# The Deadline columns a counting key is made of (attribute names, as `values()` returns them).
KEY_SOURCE = (
    "status",
    "org_id",
    "owner_id",
    "backup_id",
    "institution_id",
    "item_kind",
    "due_on",
    "paused_since",
    "provisional_years",
)
# The summary's grouping columns, in the order of `CountKey` and of the unique constraint.
KEY_COLUMNS = ("org_id", "owner_id", "backup_id", "institution_id", "item_kind", "due_on", "paused", "provisional")


class CountKey(NamedTuple):
    """Where one open deadline is counted; ids are 0 for no A岗/B岗/institution."""

    org_id: int
    owner_id: int
    backup_id: int
    institution_id: int
    item_kind: str
    due_on: dt.date
    paused: bool
    provisional: bool


def counting_key(values: Mapping) -> CountKey | None:
    """The key a deadline with these column values is counted under; None when it is not open (not counted)."""
    if values["status"] != Deadline.Status.OPEN:
        return None
    return CountKey(
        values["org_id"],
        values["owner_id"] or 0,
        values["backup_id"] or 0,
        values["institution_id"] or 0,
        values["item_kind"],
        values["due_on"],
        values["paused_since"] is not None,
        bool(values["provisional_years"]),
    )


def _attnames(update_fields: Iterable[str]) -> set[str]:
    return {Deadline._meta.get_field(name).attname for name in update_fields}


def deadline_save(deadline: Deadline, *, update_fields: Iterable[str] | None = None) -> None:
    """Save `deadline` (all fields, or `update_fields`) and move its count in the summary table, atomically.

    The old key is read from the database under a row lock, not from the instance: an instance loaded earlier may
    be stale, and a save with `update_fields` leaves the other columns as they are stored. A save that touches no
    key column (a label) is a plain save.
    """
    changed = None if update_fields is None else _attnames(update_fields)
    if changed is not None and not changed & set(KEY_SOURCE):
        deadline.save(update_fields=update_fields)
        return
    with transaction.atomic():
        stored = None
        if not deadline._state.adding:
            stored = Deadline.objects.select_for_update().filter(pk=deadline.pk).values(*KEY_SOURCE).first()
        deadline.save(update_fields=update_fields)
        now = {name: getattr(deadline, name) for name in KEY_SOURCE}
        if stored is not None and changed is not None:
            now = {**stored, **{name: now[name] for name in changed if name in now}}
        move_count(counting_key(stored) if stored else None, counting_key(now))


def move_count(before: CountKey | None, after: CountKey | None) -> None:
    """One deadline leaves `before` and joins `after` (None: not counted)."""
    DEADLINE_COUNTS.apply_deltas(key_deltas([before] if before else [], [after] if after else []))


def expected_counts() -> dict[CountKey, int]:
    """The counts as core.Deadline says they are: one grouped query over the open deadlines."""
    rows = (
        Deadline.objects.open()
        .order_by()
        .annotate(
            paused=ExpressionWrapper(Q(paused_since__isnull=False), output_field=BooleanField()),
            provisional=ExpressionWrapper(~Q(provisional_years=""), output_field=BooleanField()),
        )
        .values("org_id", "owner_id", "backup_id", "institution_id", "item_kind", "due_on", "paused", "provisional")
        .annotate(deadlines=Count("pk"))
    )
    counts: dict[CountKey, int] = {}
    for row in rows:
        key = CountKey(
            row["org_id"],
            row["owner_id"] or 0,
            row["backup_id"] or 0,
            row["institution_id"] or 0,
            row["item_kind"],
            row["due_on"],
            bool(row["paused"]),
            bool(row["provisional"]),
        )
        counts[key] = counts.get(key, 0) + row["deadlines"]
    return counts


DEADLINE_COUNTS = SummaryTable(DeadlineDayCount, KEY_COLUMNS, CountKey, expected_counts)


def count_differences(expected: Mapping[CountKey, int] | None = None) -> list[CountDifference]:
    """Every key whose stored count differs from core.Deadline's, in key order (empty: the table is right)."""
    return DEADLINE_COUNTS.differences(expected)


def deadline_counts_rebuild() -> list[CountDifference]:
    """Recompute the whole summary table from core.Deadline; returns what was wrong before (empty: nothing)."""
    return DEADLINE_COUNTS.rebuild()
