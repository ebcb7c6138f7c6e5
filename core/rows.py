"""Several small querysets of different models read in one round trip (docs/performance.md「案件页」).

A page that shows a dozen short lists of one record (the case page: its events, documents, steps, attachments…)
would otherwise pay one query per list, however short. `fetch_together` sends them as one `UNION ALL`, each row
carried as a JSON object of its columns (`JSON_OBJECT` on SQLite, `JSONB_BUILD_OBJECT` on PostgreSQL), and turns the
rows back into model instances with the same Python values a normal query gives (dates, aware datetimes, decrypted
personal data). Each list keeps its queryset's ordering (sorted in Python: a compound query cannot order its
parts). Related rows are not joined: the caller attaches them (`attach`) from rows it already has.

`fetch_prepared` does the same for lists read the same way for every record of one shape: their SQL is compiled
once per process with a `Slot` for each value, and each call fills the slots.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import sys
from collections.abc import Callable, Hashable, Iterable

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BigIntegerField, Field, JSONField, QuerySet, Value
from django.db.models.expressions import Expression, RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime

FIELDS_PER_OBJECT = 40


def fetch_together(querysets: dict[str, QuerySet]) -> dict[str, list]:
    """The rows of each queryset (unsliced; filter a slice by primary key first), keyed as given: one query."""
    if not querysets:
        return {}
    db = next(iter(querysets.values())).db
    union = _union(querysets, connections[db].vendor)
    return _decode(list(union), querysets, db)


class Slot(Expression):
    """A named value in a query compiled once (`fetch_prepared`): it compiles to a placeholder, filled at each run.

    Use it where a filter takes a value: `filter(case_id=Slot("case"))`, `filter(start_on__lte=Slot("today",
    DateField()))`, `Q(path__startswith=Slot("path", CharField()))`. A lookup across a relation with `__in` does not
    take expressions: OR several equalities instead. `output_field` prepares the value given for the database, as
    the field of a plain filter would.
    """

    def __init__(self, name: str, output_field: Field | None = None):
        super().__init__(output_field=output_field or BigIntegerField())
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [_Placeholder(self.name, self.output_field)]


class _Placeholder:
    __slots__ = ("field", "name")

    def __init__(self, name: str, field: Field):
        self.name, self.field = name, field


# (database alias, caller's key) → (SQL, parameters with placeholders, the querysets it was built from).
_prepared: dict[tuple, tuple[str, list, dict[str, QuerySet]]] = {}


def fetch_prepared(
    key: Hashable, build: Callable[[], dict[str, QuerySet]], values: dict, *, using: str = DEFAULT_DB_ALIAS
) -> dict[str, list]:
    """`fetch_together` for querysets of a fixed shape, compiled once per process (docs/performance.md
    「2026-12-06 第五轮」).

    `build()` returns the querysets with a `Slot` wherever a value goes; `values` gives each slot's value for this
    run. `key` must name everything `build` depends on besides the slots (which lists, how many values an `__in`
    takes): the SQL compiled for a key is reused for every later call with that key. Building and compiling a
    dozen querysets cost the case page more than the database's work; this pays it once.
    """
    entry = _prepared.get((using, key))
    if entry is None:
        querysets = {name: queryset.using(using) for name, queryset in build().items()}
        union = _union(querysets, connections[using].vendor)
        sql, params = union.query.get_compiler(using=using).as_sql()
        entry = _prepared[(using, key)] = (sql, list(params), querysets)
    sql, params, querysets = entry
    connection = connections[using]
    bound = [_bind(param, values, connection) for param in params]
    with preparing_cursor(connection) as cursor:
        cursor.execute(sql, bound)
        rows = cursor.fetchall()
    return _decode(rows, querysets, using)


class PreparingCursor(psycopg.Cursor):
    """psycopg's server-side binding cursor, every statement prepared on its connection at first use."""

    def execute(self, query, params=None, *, prepare=True, **kwargs):
        result = super().execute(query, params, prepare=prepare, **kwargs)
        # psycopg keeps no text for a prepared run; Django's query log (DEBUG, tests) reads `_query.query`.
        self._query = _LoggedQuery(self.connection, query, params)
        return result


class _LoggedQuery:
    """The SQL with its values in place, as Django logs a query: composed only when the log reads it."""

    __slots__ = ("connection", "params", "sql")

    def __init__(self, connection, sql, params):
        self.connection, self.sql, self.params = connection, sql, params

    @property
    def query(self) -> bytes:
        try:
            return psycopg.ClientCursor(self.connection).mogrify(self.sql, self.params).encode()
        except psycopg.DataError:  # a value with no text form: the SQL as sent (Django's compose_sql gives up too)
            return self.sql.encode()


def preparing_cursor(connection):
    """A cursor whose statements PostgreSQL parses and plans once per connection (docs/performance.md「预备语句」).

    On PostgreSQL (unless DATABASE_PREPARED_STATEMENTS is off), a `PreparingCursor` in Django's own wrapper
    (`_prepare_cursor`: the same query logging, counting and error translation as `connection.cursor()`). These
    statements are the same text for every record of a shape and select by primary key: PostgreSQL parses each once
    per connection (again after a rollback: psycopg then deallocates every prepared statement) and, where one plan
    fits every value (the signed-in user, the case), plans it once too; the case page's two unions took 1.3 ms to
    plan and 0.4 ms to run. Every other query keeps Django's client-side binding: its plan depends on the values
    (an office's size, a handler's cases) and is made for them each time.

    The steps are those of Django 5.2's `BaseDatabaseWrapper._cursor()` with our cursor in place of
    `create_cursor()` (which only adds a time-zone loader: these rows carry their times as JSON text). Check them
    again when Django is upgraded; the PostgreSQL tests of the case page would fail on a changed signature."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off; a number turns it on for cursors that ask (`prepare=True`). Django's
        # own cursors bind on the client and are never prepared, but psycopg now keeps its small LRU tally of them.
        raw.prepare_threshold = sys.maxsize
    with connection.wrap_database_errors:
        return connection._prepare_cursor(PreparingCursor(raw))


def _bind(param, values: dict, connection):
    if not isinstance(param, _Placeholder):
        return param
    if param.name not in values:
        raise KeyError(f"fetch_prepared: no value given for slot {param.name!r}")
    # On PostgreSQL the field types the value (an id slot's BigIntegerField gives psycopg's Int8), so every value
    # of a slot has one type and a shape stays one prepared statement.
    return param.field.get_db_prep_value(values[param.name], connection)


def _union(querysets: dict[str, QuerySet], vendor: str) -> QuerySet:
    """One `UNION ALL` of the querysets, each row as (key, JSON object, …) with as many objects in every branch."""
    # A JSON object takes at most FIELDS_PER_OBJECT columns (PostgreSQL passes a function at most 100 arguments):
    # a wide model's row spans several objects, and every branch of the union has as many, empty or not.
    chunked = {
        key: [fields[i : i + FIELDS_PER_OBJECT] for i in range(0, len(fields), FIELDS_PER_OBJECT)]
        for key, queryset in querysets.items()
        for fields in [queryset.model._meta.concrete_fields]
    }
    width = max(len(chunks) for chunks in chunked.values())
    branches = []
    for key, queryset in querysets.items():
        chunks = chunked[key] + [()] * (width - len(chunked[key]))
        table = queryset.model._meta.db_table
        parts = {f"_row{n}": _json_object(table, chunk, vendor) for n, chunk in enumerate(chunks)}
        branch = queryset.select_related(None).order_by().annotate(_kind=Value(key), **parts)
        branches.append(branch.values_list("_kind", *parts))
    return branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]


def _decode(union_rows, querysets: dict[str, QuerySet], db: str) -> dict[str, list]:
    vendor = connections[db].vendor
    rows: dict[str, list] = {key: [] for key in querysets}
    for key, *parts in union_rows:
        data = {}
        for part in parts:
            data.update(json.loads(part) if isinstance(part, str) else part)
        rows[key].append(_instance(querysets[key].model, data, db, vendor))
    for key, queryset in querysets.items():
        rows[key] = _ordered(rows[key], queryset)
    return rows


def _json_object(table: str, fields, vendor: str) -> RawSQL:
    """The columns as one JSON object, spelt in SQL directly: the ORM's `JSONObject` resolves an expression per
    column, which for a few hundred columns cost more than the query itself (docs/performance.md「案件页」)."""
    function = "JSONB_BUILD_OBJECT" if vendor == "postgresql" else "JSON_OBJECT"
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    # Column names come from the models, never from input. A decimal goes as text: a JSON number would lose its
    # scale (4200.00 → 4200) and, read back as a float, its exactness.
    pairs = ", ".join(
        f"'{field.attname}', "
        + (
            f"CAST({quote(table)}.{quote(field.column)} AS TEXT)"
            if field.get_internal_type() == "DecimalField"
            else f"{quote(table)}.{quote(field.column)}"
        )
        for field in fields
    )
    return RawSQL(f"{function}({pairs})", (), output_field=JSONField())  # noqa: S611  # nosec B611


def attach(instances: Iterable, field_name: str, by_pk: dict) -> None:
    """Fill each instance's foreign key `field_name` from rows already loaded (`{pk: row}`), as select_related
    would; a key whose row is missing is left to load lazily."""
    for instance in instances:
        field = instance._meta.get_field(field_name)
        value = getattr(instance, field.attname)
        if value is None:
            field.set_cached_value(instance, None)
        elif value in by_pk:
            field.set_cached_value(instance, by_pk[value])


def _instance(model, data: dict, db: str, vendor: str):
    fields = model._meta.concrete_fields
    values = [_python(field, data.get(field.attname), db, vendor) for field in fields]
    return model.from_db(db, [field.attname for field in fields], values)


def _python(field, value, db: str, vendor: str):
    if value is None:
        return None
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        parsed = value if isinstance(value, dt.datetime) else parse_datetime(value)
        if settings.USE_TZ and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, dt.UTC)
        return parsed
    if internal == "DecimalField":
        return decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
    if internal == "JSONField":
        # SQLite embeds a JSON column as a string; PostgreSQL nests it as JSON.
        return json.loads(value) if vendor == "sqlite" and isinstance(value, str) else value
    if hasattr(field, "from_db_value"):
        return field.from_db_value(value, None, connections[db])
    return field.to_python(value)


def _ordered(instances: list, queryset: QuerySet) -> list:
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    for name in reversed(ordering):
        if not isinstance(name, str):
            continue
        descending = name.startswith("-")
        field_name = name.lstrip("-")
        if "__" in field_name:
            raise ValueError(f"fetch_together cannot order by a related field: {name}")
        if field_name == "pk":
            field_name = queryset.model._meta.pk.attname
        else:
            field = queryset.model._meta.get_field(field_name)
            field_name = field.attname
        instances.sort(key=lambda row, f=field_name: _sort_key(getattr(row, f)), reverse=descending)
    return instances


def _sort_key(value):
    return (value is not None, value)
