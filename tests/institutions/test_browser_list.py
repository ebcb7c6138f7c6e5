import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from core.models import OrgUnit
from core.roles import Role
from institutions.reference_data import ensure_default_rules
from institutions.services.lists import list_draft
from tests.auth import submit_login
from tests.factories import make_institution, make_institution_case, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager_tasks():
    """The page's task runs in-process, as without a broker, even when CI configures one for other tests."""
    from laizhou_xiaobao.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_supervisor_accepts_a_suggestion_approves_generates_and_downloads(
    live_server, live_base_data, page, eager_tasks
):
    ensure_default_rules()
    yantai = make_org("yantai", name="烟台金融监管分局", level=OrgUnit.Level.BRANCH)
    laizhou = make_org("laizhou", name="莱州金融监管支局", parent=yantai)
    supervisor = make_user(org=laizhou, role=Role.SUPERVISOR, username="lz_supervisor", name="孙海涛")
    bank = make_institution(org=laizhou, short_name="东岳银行", full_name="东岳银行股份有限公司莱州支行", outlets=10)
    quarter_start = dt.date(2026, 7, 1)
    for _n in range(6):
        make_institution_case(institution=bank, received_on=quarter_start + dt.timedelta(days=30), owner=supervisor)
    quarterly_list = list_draft(org=laizhou, year=2026, quarter=3)

    page.goto(live_server.url + f"/institutions/lists/{quarterly_list.pk}/")
    submit_login(page, "lz_supervisor")

    expect(page.get_by_role("heading", level=1)).to_contain_text("2026年第3季度")
    item = page.locator(".item-suggested").filter(has_text="本季度被投诉6件")
    expect(item).to_contain_text("负面")
    item.get_by_role("button", name="采纳", exact=True).click()
    expect(page.get_by_text("已采纳该建议。")).to_be_visible()
    expect(page.locator(".item-accepted")).to_contain_text("本季度被投诉6件")

    page.get_by_role("button", name="提交审批").click()
    expect(page.locator("#list-status")).to_have_text("已提交审批")
    page.get_by_role("button", name="批准").click()
    expect(page.locator("#list-status")).to_have_text("负责人已批准")

    page.get_by_role("button", name="生成文件").click()
    files = page.locator("#files")
    expect(files.get_by_test_id("job-state")).to_have_text("已完成")
    with page.expect_download() as pdf_info:
        files.get_by_role("link", name="下载PDF").click()
    assert pdf_info.value.path().read_bytes().startswith(b"%PDF")
    with page.expect_download() as xlsx_info:
        files.get_by_role("link", name="下载Excel").click()
    book = load_workbook(io.BytesIO(xlsx_info.value.path().read_bytes()))
    assert book.sheetnames == ["汇总", "正面清单", "负面清单"]
    assert book["负面清单"]["B4"].value == "东岳银行股份有限公司莱州支行"  # below the title rows and the header
    assert re.search(r"正负面清单v1\.xlsx$", xlsx_info.value.suggested_filename)  # a Chinese file name
