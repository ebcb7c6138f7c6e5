"""A supervisor brings the office's old Excel ledger in: upload, map the columns, look at the preview, try a dry run,
import, and find the cases in the ledger marked 历史导入."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from openpyxl import Workbook
from playwright.sync_api import expect

from complaints.models import Case
from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_institution, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERVER_NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def office(live_base_data):
    with time_machine.travel(SERVER_NOW, tick=True):
        laizhou = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
        make_user(org=laizhou, role=Role.SUPERVISOR, username="lz_supervisor", name="孙海涛")
        make_institution(org=laizhou, short_name="莱州农商", full_name="莱州农商银行")
        yield laizhou


def old_ledger(path):
    """The office's own workbook: its own headers, two closed cases of 2023 and one new 12378 item."""
    book = Workbook()
    sheet = book.active
    sheet.append(["台账编号", "工单号", "件别", "来源", "收件日期", "来访人", "电话", "被投诉机构", "摘要", "结案日期"])
    sheet.append(
        [
            "TS-2023-0007",
            "",
            "转办投诉",
            "走访",
            "2023-03-06",
            "王小明",
            "13812345678",
            "莱州农商银行",
            "分期手续费未告知",
            "2023-03-20",
        ]
    )
    sheet.append(
        [
            "TS-2023-0008",
            "",
            "转办投诉",
            "电话",
            "2023-04-10",
            "李红",
            "13812345679",
            "莱州农商",
            "理财亏损",
            "2023-05-06",
        ]
    )
    sheet.append(
        [
            "",
            "12378-2026-000123",
            "转办投诉",
            "12378热线",
            "2026-05-25",
            "赵强",
            "13900001111",
            "莱州农商",
            "理赔拖延",
            "",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_upload_map_preview_dry_run_and_import(live_server, office, page, tmp_path):
    page.goto(live_server.url + "/accounts/login/")
    submit_login(page, "lz_supervisor")
    expect(page.get_by_test_id("user-menu")).to_be_visible()

    page.goto(live_server.url + "/complaints/")
    page.get_by_role("link", name="导入历史台账").click()
    expect(page.get_by_role("heading", name="从Excel导入历史台账和12378批量件")).to_be_visible()
    page.get_by_label("台账Excel文件（.xlsx）").set_input_files(str(old_ledger(tmp_path / "莱州旧台账.xlsx")))
    page.get_by_role("button", name="上传").click()

    expect(page.locator(".alert-success")).to_contain_text("已上传 3 行")
    for field, column in (
        ("编号", "台账编号"),
        ("来文/工单编号", "工单号"),
        ("类型 *", "件别"),
        ("来源渠道 *", "来源"),
        ("接收时间 *", "收件日期"),
        ("姓名", "来访人"),
        ("联系电话", "电话"),
        ("涉及机构", "被投诉机构"),
        ("事项摘要 *", "摘要"),
        ("办结日期", "结案日期"),
    ):
        page.get_by_label(field, exact=True).select_option(column)
    page.get_by_role("button", name="保存并预览").click()

    expect(page.locator(".alert-success")).to_contain_text("列的对应关系已保存")
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("← 台账编号")
    expect(preview).to_contain_text("TS-2023-0007")
    expect(preview).to_contain_text("12378-2026-000123")

    page.get_by_role("button", name="试运行（不写入）").click()
    expect(page.locator(".alert-success")).to_contain_text("试运行通过：将新建历史件 2 件、新登记 1 件")
    expect(page.locator("#import-created")).to_contain_text("（自动编号）")
    assert not Case.objects.exists()

    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("导入完成：新建历史件 2 件、新登记 1 件")
    expect(page.locator("#import-state")).to_have_text("已导入")

    page.get_by_role("link", name="台账中的历史导入件").click()
    expect(page.get_by_role("link", name="TS-2023-0007")).to_be_visible()
    expect(page.get_by_role("link", name="TS-2026-0001")).to_have_count(0)
    page.get_by_role("link", name="TS-2023-0007").click()
    expect(page.locator("#case-historical")).to_have_text("历史导入")
    assert Case.objects.filter(is_historical=True).count() == 2
