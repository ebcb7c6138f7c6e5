"""The summary table of open deadlines per day (core.DeadlineDayCount), kept in step with core.Deadline.

Every write of a Deadline goes through `deadline_save`: it reads the row's stored counting key under a row lock,
saves, and moves one count from the old key to the new one in the same transaction (one upsert, and a delete when
a row reaches 0). Bulk inserts of deadlines (the demo seed) skip it and call `deadline_counts_rebuild` at the end;
`manage.py rebuild_deadline_counts` does the same by hand, `--check` only compares (docs/architecture.md「看板汇总表」).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from core.models import Deadline, DeadlineDayCount

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


@dataclass(frozen=True, order=True)
class CountKey:
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
    if before == after:
        return
    apply_deltas({key: delta for key, delta in ((before, -1), (after, 1)) if key is not None})


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def apply_deltas(deltas: Mapping[CountKey, int]) -> None:
    """Add each delta to its key's row (created when missing) in one statement, then delete rows left at 0.

    `INSERT … ON CONFLICT … DO UPDATE SET count = count + excluded.count` is the same on SQLite (3.24+) and
    PostgreSQL, atomic under concurrent writers (PostgreSQL locks the row, SQLite the database). Keys are sorted so
    that two transactions touching the same rows lock them in the same order. A decrement of a row that is not
    there (the table was bypassed) leaves a negative count, which `rebuild_deadline_counts --check` reports.
    """
    rows = sorted((key, delta) for key, delta in deltas.items() if delta)
    if not rows:
        return
    table = _quoted(DeadlineDayCount._meta.db_table)
    key_columns = ", ".join(_quoted(name) for name in KEY_COLUMNS)
    count = _quoted("count")
    placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(KEY_COLUMNS) + 1)) + ")"] * len(rows))
    params = [value for key, delta in rows for value in (*_key_values(key), delta)]
    # Only quoted identifiers from the model are formatted in; every value is a parameter.
    upsert = f"ON CONFLICT ({key_columns}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"  # nosec B608
    returning = f"RETURNING {_quoted('id')}, {count}"
    sql = f"INSERT INTO {table} ({key_columns}, {count}) VALUES {placeholders} {upsert} {returning}"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        emptied = [row_id for row_id, left in cursor.fetchall() if left == 0]
    if emptied:
        DeadlineDayCount.objects.filter(pk__in=emptied, count=0).delete()


def _key_values(key: CountKey) -> tuple:
    return (
        key.org_id,
        key.owner_id,
        key.backup_id,
        key.institution_id,
        key.item_kind,
        key.due_on,
        key.paused,
        key.provisional,
    )


# --- Rebuilding and checking ----------------------------------------------------------------------


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


def stored_counts() -> dict[CountKey, int]:
    """The counts as the summary table has them (rows at 0 left out: they count nothing)."""
    counts: dict[CountKey, int] = {}
    for row in DeadlineDayCount.objects.order_by().values(*KEY_COLUMNS, "count"):
        if row["count"]:
            key = CountKey(*(row[name] for name in KEY_COLUMNS))
            counts[key] = counts.get(key, 0) + row["count"]
    return counts


@dataclass(frozen=True)
class CountDifference:
    key: CountKey
    stored: int
    expected: int


def count_differences(expected: Mapping[CountKey, int] | None = None) -> list[CountDifference]:
    """Every key whose stored count differs from core.Deadline's, in key order (empty: the table is right)."""
    expected = expected_counts() if expected is None else expected
    stored = stored_counts()
    return [
        CountDifference(key, stored.get(key, 0), expected.get(key, 0))
        for key in sorted(expected.keys() | stored.keys())
        if stored.get(key, 0) != expected.get(key, 0)
    ]


def _lock_summary() -> None:
    """PostgreSQL: keep deadline writers out of the summary while it is rebuilt (reads go on).

    A writer that has already moved a count holds the table until it commits, so the lock waits for it and the
    recount then sees its change; a writer that has changed a deadline but not yet its count waits for the rebuild
    to commit, and its delta then applies to the new rows. SQLite has one writer at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_quoted(DeadlineDayCount._meta.db_table)} IN EXCLUSIVE MODE")


@transaction.atomic
def deadline_counts_rebuild() -> list[CountDifference]:
    """Recompute the whole summary table from core.Deadline; returns what was wrong before (empty: nothing)."""
    _lock_summary()
    expected = expected_counts()
    differences = count_differences(expected)
    DeadlineDayCount.objects.all().delete()
    DeadlineDayCount.objects.bulk_create(
        (DeadlineDayCount(**dict(zip(KEY_COLUMNS, _key_values(key), strict=True)), count=count))
        for key, count in expected.items()
    )
    return differences
