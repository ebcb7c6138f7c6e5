"""Writing a large demo load with PostgreSQL's COPY (docs/performance.md「生成百万件」).

`copy_insert(objs)` stores model instances as `bulk_create` followed by simple_history's `bulk_history_create`
would — the same column values, one initial history row each ("+", a change reason, no user) — but writes
them as one COPY per table: Django's bulk INSERT spends most of a large load preparing each value in Python and
dumping each column as an array. The instances get their primary keys from the table's own sequence, reserved
beforehand, so that the rows of their children can point at them. No signals are sent (bulk_create sends none).

Only the field types the demo's tables use are written; any other raises TypeError rather than guessing.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from psycopg import sql

from core import crypto
from core.fields import BlindIndexField, EncryptedCharField

NULL = "\\N"
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_TEXT = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}
_INTEGER = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


def _text(value) -> str:
    # str.translate on a TextChoices member reads its value, as the database adapter would.
    return NULL if value is None else str.translate(value, _ESCAPE)


def _integer(value) -> str:
    return NULL if value is None else str(int(value))


def _boolean(value) -> str:
    return NULL if value is None else ("t" if value else "f")


def _date(value) -> str:
    return NULL if value is None else value.isoformat()


def _moment(value) -> str:
    if value is None:
        return NULL
    if timezone.is_naive(value):
        raise ValueError(f"naive datetime {value!r}: the demo writes aware datetimes only")
    return value.isoformat()


def _decimal(value) -> str:
    return NULL if value is None else str(value)


def _encrypted(value) -> str:
    return _text(crypto.encrypt(value) if value else value)


def _formatter(field: models.Field) -> Callable[[object], str]:
    if isinstance(field, EncryptedCharField):
        return _encrypted
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind in _TEXT:
        return _text
    if kind in _INTEGER:
        return _integer
    by_kind = {
        "BooleanField": _boolean,
        "DateField": _date,
        "DateTimeField": _moment,
        "DecimalField": _decimal,
    }
    if kind not in by_kind:
        raise TypeError(f"copy_insert does not write {kind} ({field.model.__name__}.{field.name})")
    return by_kind[kind]


def _reader(field: models.Field) -> Callable[[object], object]:
    """How the field's value is read off an instance: its pre_save where that computes or stamps the value (a blind
    index, auto_now), otherwise the attribute itself."""
    if isinstance(field, BlindIndexField) or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, True)
    return operator.attrgetter(field.attname)


class _Table:
    """The columns of one model and how each is written."""

    def __init__(self, model: type[models.Model], *, skip: Sequence[str] = ()):
        fields = [field for field in model._meta.concrete_fields if field.attname not in skip]
        self.model = model
        self.attnames = [field.attname for field in fields]
        self.columns = [field.column for field in fields]
        self.readers = [_reader(field) for field in fields]
        self.formatters = [_formatter(field) for field in fields]

    def cells(self, obj) -> dict[str, str]:
        return {
            attname: fmt(read(obj))
            for attname, read, fmt in zip(self.attnames, self.readers, self.formatters, strict=True)
        }

    def copy(self, lines: list[str]) -> None:
        if not lines:
            return
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, self.columns))
        )
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write("\n".join(lines) + "\n")


_TABLES: dict[tuple[type[models.Model], bool], _Table] = {}


def _table(model, *, history: bool = False) -> _Table:
    key = (model, history)
    if key not in _TABLES:
        _TABLES[key] = _Table(model.history.model, skip=("history_id",)) if history else _Table(model)
    return _TABLES[key]


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys from the table's own sequence, as INSERT would draw them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_insert(objs: list[models.Model], *, history_reason: str | None = None) -> list[models.Model]:
    """Store `objs` (all of one model) with COPY, and with `history_reason` one initial history row each."""
    if not objs:
        return objs
    model = type(objs[0])
    pk = model._meta.pk
    if isinstance(pk, AutoFieldMixin):
        for obj, pk_value in zip(objs, reserve_ids(model, len(objs)), strict=True):
            obj.pk = pk_value
    table = _table(model)
    rows = [table.cells(obj) for obj in objs]
    table.copy(["\t".join(row.values()) for row in rows])
    if history_reason is not None:
        _copy_history(model, rows, history_reason)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _copy_history(model, rows: list[dict[str, str]], reason: str) -> None:
    """One history row per stored row: its own cells (an encrypted value keeps the same token) and the history's."""
    table = _table(model, history=True)
    own = {
        "history_date": _moment(timezone.now()),
        "history_change_reason": _text(reason),
        "history_type": "+",
        "history_user_id": NULL,
    }
    table.copy(["\t".join(row[name] if name in row else own[name] for name in table.attnames) for row in rows])
