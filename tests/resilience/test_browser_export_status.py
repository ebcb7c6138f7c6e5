"""The export status page in the browser: a large export waits while the queue is down, the page's poller
(static/core/job_status.js) follows the job without a reload, and the download appears once it is done."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from complaints.models import LedgerExport
from core.exporters import HEADER_ROW
from core.roles import Role
from core.services.jobs import republish_pending
from tests.factories import PASSWORD, make_case, make_org, make_user
from tests.resilience.conftest import point_celery_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_status_page_follows_a_waiting_export_to_its_download(
    live_server, live_base_data, page, broker_down, private_files, settings
):
    settings.LEDGER_EXPORT_ASYNC_ROWS = 1
    laizhou = make_org("laizhou", name="莱州金融监管支局")
    clerk = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk", name="林晓岚")
    for _ in range(3):
        make_case(org=laizhou, owner=clerk)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("lz_clerk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="信访投诉").click()
    page.get_by_role("link", name="信访投诉台账").click()
    page.get_by_test_id("export-xlsx").click()

    # The queue is down: the export waits, the page says so and polls.
    expect(page.get_by_role("heading", name="台账导出")).to_be_visible()
    expect(page.get_by_test_id("job-state")).to_have_text("排队中")
    expect(page.get_by_test_id("job-progress")).to_have_text("0 / 3 行")
    expect(page.get_by_test_id("export-download")).to_have_count(0)
    url = page.url

    # The queue is back (here: the in-process runner); the re-publisher sends the job and it runs.
    point_celery_at(None, eager=True)
    assert republish_pending()["sent"] == 1
    export = LedgerExport.objects.get()
    assert export.job.state == "done"

    # Same page, no reload: the poller swapped the fragment in.
    expect(page.get_by_test_id("job-state")).to_have_text("已完成", timeout=15_000)
    assert page.url == url
    expect(page.get_by_test_id("job-progress")).to_have_text("3 / 3 行")
    with page.expect_download() as info:
        page.get_by_test_id("export-download").click()
    workbook = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert workbook.active.max_row == HEADER_ROW + 3
