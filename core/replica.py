"""Heavy read-only report work on a PostgreSQL streaming replica (docs/operations.md「多台服务器」, 只读副本).

With DATABASE_REPLICA_URL set, settings.py adds the database alias `replica` and REPORT_READS_DATABASE names it.
The reads that may go there are wrapped in `replica_reads()` by the code that makes them, and only those:

- the figures of a statistics report when it is drafted or refreshed (laizhou_xiaobao/statistics/services.py);
- the per-institution figures and evidence of a quarterly list when it is drafted or refreshed
  (institutions/services/lists.py);
- the rows of a ledger export built by the background task (complaints/services/ledger_export.py).

Everything else reads and writes the primary (`default`): pages, workflow, the branch's side-by-side view (two
small queries over submissions the reviewer has just returned or accepted, which a lagging replica would show in
their old state) and the small exports written during the request. Writes always go to `default`, also for rows
that were read from the replica, and migrations run on `default` only.

The wrapped reads never depend on the surrounding transaction's own writes (they read cases, mediation and outreach
records, not the report or list being written), so a replica some seconds behind gives the figures of some seconds
ago, which is what a report drawn up after its period has ended can accept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

DEFAULT = "default"

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside: the ORM's reads go to REPORT_READS_DATABASE (the replica when one is configured); writes do not."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: report reads inside `replica_reads()` to the replica, everything else to default."""

    def db_for_read(self, model, **hints):
        return settings.REPORT_READS_DATABASE if _reading_reports.get() else DEFAULT

    def db_for_write(self, model, **hints):
        # Explicit: without it a row read from the replica would be saved back to where it was read from.
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: a row from either may point at a row from the other.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT, settings.REPORT_READS_DATABASE}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT
