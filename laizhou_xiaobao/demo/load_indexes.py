"""The indexes of a large demo load's tables on PostgreSQL: dropped before the load, built again after it on two
connections side by side (docs/performance.md「生成百万件」).

Keeping 87 B-tree indexes and the search's GIN index up to date row by row costs a large load more than
building them once from the loaded rows. Only indexes the models declare are dropped — the statements that build
them again come from Django's schema editor, the same SQL and names as the migrations' — plus the GIN index of
the search (migration 0002), never a unique index or a constraint. A load that dies before building them leaves
them missing; `build_missing()`, which every seed_demo on PostgreSQL runs first, builds them again.
"""

from __future__ import annotations

import threading
from queue import Empty, SimpleQueue

from django.db import connection, transaction
from psycopg import sql

from complaints.models import Case, Contact, Forwarding
from core.models import Deadline

SEARCH_GIN = "complaints_search_bigrams_gin"
SEARCH_GIN_SQL = (
    "CREATE INDEX IF NOT EXISTS complaints_search_bigrams_gin "
    "ON complaints_casesearchindex USING gin (complaints_bigrams(bigrams))"
)
LOADED = (Case, Contact, Forwarding, Deadline)
WORKERS = 2


def _models():
    for model in LOADED:
        yield model
        yield model.history.model


def loaded_tables() -> tuple[str, ...]:
    """The tables a large load writes besides the search index: each loaded model's and its history's."""
    return tuple(model._meta.db_table for model in _models())


def declared() -> dict[str, str]:
    """Index name → CREATE INDEX IF NOT EXISTS, for every index the loaded models and their histories declare
    that is not unique, and the search's GIN index first (the longest to build)."""
    statements = {SEARCH_GIN: SEARCH_GIN_SQL}
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        for model in _models():
            for statement in editor._model_indexes_sql(model):
                name = str(statement.parts["name"]).strip('"')
                statements[name] = str(statement).replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
    return statements


def drop() -> list[str]:
    """Drop the indexes `declared()` names; the statements that build them again, the longest first."""
    statements = declared()
    with transaction.atomic(), connection.cursor() as cursor:
        for name in statements:
            cursor.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(sql.Identifier(name)))
    return list(statements.values())


def build_missing() -> list[str]:
    """Build the declared indexes a load that died left missing; the names built."""
    statements = declared()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(statements)])
        present = {name for (name,) in cursor.fetchall()}
    missing = [name for name in statements if name not in present]
    run_side_by_side([statements[name] for name in missing])
    return missing


def run_side_by_side(statements: list[str], *, workers: int = WORKERS) -> None:
    """Run `statements` (index builds, VACUUM) outside any transaction on `workers` connections of their own, each
    taking the next statement in order as it comes free. The first failure is raised once all have stopped."""
    queue: SimpleQueue[str] = SimpleQueue()
    for statement in statements:
        queue.put(statement)
    failures: list[BaseException] = []

    def work():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                # One core each: a B-tree build's parallel workers would only slow the GIN build beside it.
                cursor.execute("SET max_parallel_maintenance_workers = 0")
                while not failures:
                    try:
                        statement = queue.get_nowait()
                    except Empty:
                        return
                    cursor.execute(statement)
        except BaseException as failure:  # noqa: BLE001 # raised in the calling thread below
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(min(workers, len(statements)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
