"""Summary tables: counts kept in step with the rows they count, in the same transaction.

See docs/architecture.md「看板汇总表」.

A summary table has grouping columns (the key, one unique constraint) and an integer `count`. Writers move a row's
contribution from its old keys to its new ones with `apply_deltas` (one upsert, then a delete of the rows left at
0); a rebuild recomputes the whole table from the source rows and says what was wrong. Two tables use it: core's
open deadlines per day (core.DeadlineDayCount) and complaints' cases per month (complaints.CaseMonthCount).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, models, transaction


class CountDifference(NamedTuple):
    key: tuple
    stored: int
    expected: int


def key_deltas(before: Iterable[tuple], after: Iterable[tuple]) -> Counter:
    """What moving one source row from the keys `before` to the keys `after` adds to each key (0s dropped)."""
    deltas = Counter(after)
    deltas.subtract(before)
    return Counter({key: delta for key, delta in deltas.items() if delta})


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


@dataclass(frozen=True)
class SummaryTable:
    """One summary model, its key columns (in the order of its key tuples) and how to count it afresh."""

    model: type[models.Model]
    key_columns: tuple[str, ...]
    key_type: Callable[..., tuple]
    expected: Callable[[], Mapping[tuple, int]]

    def apply_deltas(self, deltas: Mapping[tuple, int]) -> None:
        """Add each delta to its key's row (created when missing) in one statement, then delete rows left at 0.

        `INSERT … ON CONFLICT … DO UPDATE SET count = count + excluded.count` is the same on SQLite (3.24+) and
        PostgreSQL, atomic under concurrent writers (PostgreSQL locks the row, SQLite the database). Keys are sorted
        so that two transactions touching the same rows lock them in the same order. A decrement of a row that is
        not there (the table was bypassed) leaves a negative count, which the `--check` of the rebuild reports.
        """
        rows = sorted((key, delta) for key, delta in deltas.items() if delta)
        if not rows:
            return
        table = _quoted(self.model._meta.db_table)
        columns = [self.model._meta.get_field(name).column for name in self.key_columns]
        key_columns = ", ".join(_quoted(column) for column in columns)
        count = _quoted("count")
        placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"] * len(rows))
        params = [value for key, delta in rows for value in (*key, delta)]
        # Only quoted identifiers from the model are formatted in; every value is a parameter.
        upsert = f"ON CONFLICT ({key_columns}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"  # nosec B608
        returning = f"RETURNING {_quoted('id')}, {count}"
        sql = f"INSERT INTO {table} ({key_columns}, {count}) VALUES {placeholders} {upsert} {returning}"  # nosec B608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            emptied = [row_id for row_id, left in cursor.fetchall() if left == 0]
        if emptied:
            self.model.objects.filter(pk__in=emptied, count=0).delete()

    def stored(self) -> dict[tuple, int]:
        """The counts as the table has them (rows at 0 left out: they count nothing)."""
        names = [self.model._meta.get_field(name).attname for name in self.key_columns]
        counts: dict[tuple, int] = {}
        for row in self.model.objects.order_by().values_list(*names, "count").iterator(chunk_size=5000):
            if row[-1]:
                key = self.key_type(*row[:-1])
                counts[key] = counts.get(key, 0) + row[-1]
        return counts

    def differences(self, expected: Mapping[tuple, int] | None = None) -> list[CountDifference]:
        """Every key whose stored count differs from the source's, in key order (empty: the table is right)."""
        expected = self.expected() if expected is None else expected
        stored = self.stored()
        return [
            CountDifference(key, stored.get(key, 0), expected.get(key, 0))
            for key in sorted(expected.keys() | stored.keys())
            if stored.get(key, 0) != expected.get(key, 0)
        ]

    def _lock(self) -> None:
        """PostgreSQL: keep writers out of the summary while it is rebuilt (reads go on).

        A writer that has already moved a count holds the table until it commits, so the lock waits for it and the
        recount then sees its change; a writer that has changed a source row but not yet its count waits for the
        rebuild to commit, and its delta then applies to the new rows. SQLite has one writer at a time anyway.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {_quoted(self.model._meta.db_table)} IN EXCLUSIVE MODE")

    def rebuild(self) -> list[CountDifference]:
        """Recompute the whole table from its source, in one transaction; returns what was wrong before."""
        with transaction.atomic():
            self._lock()
            expected = self.expected()
            differences = self.differences(expected)
            names = [self.model._meta.get_field(name).attname for name in self.key_columns]
            self.model.objects.all().delete()
            self.model.objects.bulk_create(
                (self.model(**dict(zip(names, key, strict=True)), count=count) for key, count in expected.items()),
                batch_size=2000,
            )
        return differences
