"""The ledger's columns are written once (complaints/ledger_columns.py): the page's header and cells and the
export's header and cells follow the one table, so a column added there appears everywhere."""

import datetime as dt
import io
import re

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from complaints import ledger_columns
from complaints.ledger_columns import LEDGER_COLUMNS, LedgerColumn
from core.exporters import HEADER_ROW, Column
from tests.factories import SHANGHAI, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def cases(orgs, clerk_a, clerk_b):
    make_case(org=orgs["laizhou"], owner=clerk_a, backup=clerk_b, number="TS-2026-0042", due_on=dt.date(2026, 3, 25))
    make_case(org=orgs["laizhou"], owner=clerk_a, number="TS-2026-0043", status="closed")


def _page(client):
    body = client.get(reverse("complaints:index")).content.decode()
    table = body.split('data-testid="ledger-table"')[1].split("</table>")[0]
    header = re.findall(r'<th scope="col">([^<]*)</th>', table)
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])]
    return header, rows


def _export(client):
    response = client.post(reverse("complaints:ledger_export"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
    return rows[0], rows[1:]


def test_the_page_and_the_export_follow_the_one_column_table(client_for, clerk_a, cases):
    client = client_for(clerk_a)
    header, rows = _page(client)
    assert header == [str(column.title) for column in LEDGER_COLUMNS if column.page is not None]
    assert all(len(row) == len(header) for row in rows) and len(rows) == 2
    export_header, export_rows = _export(client)
    assert export_header == [c.title for column in LEDGER_COLUMNS for c, _cell in column.export]
    assert all(len(row) == len(export_header) for row in export_rows)
    # The page's A岗/B岗 is the export's A岗 and B岗; the phone is the export's alone (masked).
    assert "A岗/B岗" in header and {"A岗", "B岗", "联系电话"} <= set(export_header) and "联系电话" not in header


def test_a_column_added_in_one_place_appears_in_the_header_the_cells_and_the_export(
    client_for, clerk_a, cases, monkeypatch
):
    added = LedgerColumn(
        "登记序号",
        lambda line: f"序{line.case.number[-4:]}",
        ((Column("登记序号", 10), lambda line: f"序{line.case.number[-4:]}"),),
    )
    # After 编号: the table's order is the page's and the export's.
    monkeypatch.setattr(ledger_columns, "LEDGER_COLUMNS", (LEDGER_COLUMNS[0], added, *LEDGER_COLUMNS[1:]))
    client = client_for(clerk_a)
    header, rows = _page(client)
    assert header[:2] == ["编号", "登记序号"]
    assert sorted(row[1] for row in rows) == ["序0042", "序0043"]
    export_header, export_rows = _export(client)
    assert export_header[:2] == ["编号", "登记序号"]
    assert sorted(row[1] for row in export_rows) == ["序0042", "序0043"]
