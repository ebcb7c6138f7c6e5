"""Ledger exports: exactly the filtered rows, masked, Excel and CSV read back, logged, async via the task."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from complaints.ledger_columns import export_columns
from complaints.models import LedgerExport
from core.exporters import HEADER_ROW
from core.models import AuditEntry
from core.workcalendar import get_calendar
from tests.factories import SHANGHAI, make_case
from tests.helpers import FORMULA_PAYLOADS

URL = reverse("complaints:ledger_export")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI), tick=False):
        yield


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
    # The title and caption rows come first; the table starts at its header.
    return sheet, [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]


def test_excel_export_has_exactly_the_filtered_rows_masked(client_for, clerk_a, ledger):
    response = client_for(clerk_a).get(URL, {"channel": "phone", "format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet, rows = read_xlsx(response.content)
    header, data = rows[0], rows[1:]
    assert header[0] == "编号" and header[4] == "信访人/投诉人"
    assert sorted(row[0] for row in data) == ["JB-2026-0001", "TS-2026-0001"]
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["H"].width == 40
    complaint = next(row for row in data if row[0] == "TS-2026-0001")
    assert complaint[4] == "王**" and complaint[5] == "138****5678"
    assert complaint[1] == dt.datetime(2026, 3, 2, 9, 0)  # a real date-time cell, local time
    assert complaint[11] == dt.datetime(2026, 3, 16, 0, 0)  # due date stored as a date
    assert complaint[12] is None  # not provisional
    assert (complaint[13], complaint[14], complaint[15]) == (6, 4, None)  # due on Monday 16 March
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
    assert rows[1][16] == "2026-03-12"


def test_every_export_is_logged(client_for, clerk_a, ledger):
    client_for(clerk_a).get(URL, {"channel": "phone", "format": "csv"})
    export = LedgerExport.objects.get()
    # Written at once: logged, no background job and no stored file.
    assert (export.requested_by, export.row_count, export.job) == (clerk_a, 2, None)
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
    job = export.job
    assert export.row_count == 3 and (job.state, job.progress_done, job.progress_total) == ("done", 3, 3)
    assert job.expires_at == job.finished_at + dt.timedelta(hours=72)
    assert job.file.name.startswith("exports/") and (private_files / job.file.name).exists()
    status = client.get(response["Location"]).content.decode()
    assert "已完成" in status and "3 / 3 行" in status and 'data-active="false"' in status
    assert reverse("complaints:export_download", args=[export.pk]) in status
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
    status_url = reverse("complaints:export_status", args=[export.pk])
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        client = client_for(clerk_a)  # a new session: the morning's has expired
        response = client.get(reverse("complaints:export_download", args=[export.pk]))
        assert (response.status_code, response["Location"]) == (302, status_url)
        status = client.get(status_url).content.decode()
    assert "该导出文件已过期，请重新导出。" in status
    assert reverse("complaints:export_download", args=[export.pk]) not in status


def test_waiting_export_page_polls_its_status_fragment(client_for, clerk_a, ledger, private_files, settings):
    settings.LEDGER_EXPORT_ASYNC_ROWS = 1
    client = client_for(clerk_a)
    response = client.get(URL, {"format": "xlsx"})  # the commit hook never runs: the job stays waiting
    export = LedgerExport.objects.get()
    page = client.get(response["Location"]).content.decode()
    poll_url = f"{response['Location']}?fragment=1"
    assert 'data-active="true"' in page and f'data-poll-url="{poll_url}"' in page and "core/job_status.js" in page
    assert "排队中" in page and "0 / 3 行" in page
    fragment = client.get(poll_url).content.decode()
    assert fragment.lstrip().startswith('<div class="job-status"') and "<html" not in fragment
    assert client_for(clerk_a).get(reverse("complaints:export_download", args=[export.pk])).status_code == 404


def test_the_nightly_purge_removes_expired_files_and_keeps_the_records(
    client_for, clerk_a, ledger, private_files, settings, django_capture_on_commit_callbacks
):
    from core.tasks import purge_expired_job_files_task

    settings.LEDGER_EXPORT_ASYNC_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        client_for(clerk_a).get(URL, {"format": "csv"})
    export = LedgerExport.objects.get()
    path = private_files / export.job.file.name
    assert purge_expired_job_files_task() == 0 and path.exists()  # not yet expired
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=SHANGHAI), tick=False):  # 72 hours later
        assert purge_expired_job_files_task() == 1
    export.refresh_from_db()
    assert not path.exists() and not export.job.file and export.row_count == 3
    assert purge_expired_job_files_task() == 0


def test_export_requires_login(client):
    assert client.get(URL).status_code == 302


def test_export_query_count_does_not_grow_with_rows(client_for, orgs, clerk_a, django_assert_max_num_queries):
    for _ in range(30):
        make_case(org=orgs["laizhou"], owner=clerk_a)
    client = client_for(clerk_a)
    # Caches kept per process (the calendar's days, warm; content types, cold) are set here, so the count does not
    # depend on which test this process ran before.
    get_calendar()
    ContentType.objects.clear_cache()
    # session, user, its groups, the visible scope (one UNION), the unit's full name (the title row), a savepoint,
    # the bounded count, the LedgerExport insert, the calendar's revision, the rows, the row count, the audit entry's
    # content type, then the chained audit entry (a savepoint, the chain head moved and read, the insert, the head's
    # new hash, the release) and the outer release: 19 — never per row.
    with django_assert_max_num_queries(19):
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


# --- Ready to print, and never a live formula ---------------------------------------------------------------


@pytest.fixture
def hostile_ledger(orgs, clerk_a):
    """Cases whose free text is a formula payload; one overdue (negative days left, a number)."""
    from tests.factories import make_institution
    from tests.helpers import FORMULA_PAYLOADS

    laizhou = orgs["laizhou"]
    institution = make_institution(org=laizhou, short_name="=1+2", full_name="=1+2全称")
    for n, payload in enumerate(FORMULA_PAYLOADS, start=1):
        make_case(org=laizhou, owner=clerk_a, number=f"TS-2026-{n:04d}", summary=payload, institution=institution)
    make_case(org=laizhou, owner=clerk_a, number="TS-2026-0099", name="=王小明", due_on=dt.date(2026, 3, 5))


def test_excel_and_csv_exports_never_carry_a_live_formula(client_for, clerk_a, hostile_ledger):
    from tests.helpers import assert_csv_payloads_neutralised, assert_payloads_are_text, csv_rows

    client = client_for(clerk_a)
    workbook = client.get(URL, {"format": "xlsx"}).content
    assert_payloads_are_text(workbook, [*FORMULA_PAYLOADS, "=1+2", "=王**"])
    _sheet, rows = read_xlsx(workbook)
    overdue = next(row for row in rows if row[0] == "TS-2026-0099")
    # Due Thursday 5 March, today Tuesday 10 March: nothing "left", overdue by 3 working days (6, 9 and 10 March),
    # as the page says 超期 3 个工作日; a number stays a number.
    assert overdue[13:16] == [None, None, 3] and overdue[4] == "=王**"
    csv_content = client.get(URL, {"format": "csv"}).content
    assert_csv_payloads_neutralised(csv_content, [*FORMULA_PAYLOADS, "=1+2"])
    overdue = next(row for row in csv_rows(csv_content) if row[0] == "TS-2026-0099")
    assert overdue[13:16] == ["", "", "3"] and overdue[4] == "'=王**"


def test_stored_exports_built_by_the_task_are_neutralised_too(
    client_for, clerk_a, hostile_ledger, private_files, settings, django_capture_on_commit_callbacks
):
    from tests.helpers import assert_csv_payloads_neutralised, assert_payloads_are_text

    settings.LEDGER_EXPORT_ASYNC_ROWS = 1
    client = client_for(clerk_a)
    for file_format in ("xlsx", "csv"):
        with django_capture_on_commit_callbacks(execute=True):
            client.get(URL, {"format": file_format})
        export = LedgerExport.objects.latest("pk")
        download = client.get(reverse("complaints:export_download", args=[export.pk]))
        content = b"".join(download.streaming_content)
        if file_format == "xlsx":
            assert_payloads_are_text(content)
        else:
            assert_csv_payloads_neutralised(content)


def test_excel_export_is_ready_to_print(client_for, clerk_a, ledger):
    """A title row with the unit and the filters in words, the header repeated on every printed page,
    landscape A4 fitted to the page width, an autofilter, date-times as yyyy-mm-dd hh:mm, a Chinese name."""
    from urllib.parse import quote

    response = client_for(clerk_a).get(URL, {"channel": "phone", "status": "open", "format": "xlsx"})
    assert response["Content-Disposition"].endswith("filename*=UTF-8''" + quote("信访投诉台账-20260310-093000.xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "信访投诉台账"
    caption = sheet["A2"].value
    for part in (
        "国家金融监督管理总局莱州监管支局",
        "来源渠道：电话",
        "状态：未办结（全部）",
        "2026-03-10 09:30",
        "林晓岚",
    ):
        assert part in caption, part
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.auto_filter.ref == "A3:Q5"  # the header and the two rows
    due = next(row for row in sheet.iter_rows(min_row=4) if row[0].value == "TS-2026-0001")
    assert due[1].number_format == "yyyy-mm-dd hh:mm" and due[11].number_format == "yyyy-mm-dd"


def test_ledger_workbook_prints_with_the_header_on_every_page(client_for, orgs, clerk_a, tmp_path):
    """LibreOffice prints the workbook as an office PC would: landscape pages, all columns on the page
    width, the header row repeated on page 2 and after."""
    import subprocess

    from tests.helpers import PrintedPdf

    for n in range(1, 151):
        make_case(org=orgs["laizhou"], owner=clerk_a, number=f"TS-2026-{n:04d}", summary=f"第{n}件投诉事项摘要")
    workbook = tmp_path / "台账.xlsx"
    workbook.write_bytes(client_for(clerk_a).get(URL, {"format": "xlsx"}).content)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    pdf = PrintedPdf((tmp_path / "台账.pdf").read_bytes(), tmp_path)
    assert re.search(r"Page size: +841\.\d+ x 595\.\d+ pts", pdf.info)  # A4 landscape
    assert 2 <= pdf.page_count <= 4  # 150 rows, about 50 a page, every column on the page width
    assert pdf.page_of("信访投诉台账") == 1 and "筛选条件：全部" in pdf.pages[0]
    header = export_columns()
    for page in pdf.pages:  # every column title on every page: the header repeats, no column is cut off
        assert all(column.title in page for column in header), page[:200]
    assert "信访投诉台账" not in pdf.pages[1]  # the title prints once; the header on every page
    assert "第2页，共" in pdf.pages[1]
