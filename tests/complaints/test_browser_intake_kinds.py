"""Every other way an item reaches the office, registered through the intake page as a clerk reaches it: the
menu, then the channel tab — a 举报 online, a petition sent down with its 交办单号, a 12378 complaint
and a faxed complaint; the report accepted and its documents opened back. (The walk-in complaint, the
phone call and the letter petition are in test_browser_workflows.py.)"""

import pytest
import time_machine
from playwright.sync_api import expect

from complaints.models import Case
from tests.complaints.test_browser_workflows import SERVER_NOW, act, log_in, office  # noqa: F401 (fixture)
from tests.helpers import PrintedPdf, pick_institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_channel(page, tab):
    page.get_by_role("link", name="来访来电登记").first.click()
    page.get_by_role("navigation", name="来源渠道").get_by_role("link", name=tab, exact=True).click()
    expect(page.get_by_role("navigation", name="来源渠道").locator("[aria-current=page]")).to_have_text(tab)


def test_online_report_sent_down_petition_12378_and_fax_complaints(live_server, office, page, tmp_path):  # noqa: F811
    log_in(page, live_server, "lz_clerk_a")

    open_channel(page, "网络来件登记")
    page.locator("#id_summary").fill("网点员工私自代客理财")
    page.locator("#id_case_type").select_option("report")
    pick_institution(page, "莱州农商", "莱州农商银行")  # a report is accepted only against a named institution
    page.locator("#id_name").fill("周举报")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("JB-2026-0001")

    act(page, "report_accept", "受理举报")
    expect(page.locator("#case-status")).to_contain_text("已受理")
    expect(page.locator("#deadlines")).to_contain_text("2026-07-31")  # R-FIND: 60 days from 06-01
    links = page.locator("#documents a")
    expect(links).to_have_count(1)  # the 受理告知 to the named reporter
    for index in range(links.count()):
        response = page.context.request.get(live_server.url + links.nth(index).get_attribute("href"))
        assert response.ok and response.headers["content-type"] == "application/pdf"
        pdf = PrintedPdf(response.body(), tmp_path)
        assert "JB-2026-0001" in pdf.text or "举报" in pdf.text
        pdf.assert_serif_cjk_embedded()

    open_channel(page, "上级转送/交办件登记")
    page.get_by_label("来文/工单编号").fill("烟金信转〔2026〕18号")
    page.locator("#id_name").fill("赵秀兰")
    page.locator("#id_phone").fill("13905351234")
    page.locator("#id_summary").fill("反映存款到期未能支取")
    page.locator("#id_case_type").select_option("petition")
    page.locator("#id_petition_kind").select_option("appeal")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("XF-2026-0001")
    expect(page.locator("body")).to_contain_text("烟金信转〔2026〕18号")

    open_channel(page, "12378转办件登记")
    page.get_by_label("来文/工单编号").fill("12378-20260601-0042")
    page.locator("#id_name").fill("钱多多")
    page.locator("#id_phone").fill("13605351234")
    pick_institution(page, "莱州农商", "莱州农商银行")
    page.locator("#id_summary").fill("贷款提前还款违约金过高")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("TS-2026-0001")
    expect(page.locator("#deadlines")).to_contain_text("2026-06-10")  # C-FWD: 7 working days

    open_channel(page, "传真登记")
    page.locator("#id_name").fill("孙传真")
    page.locator("#id_phone").fill("0535-2212345")
    pick_institution(page, "莱州农商", "莱州农商银行")
    page.locator("#id_summary").fill("银行卡被冻结未告知原因")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("TS-2026-0002")

    with time_machine.travel(SERVER_NOW):
        cases = {c.number: (c.channel, c.reference_no, c.case_type) for c in Case.objects.all()}
    assert cases == {
        "JB-2026-0001": ("online", "", "report"),
        "XF-2026-0001": ("sent_down", "烟金信转〔2026〕18号", "petition"),
        "TS-2026-0001": ("12378", "12378-20260601-0042", "complaint"),
        "TS-2026-0002": ("fax", "", "complaint"),
    }
