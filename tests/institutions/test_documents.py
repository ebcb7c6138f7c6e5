"""The list's PDF and Excel files, read back: names, CJK font, landscape pages, sheets, no personal data."""

import datetime as dt
import io
import re
import subprocess

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from institutions.models import ListItem
from institutions.services import lists as svc
from institutions.services.documents import build_pdf, build_xlsx, list_generate_files, list_request_files
from tests.factories import make_institution, make_institution_case
from tests.helpers import PrintedPdf


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def quarterly_list(orgs, clerk_a, bank, insurer):
    for _n in range(6):
        make_institution_case(
            institution=bank,
            received_on=dt.date(2026, 8, 3),
            owner=clerk_a,
            name="王小明",
            phone="13812345678",
            id_number="370683199001011234",
        )
    quarterly_list = svc.list_draft(org=orgs["laizhou"], year=2026, quarter=3, actor=clerk_a)
    for item in ListItem.objects.filter(row__quarterly_list=quarterly_list):
        svc.item_decide(actor=clerk_a, item=item, accept=True)
    return quarterly_list


def _pdf_text(path):
    """The text with all white space removed: table cells wrap Chinese names across lines."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split(" ")).replace("\n", "")


def test_pdf_has_names_cjk_font_landscape_pages_and_no_personal_data(quarterly_list, tmp_path):
    path = tmp_path / "list.pdf"
    path.write_bytes(build_pdf(quarterly_list))
    text = _pdf_text(path)
    assert "东岳银行股份有限公司莱州支行" in text
    assert "泰和人寿保险股份有限公司莱州营销服务部" in text
    assert "县域金融机构消费者权益保护正负面清单" in text
    assert "2026年第3季度" in text
    assert "第1页/共1页" in text
    assert "负责人（签字）" in text
    assert "本季度被投诉6件" in text
    for personal in ("王小明", "13812345678", "370683199001011234", "138****5678"):
        assert personal not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Noto-?Serif-?CJK", fonts) and "Sans" not in fonts
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size: +841\.\d+ x 595\.\d+ pts", info)  # A4 landscape


def test_table_header_repeats_on_every_page(orgs, clerk_a, tmp_path, rules):
    for n in range(60):
        make_institution(
            org=orgs["laizhou"], short_name=f"测试机构{n:02d}", full_name=f"测试银行股份有限公司第{n:02d}支行"
        )
    quarterly_list = svc.list_draft(org=orgs["laizhou"], year=2026, quarter=3, actor=clerk_a)
    path = tmp_path / "long.pdf"
    path.write_bytes(build_pdf(quarterly_list))
    pages = _pdf_text(path).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert "正面事项" in page and "负面事项" in page and "总体评价" in page
    assert f"共{len(pages)}页" in pages[-1]


def test_excel_has_three_sheets_frozen_headers_values_no_formulas(quarterly_list, bank):
    book = load_workbook(io.BytesIO(build_xlsx(quarterly_list)))
    assert book.sheetnames == ["汇总", "正面清单", "负面清单"]
    summary = book["汇总"]
    # A title row and a caption row (unit, period, version, status), then the header, frozen below it.
    assert summary["A1"].value == "县域金融机构消费者权益保护正负面清单——汇总"
    assert "国家金融监督管理总局莱州监管支局" in summary["A2"].value and "2026年第3季度" in summary["A2"].value
    assert summary.freeze_panes == "A4"
    assert summary["A3"].value == "序号" and summary["B3"].value == "机构"
    rows = {row[1]: row for row in summary.iter_rows(min_row=4, values_only=True)}
    bank_row = rows["东岳银行股份有限公司莱州支行"]
    assert bank_row[3] == 6  # complaints
    assert bank_row[4] == 3 and summary["E4"].data_type == "n"  # 网点平均: a number (6 complaints, 2 outlets)
    assert bank_row[-1] == "负面"
    assert rows["泰和人寿保险股份有限公司莱州营销服务部"][-1] == "正面"
    negative = list(book["负面清单"].iter_rows(min_row=4, values_only=True))
    assert ("东岳银行股份有限公司莱州支行", "纠纷化解", "本季度被投诉6件，达到5件的关注线。") in [
        r[1:4] for r in negative
    ]
    positive = list(book["正面清单"].iter_rows(min_row=4, values_only=True))
    assert positive[0][1] == "泰和人寿保险股份有限公司莱州营销服务部"
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A4"
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith("="))
                assert value not in ("王小明", "13812345678")


def test_generation_task_stores_files_with_hashes_and_downloads(
    quarterly_list, clerk_a, client_for, other_clerk, private_files
):
    job = list_request_files(actor=clerk_a, quarterly_list=quarterly_list)
    client = client_for(clerk_a)
    waiting = client.get(f"/institutions/lists/{quarterly_list.pk}/status/").content.decode()
    assert 'data-active="true"' in waiting and "排队中" in waiting and "0 / 3 步" in waiting
    assert "下载PDF" not in waiting
    list_generate_files(quarterly_list.pk, job_id=job.pk)
    quarterly_list.refresh_from_db()
    job.refresh_from_db()
    assert quarterly_list.generated_at is not None and job.progress_done == 3
    assert str(private_files) in quarterly_list.pdf_file.path
    # The status fragment the page polls: done, with the two downloads.
    status = client.get(f"/institutions/lists/{quarterly_list.pk}/status/").content.decode()
    assert "下载PDF" in status and "下载Excel" in status
    pdf = client.get(f"/institutions/lists/{quarterly_list.pk}/download/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(f"/institutions/lists/{quarterly_list.pk}/download/xlsx/")
    import hashlib

    assert hashlib.sha256(b"".join(xlsx.streaming_content)).hexdigest() == quarterly_list.xlsx_sha256
    assert client_for(other_clerk).get(f"/institutions/lists/{quarterly_list.pk}/download/pdf/").status_code == 404


def test_generate_view_queues_the_task_and_runs_it_on_commit(
    quarterly_list, clerk_a, client_for, django_capture_on_commit_callbacks
):
    from core.models import BackgroundJob

    history_before = quarterly_list.history.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(clerk_a).post(f"/institutions/lists/{quarterly_list.pk}/generate/")
    assert response.status_code == 302
    assert len(callbacks) == 1
    quarterly_list.refresh_from_db()
    job = BackgroundJob.objects.get(target=f"institutions.quarterlylist:{quarterly_list.pk}")
    assert (job.state, job.progress_done, job.progress_total) == ("done", 3, 3)
    assert quarterly_list.generated_at is not None
    # Progress lives on the job: the list's history gains one entry, the stored files.
    reasons = list(quarterly_list.history.values_list("history_change_reason", flat=True)[:2])
    assert quarterly_list.history.count() == history_before + 1 and reasons[0] == "生成PDF和Excel文件"
    page = client_for(clerk_a).get(f"/institutions/lists/{quarterly_list.pk}/").content.decode()
    assert "已完成" in page and "下载PDF" in page and "core/job_status.js" in page


def test_a_second_request_while_generating_is_refused(quarterly_list, clerk_a):
    from django.core.exceptions import ValidationError

    list_request_files(actor=clerk_a, quarterly_list=quarterly_list)  # not committed: the job waits
    with pytest.raises(ValidationError, match="文件正在生成中"):
        list_request_files(actor=clerk_a, quarterly_list=quarterly_list)


def test_quarterly_list_command_drafts_and_writes_files(orgs, bank, tmp_path, capsys):
    pdf, xlsx = tmp_path / "q.pdf", tmp_path / "q.xlsx"
    call_command("quarterly_list", "--org", "laizhou", "--quarter", "2026Q3", "--pdf", str(pdf), "--xlsx", str(xlsx))
    out = capsys.readouterr().out
    assert "已起草" in out
    assert pdf.read_bytes().startswith(b"%PDF")
    assert load_workbook(xlsx).sheetnames == ["汇总", "正面清单", "负面清单"]
    call_command("quarterly_list", "--org", "laizhou", "--quarter", "2026Q3")
    assert "使用已有清单" in capsys.readouterr().out


def test_list_pdf_downloaded_from_its_page_is_ready_to_sign_and_seal(
    quarterly_list, clerk_a, supervisor, client_for, private_files, django_capture_on_commit_callbacks
):
    """Approved, generated with the page's button and downloaded with its link: landscape A4 in serif faces,
    the office's full name at the head, the summary chart, and the sign-off lines, the office and the approval
    date on the page of the closing paragraph."""
    svc.list_submit(actor=clerk_a, quarterly_list=quarterly_list)
    svc.list_approve(actor=supervisor, quarterly_list=quarterly_list)
    client = client_for(clerk_a)
    detail = reverse("institutions:list_detail", args=[quarterly_list.pk])
    assert f'action="{reverse("institutions:list_generate", args=[quarterly_list.pk])}"' in client.get(detail).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("institutions:list_generate", args=[quarterly_list.pk]))
    download = reverse("institutions:list_download", args=[quarterly_list.pk, "pdf"])
    assert f'href="{download}"' in client.get(detail).text
    response = client.get(download)
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    pdf = PrintedPdf(b"".join(response.streaming_content), private_files)
    assert re.search(r"Page size: +841\.\d+ x 595\.\d+ pts", pdf.info)
    pdf.assert_serif_cjk_embedded()
    assert pdf.page_of("国家金融监督管理总局莱州监管支局") == 1
    assert pdf.page_of("投诉较多机构及清单事项") == 1  # the chart's title, drawn in the PDF
    closing = pdf.pages[pdf.page_of("本清单共列2家机构") - 1]
    for line in ("编制人", "审核人", "负责人（签字）", "国家金融监督管理总局莱州监管支局", "2026年10月12日"):
        assert line in closing, line


def test_list_workbook_carries_no_live_formula_and_is_ready_to_print(quarterly_list, clerk_a):
    """Item descriptions typed as formula payloads land as plain text; figures are numbers."""
    from institutions.models.choices import RatingElement
    from tests.helpers import FORMULA_PAYLOADS, assert_payloads_are_text

    row = quarterly_list.rows.first()
    for payload in FORMULA_PAYLOADS:
        svc.item_add(actor=clerk_a, row=row, polarity="negative", element=RatingElement.values[0], description=payload)
    content = build_xlsx(quarterly_list)
    assert_payloads_are_text(content)
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        assert sheet.print_title_rows == "$3:$3" and sheet.auto_filter.ref.startswith("A3:")
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    for cell in book["汇总"]["E"][3:]:  # 网点平均
        assert cell.data_type == "n" and cell.number_format == "0.00"
