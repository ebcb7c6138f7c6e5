"""The database router (core/replica.py, docs/operations.md「多台服务器」只读副本): with a replica configured, the
heavy report reads — a statistics report's figures, a quarterly list's roll-up, a background ledger export's rows —
go to it, and every write, and every other read, to the primary.

The alias `replica` is the test database itself through a second connection (TEST MIRROR, tests/conftest.py), so
what each connection was asked is what the router chose. Transactional tests: the second connection sees only
committed rows, as a real replica would."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from complaints.models import Case, LedgerExport
from complaints.services.ledger_export import ledger_export_request
from core.replica import replica_reads
from institutions.models import ListRow
from institutions.services.lists import list_draft
from laizhou_xiaobao.statistics.services import report_draft
from tests.factories import at, make_case, make_institution, make_institution_case

pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class Queries:
    """What each connection ran while the block ran."""

    def __init__(self):
        self.default = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])

    def __enter__(self):
        self.default.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.default.__exit__(*exc)

    @staticmethod
    def _sql(context) -> list[str]:
        return [query["sql"] for query in context.captured_queries]

    def reads_of(self, alias: str, table: str) -> list[str]:
        return [sql for sql in self._sql(getattr(self, alias)) if f'"{table}"' in sql and not WRITE.match(sql)]

    def writes_on(self, alias: str) -> list[str]:
        return [sql for sql in self._sql(getattr(self, alias)) if WRITE.match(sql)]


@pytest.fixture
def replica(settings):
    """A deployment with DATABASE_REPLICA_URL: report reads go to the alias `replica`."""
    settings.REPORT_READS_DATABASE = "replica"


def test_reads_inside_replica_reads_go_to_the_replica_and_writes_to_default(replica, orgs, clerk_a):
    case = make_case(org=orgs["laizhou"], owner=clerk_a)
    with Queries() as queries, replica_reads():
        from_replica = Case.objects.get(pk=case.pk)
        read_from = from_replica._state.db
        from_replica.summary = "副本读出后修改"
        from_replica.save(update_fields=["summary"])
    assert (read_from, from_replica._state.db) == ("replica", "default")
    assert queries.reads_of("replica", "complaints_case") and not queries.writes_on("replica")
    assert [sql for sql in queries.writes_on("default") if "complaints_case" in sql]

    with Queries() as queries:
        assert Case.objects.get(pk=case.pk).summary == "副本读出后修改"
    assert queries.reads_of("default", "complaints_case") and not queries.replica.captured_queries


def test_without_a_replica_the_report_reads_stay_on_default(orgs, clerk_a):
    make_case(org=orgs["laizhou"], owner=clerk_a)
    with Queries() as queries, replica_reads():
        assert Case.objects.count() >= 1
    assert queries.reads_of("default", "complaints_case") and not queries.replica.captured_queries


def test_a_statistics_report_draws_its_figures_from_the_replica(replica, orgs, clerk_a):
    make_case(org=orgs["laizhou"], owner=clerk_a, received_on=dt.date(2026, 8, 3))
    with at("2026-10-12"), Queries() as queries:
        report = report_draft(actor=clerk_a, org=orgs["laizhou"], year=2026, quarter=3)
    assert report.figures["headline"]
    for table in ("complaints_case", "mediation_mediationcase", "outreach_event"):
        assert queries.reads_of("replica", table), table
        assert not queries.reads_of("default", table), table
    assert not queries.writes_on("replica")
    assert [sql for sql in queries.writes_on("default") if "statistics_statisticsreport" in sql]
    # The report itself (is there one for the period already?) is read on the primary.
    assert queries.reads_of("default", "statistics_statisticsreport")
    assert not queries.reads_of("replica", "statistics_statisticsreport")


def test_a_quarterly_list_rolls_up_the_quarter_from_the_replica(replica, orgs, clerk_a):
    bank = make_institution(org=orgs["laizhou"], short_name="东岳银行")
    for _n in range(3):
        make_institution_case(institution=bank, received_on=dt.date(2026, 8, 3), owner=clerk_a)
    with at("2026-10-12"), Queries() as queries:
        quarterly_list = list_draft(org=orgs["laizhou"], year=2026, quarter=3, actor=clerk_a)
    row = ListRow.objects.get(quarterly_list=quarterly_list, institution=bank)
    assert row.figures  # the three complaints were counted
    assert queries.reads_of("replica", "complaints_case")
    assert not queries.reads_of("default", "complaints_case")
    assert not queries.writes_on("replica")
    assert [sql for sql in queries.writes_on("default") if "institutions_listrow" in sql]


def test_a_background_ledger_export_reads_its_rows_from_the_replica(replica, orgs, clerk_a, private_files, settings):
    settings.LEDGER_EXPORT_ASYNC_ROWS = 1
    for number in range(3):
        make_case(org=orgs["laizhou"], owner=clerk_a, number=f"TS-2026-{number + 1:04d}")
    with at("2026-03-10"), Queries() as queries:
        export, content = ledger_export_request(
            actor=clerk_a,
            queryset=Case.objects.filter(org=orgs["laizhou"]),
            filters={},
            file_format="xlsx",
            org=orgs["laizhou"],
        )
    assert content is None  # queued, and built by the in-process task runner (no broker in this test)
    export = LedgerExport.objects.select_related("job").get(pk=export.pk)
    assert (export.row_count, export.job.state) == (3, "done")
    with export.job.file.open("rb") as stored:
        sheet = openpyxl.load_workbook(io.BytesIO(stored.read()), read_only=True).active
        cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {"TS-2026-0001", "TS-2026-0002", "TS-2026-0003"} <= cells
    assert queries.reads_of("replica", "complaints_case")
    assert not queries.writes_on("replica")
    assert [sql for sql in queries.writes_on("default") if "core_backgroundjob" in sql]
