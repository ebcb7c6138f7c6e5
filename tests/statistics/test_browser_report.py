"""A supervisor drafts the quarter's statistics in the browser, follows a figure to the ledger, checks, approves,
generates the files, submits, and downloads the workbook."""

import datetime as dt
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect

from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_case, make_org, make_user, moment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager_tasks():
    """The page's task runs in-process, as without a broker, even when CI configures one for other tests."""
    from laizhou_xiaobao.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def october():
    with time_machine.travel(moment("2026-10-12"), tick=True):
        yield


def test_supervisor_drafts_follows_a_figure_approves_and_submits(
    live_server, live_base_data, page, eager_tasks, october, private_files
):
    yantai = make_org("yantai", name="烟台金融监管分局", level=OrgUnit.Level.BRANCH)
    laizhou = make_org("laizhou", name="莱州金融监管支局", parent=yantai)
    supervisor = make_user(org=laizhou, role=Role.SUPERVISOR, username="lz_supervisor", name="孙海涛")
    for day in (3, 4, 5):
        make_case(owner=supervisor, org=laizhou, channel="12378", received_on=dt.date(2026, 8, day))
    make_case(owner=supervisor, org=laizhou, channel="visit", received_on=dt.date(2026, 8, 6))

    page.goto(live_server.url + "/statistics/")
    submit_login(page, "lz_supervisor")
    page.get_by_label("统计期间").fill("2026Q3")
    page.get_by_role("button", name="按数据起草报表").click()
    expect(page.locator("#report-status")).to_have_text("草稿")

    page.locator("#table-channel tr", has_text="12378热线").get_by_role("link").click()
    expect(page.get_by_test_id("ledger-total")).to_contain_text("共 3 件")
    expect(page.get_by_test_id("ledger-statistics-filters")).to_contain_text("单位（含下级）")
    page.go_back()

    page.get_by_label("工作小结").fill("本季度受理平稳。")
    page.get_by_role("button", name="保存小结").click()
    expect(page.get_by_text("工作小结已保存。")).to_be_visible()
    page.get_by_role("button", name="已核对，提交批准").click()
    expect(page.locator("#report-status")).to_have_text("已核对")
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.locator("#report-status")).to_have_text("负责人已批准")
    page.get_by_role("button", name="生成文件").click()
    files = page.locator("#files")
    expect(files.get_by_test_id("job-state")).to_have_text("已完成")
    page.get_by_role("button", name="报送分局（锁定）").click()
    expect(page.locator("#report-status")).to_have_text("已报送分局（已锁定）")
    expect(page.locator("#snapshot-sha")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))

    with page.expect_download() as xlsx_info:
        page.locator("#files").get_by_role("link", name="下载Excel").click()
    book = load_workbook(io.BytesIO(xlsx_info.value.path().read_bytes()))
    assert book.sheetnames[0] == "概况"
    assert any(row[1] == "本季度受理平稳。" for row in book["概况"].iter_rows(values_only=True))
