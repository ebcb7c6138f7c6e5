"""Ledger exports: exactly the filtered rows, masked, Excel and CSV read back, logged, async via the task."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from complaints.models import LedgerExport
from core.models import AuditEntry
from tests.complaints.ledger_cases import SHANGHAI, make_case

URL = reverse("complaints:ledger_export")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def ledger(orgs, clerk_a, other_clerk):
    laizhou = orgs["laizhou"]
    make_case(org=laizhou, owner=clerk_a, number="TS-2026-0001", channel="phone", due_on=dt.date(2026, 3, 16))
    make_case(org=laizhou, owner=clerk_a, number="TS-2026-0002", channel="visit", status="closed")
    make_case(org=laizhou, owner=clerk_a, number="JB-2026-0001", case_type="report", channel="phone", name="李举报")
    make_case(org=orgs["zhaoyuan"], owner=other_clerk, number="TS-2026-0900", channel="phone")


def read_xlsx(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def test_excel_export_has_exactly_the_filtered_rows_masked(client_for, clerk_a, ledger):
    response = client_for(clerk_a).get(URL, {"channel": "phone", "format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet, rows = read_xlsx(response.content)
    header, data = rows[0], rows[1:]
    assert header[0] == "编号" and header[4] == "信访人/投诉人"
    assert sorted(row[0] for row in data) == ["JB-2026-0001", "TS-2026-0001"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["H"].width == 40
    complaint = next(row for row in data if row[0] == "TS-2026-0001")
    assert complaint[4] == "王**" and complaint[5] == "138****5678"
    assert complaint[1] == dt.datetime(2026, 3, 2, 9, 0)  # a real date-time cell, local time
    assert complaint[11] == dt.datetime(2026, 3, 16, 0, 0)  # due date stored as a date
    assert complaint[12] == 6
    report = next(row for row in data if row[0] == "JB-2026-0001")
    assert report[4] == "举报人（保密）" and report[5] is None
    text = repr(rows)
    assert "王小明" not in text and "370683199001011237" not in text and "13812345678" not in text


def test_csv_export_reads_back(client_for, clerk_a, ledger):
    response = client_for(clerk_a).get(URL, {"status": "closed", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "编号"
    assert [row[0] for row in rows[1:]] == ["TS-2026-0002"]
    assert rows[1][14] == "2026-03-12"


def test_every_export_is_logged(client_for, clerk_a, ledger):
    client_for(clerk_a).get(URL, {"channel": "phone", "format": "csv"})
    export = LedgerExport.objects.get()
    assert (export.requested_by, export.row_count, export.state) == (clerk_a, 2, "done")
    assert export.filters == {"channel": "phone"}
    entry = AuditEntry.objects.get(action="complaints.ledger.exported")
    assert entry.actor == clerk_a and entry.data["row_count"] == 2 and entry.data["filters"] == {"channel": "phone"}


def test_large_export_runs_as_a_task_and_is_downloaded_from_its_page(
    client_for, clerk_a, other_clerk, ledger, private_files, settings, django_capture_on_commit_callbacks
):
    settings.LEDGER_EXPORT_ASYNC_ROWS = 1
    client = client_for(clerk_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(URL, {"format": "xlsx"})
    export = LedgerExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:export_status", args=[export.pk])
    export.refresh_from_db()
    assert export.state == "done" and export.row_count == 3 and export.expires_at is not None
    assert export.file.name.startswith("exports/") and (private_files / export.file.name).exists()
    status = client.get(response["Location"])
    assert "下载" in status.content.decode()
    download = client.get(reverse("complaints:export_download", args=[export.pk]))
    _sheet, rows = read_xlsx(b"".join(download.streaming_content))
    assert len(rows) == 4
    assert AuditEntry.objects.filter(action="complaints.ledger.export_downloaded").count() == 1
    # The other sub-bureau learns nothing: 404 on the status page and on the download.
    outsider = client_for(other_clerk)
    assert outsider.get(reverse("complaints:export_status", args=[export.pk])).status_code == 404
    assert outsider.get(reverse("complaints:export_download", args=[export.pk])).status_code == 404


def test_expired_export_is_not_served(
    client_for, clerk_a, ledger, private_files, settings, django_capture_on_commit_callbacks
):
    settings.LEDGER_EXPORT_ASYNC_ROWS = 1
    client = client_for(clerk_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(URL, {"format": "csv"})
    export = LedgerExport.objects.get()
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        response = client.get(reverse("complaints:export_download", args=[export.pk]))
    assert response.status_code == 302


def test_export_requires_login(client):
    assert client.get(URL).status_code == 302


def test_export_query_count_does_not_grow_with_rows(client_for, orgs, clerk_a, django_assert_max_num_queries):
    for _ in range(30):
        make_case(org=orgs["laizhou"], owner=clerk_a)
    client = client_for(clerk_a)
    # session, user, scope UNION, the bounded count, the calendar (revision, and days when not cached), the
    # rows, the LedgerExport insert and update, the audit entry (with its content type) — never per row.
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"format": "xlsx"})
    assert response.status_code == 200


def test_export_ledger_command_writes_excel_and_csv(orgs, ledger, tmp_path):
    out = tmp_path / "ledger.xlsx"
    call_command("export_ledger", "--out", str(out), "--org", "laizhou", "--from", "2026-03-01", "--to", "2026-03-31")
    _sheet, rows = read_xlsx(out.read_bytes())
    assert sorted(row[0] for row in rows[1:]) == ["JB-2026-0001", "TS-2026-0001", "TS-2026-0002"]
    out_csv = tmp_path / "ledger.csv"
    call_command("export_ledger", "--out", str(out_csv))
    assert len(list(csv.reader(out_csv.open(encoding="utf-8-sig")))) == 5
    assert AuditEntry.objects.filter(action="complaints.ledger.exported").count() == 2
