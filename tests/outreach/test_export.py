import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exporters import HEADER_ROW
from core.models import AuditEntry
from tests.factories import make_institution

from .conftest import image_upload

pytestmark = pytest.mark.django_db

URL = reverse("outreach:figures_export")


@pytest.fixture
def events(orgs, grid, ref, make_event, clerk_a):
    from outreach import services

    laizhou = orgs["laizhou"]
    bank = make_institution(org=laizhou, short_name="莱州农商行")
    first = make_event(
        org=laizhou,
        title="3·15集中宣传（沙河镇）",
        campaign=ref["campaign_315"],
        is_major=True,
        held_on=dt.date(2025, 3, 15),
        grid_cell=grid["shahe_village"],
        grid_officer="王网格员",
        participants=12000,
        online_reach=8500,
        materials_handed_out=3000,
        target_groups=[ref["elderly"]],
        topics=[ref["fraud"], ref["credit"]],
        organisers=[bank],
    )
    services.event_photo_add(actor=clerk_a, event=first, uploads=[image_upload()])
    make_event(org=laizhou, title="金融夜校", held_on=dt.date(2025, 11, 8), grid_cell=grid["zhuqiao"], participants=60)
    make_event(org=orgs["zhaoyuan"], title="招远的活动", held_on=dt.date(2025, 5, 1), grid_cell=grid["quanshan"])
    return first


def test_export_reads_back_with_every_sheet(events, client_for, clerk_a, django_assert_num_queries):
    client = client_for(clerk_a)
    client.get(reverse("outreach:index"))  # warm the session
    # session, the user with roles and unit (one query), user and group permissions; the figures: totals, months,
    # campaigns, towns, cells, target groups, topics, grid coverage, organisers, partners, training attendance,
    # institution names, media works, media awards, training by audience; the event sheet: events and five
    # prefetches; the audit entry (chained: savepoint, chain head locked and read, insert, head's new hash, release).
    with django_assert_num_queries(31):
        response = client.get(URL, {"start": "2025-01-01", "end": "2025-12-31"})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith("filename*=UTF-8''" + quote("宣传教育统计-20250101-20251231.xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["宣传活动明细", "分类统计", "2025年网格覆盖", "机构参与"]

    rows = list(workbook["宣传活动明细"].iter_rows(min_row=HEADER_ROW, values_only=True))
    assert rows[0][:5] == ("活动日期", "活动名称", "活动类别", "集中宣传", "镇街")
    assert len(rows) == 3  # header and Laizhou's two events, not Zhaoyuan's
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["活动日期"] == dt.datetime(2025, 3, 15)
    assert first["活动名称"] == "3·15集中宣传（沙河镇）"
    assert first["镇街"] == "沙河镇" and first["村/社区"] == "沙河村"
    assert first["网格员"] == "王网格员"
    assert first["承办机构"] == "莱州农商行"
    assert first["宣传主题"] == "防范电信网络诈骗、征信知识"
    assert first["覆盖人数合计"] == 20500
    assert first["照片数"] == 1
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["镇街"] == "朱桥镇" and second["村/社区"] is None

    summary = list(workbook["分类统计"].iter_rows(min_row=HEADER_ROW, values_only=True))
    assert summary[1] == ("合计", "1次集中宣传活动，累计覆盖两万余人；另开展其他宣传活动1次，覆盖60人", 2, 20560)
    assert ("镇街", "沙河镇", 1, 20500) in summary
    assert ("网格", "沙河镇·沙河村", 1, 20500) in summary
    assert ("网格", "朱桥镇", 1, 60) in summary

    coverage = list(workbook["2025年网格覆盖"].iter_rows(min_row=HEADER_ROW, values_only=True))
    assert ("沙河镇", "路宿村", None, 0) in coverage
    assert list(workbook["机构参与"].iter_rows(min_row=HEADER_ROW, values_only=True))[1] == ("莱州农商行", 1)
    assert AuditEntry.objects.filter(action="outreach.figures.exported", actor=clerk_a).exists()


def test_export_of_an_empty_period_still_has_headers(events, client_for, clerk_a):
    response = client_for(clerk_a).get(URL, {"start": "2020-01-01", "end": "2020-12-31"})

    workbook = load_workbook(io.BytesIO(response.content))
    assert list(workbook["宣传活动明细"].iter_rows(min_row=HEADER_ROW, values_only=True))[1:] == []
    assert (
        list(workbook["分类统计"].iter_rows(min_row=HEADER_ROW, values_only=True))[1][1]
        == "开展宣传活动0次，累计覆盖0人"
    )


def test_export_is_ready_to_print_and_carries_no_live_formula(orgs, grid, make_event, client_for, clerk_a):
    """Titles, officers and partners typed as formula payloads land as plain text; the workbook has its title
    and period rows, a repeated header, landscape fit-to-width and an autofilter on every sheet."""
    from tests.helpers import FORMULA_PAYLOADS, assert_payloads_are_text

    for n, payload in enumerate(FORMULA_PAYLOADS, start=1):
        make_event(
            org=orgs["laizhou"],
            title=payload,
            held_on=dt.date(2025, 4, n),
            grid_cell=grid["shahe_village"],
            grid_officer=payload[:30],  # the field holds 30 characters
            participants=10,
        )
    response = client_for(clerk_a).get(URL, {"start": "2025-01-01", "end": "2025-12-31"})
    assert_payloads_are_text(response.content)
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        assert sheet["A1"].value.startswith("金融教育宣传统计——")
        assert "统计期间：2025-01-01 至 2025-12-31" in sheet["A2"].value
        assert "国家金融监督管理总局莱州监管支局" in sheet["A2"].value
        assert sheet.print_title_rows == "$3:$3" and sheet.freeze_panes == "A4"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.auto_filter.ref.startswith("A3:")
    events = workbook["宣传活动明细"]
    assert events["A4"].number_format == "yyyy-mm-dd" and events["O4"].data_type == "n"
