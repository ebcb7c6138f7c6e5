"""A clerk's day in the browser: a walk-in complaint to closure, a phone call answered on the spot, and a
petition accepted, extended by the supervisor, replied to and closed."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from complaints.models import Case, Contact
from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_institution, make_org, make_user
from tests.helpers import PrintedPdf, pick_institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The server's clock: a day whose 60-day reply deadline and 30-day extension stay inside the loaded calendar.
SERVER_NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def office(live_base_data):
    with time_machine.travel(SERVER_NOW, tick=True):
        laizhou = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
        clerk_b = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_b", name="周明远")
        clerk = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_a", name="林晓岚", backup=clerk_b)
        supervisor = make_user(org=laizhou, role=Role.SUPERVISOR, username="lz_supervisor", name="孙海涛")
        bank = make_institution(org=laizhou, short_name="莱州农商银行")
        yield {"clerk": clerk, "supervisor": supervisor, "bank": bank}


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    submit_login(page, username)
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def act(page, key, label, fill=None):
    """Open an action of the case page, fill its form and submit it."""
    form = page.locator(f"form[data-action={key}]")
    # The page opens the form of the next expected step by itself; other actions are behind their toggle. Look
    # only once the page has loaded: a form not yet parsed is not visible, and its toggle would fold it away.
    page.wait_for_load_state("load")
    if not form.is_visible():
        page.get_by_role("button", name=label, exact=True).click()
    expect(form).to_be_visible()
    if fill:
        fill(form)
    form.get_by_role("button", name=f"确定：{label}").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{label}：已完成")


def test_walk_in_complaint_forwarded_answered_followed_up_and_closed(live_server, office, page, tmp_path):
    log_in(page, live_server, "lz_clerk_a")
    page.goto(live_server.url + "/complaints/intake/?channel=visit")
    expect(page.get_by_role("heading", name="来访登记")).to_be_visible()
    # The cursor starts in the name field: the clerk just types.
    page.keyboard.type("王小明")
    page.keyboard.press("Tab")
    page.keyboard.type("13812345678")
    page.keyboard.press("Tab")
    page.keyboard.type("370683199001011237")
    pick_institution(page, "莱州农商", "莱州农商银行")
    page.locator("#id_summary").fill("信用卡分期手续费未告知")
    page.locator("#id_summary").press("Enter")

    expect(page.locator(".alert-success")).to_contain_text("已登记为案件 TS-2026-0001")
    expect(page.get_by_role("heading", name="TS-2026-0001")).to_be_visible()
    expect(page.locator("#person-id")).to_have_text("370683********1237")
    expect(page.locator("#deadlines")).to_contain_text("2026-06-10")  # C-FWD: 7 working days

    def forward(form):
        # The complainant was told by phone today; the forwarding records how and when.
        form.get_by_label("电话", exact=True).check()
        form.get_by_label("告知投诉人日期").fill("2026-06-01")
        form.get_by_label("办理要求").fill("请于15日内处理并反馈")

    act(page, "complaint_forward", "转办机构并告知投诉人", forward)
    expect(page.locator("#complainant-told")).to_contain_text("2026-06-01 电话")
    expect(page.locator("#forwarding")).to_contain_text("莱州金融监管支局〔2026〕1号")
    # The 转办单 as the clerk prints it: the case page's link opens it in a new tab (shown inline, so the
    # browser fires no download); the same request, with the clerk's session, gives the file.
    link = page.get_by_role("link", name="投诉转办单")
    expect(link).to_have_attribute("target", "_blank")
    slip = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert slip.ok and slip.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''TS-2026-0001-" in slip.headers["content-disposition"]
    pdf = PrintedPdf(slip.body(), tmp_path)
    assert "金融消费投诉转办单" in pdf.text and "转办单回执" in pdf.text and "莱州金融监管支局〔2026〕1号" in pdf.text
    pdf.assert_serif_cjk_embedded()
    act(page, "complaint_reply", "登记机构反馈", lambda f: f.get_by_label("机构处理结果").fill("已退还分期手续费"))
    act(page, "complaint_follow_up", "登记回访", lambda f: f.get_by_label("满意", exact=True).check())
    act(page, "close", "办结", lambda f: f.get_by_label("办理结果").fill("机构已退费，投诉人满意"))
    expect(page.locator("#case-status")).to_contain_text("已办结")
    expect(page.locator('svg [data-step="close"]')).to_have_attribute("data-state", "done")

    page.goto(live_server.url + "/complaints/?q=TS-2026-0001")
    expect(page.get_by_role("link", name="TS-2026-0001")).to_be_visible()


def test_possible_repeat_is_offered_and_joined(live_server, office, page):
    log_in(page, live_server, "lz_clerk_a")
    page.goto(live_server.url + "/complaints/intake/?channel=visit")
    page.locator("#id_name").fill("王小明")
    page.locator("#id_phone").fill("13812345678")
    pick_institution(page, "lzns", "莱州农商银行")
    page.locator("#id_summary").fill("信用卡分期手续费未告知")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("TS-2026-0001")

    page.goto(live_server.url + "/complaints/intake/?channel=phone")
    page.locator("#id_phone").fill("13812345678")
    candidate = page.locator(".repeat-candidate")
    expect(candidate).to_contain_text("TS-2026-0001")
    candidate.get_by_role("button", name="并入此案件（重复件）").click()
    page.locator("#id_summary").fill("再次来电催问")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("已作为重复件并入 TS-2026-0001")
    assert Case.objects.count() == 1 and Contact.objects.filter(outcome="repeat").count() == 1


def test_phone_call_answered_on_the_spot(live_server, office, page):
    log_in(page, live_server, "lz_clerk_a")
    page.goto(live_server.url + "/complaints/intake/?channel=phone")
    expect(page.get_by_role("heading", name="来电登记")).to_be_visible()
    expect(page.locator("#id_received_at")).to_have_value(re.compile(r"^2026-06-01T"))
    page.locator("#id_summary").fill("咨询征信异议申请方式")
    page.locator("#id_answer").fill("告知可向征信中心或贷款银行提出异议申请")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记，当场答复")
    expect(page.get_by_role("heading", name="来电登记")).to_be_visible()
    contact = Contact.objects.get()
    assert contact.outcome == "answered" and contact.case is None


def test_petition_accepted_extended_by_supervisor_replied_and_closed(live_server, office, page, browser):
    log_in(page, live_server, "lz_clerk_a")
    page.goto(live_server.url + "/complaints/intake/?channel=letter")
    page.locator("#id_name").fill("李大爷")
    page.locator("#id_phone").fill("0535-2212345")
    page.locator("#id_summary").fill("申请退还保险退保损失")
    page.locator("#id_case_type").select_option("petition")
    page.locator("#id_petition_kind").select_option("appeal")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("XF-2026-0001")

    act(page, "petition_accept", "受理告知", lambda f: f.get_by_label("办理途径（告知信访人）").fill("由消保科调查"))
    expect(page.locator("#deadlines")).to_contain_text("2026-07-31")  # P-REPLY: 60 days
    act(
        page,
        "extension_request",
        "申请延期",
        lambda f: (
            f.get_by_label("延期天数").fill("30"),
            f.get_by_label("延期理由（将告知当事人）").fill("需调取录音"),
        ),
    )
    case_url = page.url

    supervisor_page = browser.new_context(locale="zh-CN", reduced_motion="reduce").new_page()
    log_in(supervisor_page, live_server, "lz_supervisor")
    supervisor_page.goto(case_url)
    extensions = supervisor_page.locator("#extensions")
    extensions.get_by_label("批准", exact=True).check()
    extensions.get_by_label("审批意见").fill("同意延期")
    extensions.get_by_role("button", name="提交审批").click()
    expect(supervisor_page.locator(".alert-success")).to_contain_text("延期申请已审批")
    expect(supervisor_page.locator("#deadlines")).to_contain_text("2026-08-31")  # +30 days: 08-30 is a Sunday

    page.reload()

    def reply(form):
        form.get_by_label("信访人请求").fill("退还退保损失")
        form.get_by_label("查明事实").fill("保险公司销售时未充分说明退保损失")
        form.get_by_label("支持", exact=True).check()
        form.get_by_label("处理依据").fill("《保险法》第十七条")

    act(page, "petition_reply", "出具信访处理意见书", reply)
    expect(page.locator("#documents")).to_contain_text("信访处理意见书")
    act(page, "petition_deliver", "登记送达")
    act(page, "close", "办结")
    expect(page.locator("#case-status")).to_contain_text("已办结")
    case = Case.objects.get()
    assert case.closed_on_time is True
    assert case.events.get(action="extension_approved").approver.username == "lz_supervisor"
