"""The report's files opened back (openpyxl, pdftotext), the files card's progress, and the branch's view: every
sub-bureau side by side, missing and late ones, the roll-up and its export; query counts pinned."""

import io
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.exporters import HEADER_ROW
from laizhou_xiaobao.statistics.documents import build_pdf, build_xlsx, report_generate_files, report_request_files
from laizhou_xiaobao.statistics.models import StatisticsReport
from laizhou_xiaobao.statistics.services import report_approve, report_check, report_draft, report_submit
from tests.auth import sign_in
from tests.factories import make_case, make_user

S = StatisticsReport.Status


@pytest.fixture
def report(quarter, orgs, clerk_a):
    return report_draft(actor=clerk_a, org=orgs["laizhou"], year=2026, quarter=3)


def _submit(report, clerk, supervisor):
    report_check(actor=clerk, report=report)
    report = report_approve(actor=supervisor, report=report)
    job = report_request_files(actor=clerk, report=report)
    report_generate_files(report.pk, job_id=job.pk)  # what the task queued on commit does
    report.refresh_from_db()
    return report_submit(actor=supervisor, report=report)


def test_workbook_has_a_sheet_per_table_numbers_as_numbers_and_print_setup(report):
    book = load_workbook(io.BytesIO(build_xlsx(report)))
    tables = report.figures["tables"]
    assert len(book.sheetnames) == 1 + len(tables)
    channel = book[book.sheetnames[1]]
    assert channel.title.endswith("受理件数（按来源渠道）")
    rows = {row[0]: row[1] for row in channel.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert rows["12378热线"] == 1 and isinstance(rows["合计"], int) and rows["合计"] == 3
    mediation = book[next(name for name in book.sheetnames if "纠纷调解" in name)]
    amounts = {row[0]: row[1] for row in mediation.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert amounts["协议金额（元）"] == 800 and not isinstance(amounts["协议金额（元）"], str)
    assert channel.page_setup.orientation == "landscape" and channel.page_setup.fitToWidth == 1
    assert channel.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    summary = book["概况"]
    assert any("受理信访投诉3件" in str(row[1]) for row in summary.iter_rows(values_only=True))


def test_pdf_has_the_tables_the_summary_and_the_charts(report, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(build_pdf(report))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "信访投诉统计报表" in flat and "2026年第3季度" in flat
    assert "受理件数（按来源渠道）" in flat and "回访满意度" in flat and "金融教育宣传" in flat
    assert "受理信访投诉3件" in flat
    assert "草稿（未经负责人批准）" in flat
    # The SVG charts are drawn into the PDF: their titles are text.
    assert flat.count("受理件数（按类型）") >= 2


def test_files_are_built_in_the_background_and_downloaded(report, clerk_a, django_capture_on_commit_callbacks):
    client = sign_in(Client(), clerk_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("statistics:generate", args=[report.pk]))
    status = client.get(reverse("statistics:status", args=[report.pk])).content.decode()
    assert reverse("statistics:download", args=[report.pk, "xlsx"]) in status
    response = client.get(reverse("statistics:download", args=[report.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "概况" in book.sheetnames


def test_the_detail_page_takes_the_same_queries_however_many_figures(report, clerk_a, django_assert_max_num_queries):
    client = sign_in(Client(), clerk_a)
    # At most 12: the session, the user, the roles, the navigation's counts, the report, its latest job, the
    # versions; the figures are read from the report, never recomputed.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("statistics:detail", args=[report.pk])).status_code == 200


@pytest.fixture
def branch_world(quarter, orgs, clerk_a, supervisor, other_clerk):
    """Laizhou submitted (late, on 12 October); Zhaoyuan submitted and was returned; a third sub-bureau is
    missing."""
    from tests.factories import make_org

    laizhou_report = _submit(
        report_draft(actor=clerk_a, org=orgs["laizhou"], year=2026, quarter=3), clerk_a, supervisor
    )
    zy_supervisor = make_user(org=orgs["zhaoyuan"], role="supervisor", username="zy_sup")
    zy = _submit(
        report_draft(actor=other_clerk, org=orgs["zhaoyuan"], year=2026, quarter=3), other_clerk, zy_supervisor
    )
    make_org("longkou", name="龙口支局", parent=orgs["yantai"])
    return {"laizhou": laizhou_report, "zhaoyuan": zy}


def test_the_branch_sees_submissions_side_by_side_missing_late_and_the_roll_up(
    branch_world, reviewer, django_assert_max_num_queries
):
    from laizhou_xiaobao.statistics.services import report_return

    report_return(actor=reviewer, report=branch_world["zhaoyuan"], reason="请补充小结")
    client = sign_in(Client(), reviewer)
    # At most 10: the session, the user, the roles, the navigation, the sub-bureaus, their reports (with who).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("statistics:branch"), {"period": "2026Q3"})
    overview = response.context["overview"]
    assert [s.org.code for s in overview.missing] == ["longkou"]
    assert {s.org.code for s in overview.late} == {"laizhou", "zhaoyuan", "longkou"}
    lines = {(table, label): (values, total) for table, label, values, total in overview.lines}
    values, total = lines[("受理件数（按来源渠道）", "合计")]
    laizhou_index = [s.org.code for s in overview.submissions].index("laizhou")
    zhaoyuan_index = [s.org.code for s in overview.submissions].index("zhaoyuan")
    assert values[laizhou_index] == 3 and values[zhaoyuan_index] == 1
    # The returned report is shown but not counted until its correction is submitted.
    assert total == 3
    page = response.content.decode()
    assert "未报送" in page and "分局退回更正" in page

    export = client.get(reverse("statistics:branch"), {"period": "2026Q3", "format": "xlsx"})
    book = load_workbook(io.BytesIO(export.content))
    sheet = book["横向对比与汇总"]
    header = [cell for cell in next(sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True))]
    assert header[-1] == "分局汇总"
    rows = {(row[0], row[1]): row for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert rows[("受理件数（按来源渠道）", "合计")][-1] == 3
    statuses = {row[0]: row for row in book["报送情况"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert statuses["龙口支局"][1] == "未报送" and statuses["龙口支局"][4] == "是"


def test_the_roll_up_query_count_does_not_grow_with_cases(
    branch_world, reviewer, clerk_a, orgs, django_assert_num_queries
):
    from laizhou_xiaobao.statistics.views_branch import branch_overview

    # 2 queries: the sub-bureaus below the branch, their current submitted or returned reports.
    with django_assert_num_queries(2):
        branch_overview(orgs["yantai"], 2026, 3)
    for day in range(1, 6):
        make_case(owner=clerk_a, org=orgs["laizhou"], received_on=branch_world["laizhou"].period[0].replace(day=day))
    with django_assert_num_queries(2):
        branch_overview(orgs["yantai"], 2026, 3)


def test_a_sub_bureau_cannot_open_the_branch_view(quarter, clerk_a, supervisor):
    for user in (clerk_a, supervisor):
        assert sign_in(Client(), user).get(reverse("statistics:branch")).status_code == 403
