"""In the browser: a forwarded complaint referred to mediation shows its clock 暂停, and when the mediation ends
without agreement the clock runs again with its due date moved by the paused days (docs/domain.md「暂停计时」)."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from complaints.models import Contact
from complaints.services import complaint_forward, complaint_institution_acknowledge, contact_register
from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_institution, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Tuesday 2026-03-10: the complaint is forwarded and referred; C-INST would end on 03-25.
REFERRED = dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)
# Friday 2026-03-20: the mediation ends without agreement.
ENDED = dt.datetime(2026, 3, 20, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def forwarded(live_base_data):
    with time_machine.travel(REFERRED, tick=True):
        laizhou = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
        clerk = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_a", name="林晓岚")
        institution = make_institution(org=laizhou, short_name="安平财险", type_code="INS-PROP")
        contact = contact_register(
            actor=clerk,
            channel="phone",
            summary="车险理赔金额争议",
            outcome=Contact.Outcome.OPENED_CASE,
            case_type="complaint",
            name="李华",
            phone="13912345678",
            institution=institution,
            content="保险公司定损金额低于维修费用，要求补足差额。",
        )
        case = contact.case
        complaint_forward(actor=clerk, case=case, version=case.version, told_via="phone", told_on=case.received_on)
        # The institution signs for it the same day: its 15 days (C-INST) start at the 签收.
        case.refresh_from_db()
        complaint_institution_acknowledge(
            actor=clerk,
            case=case,
            version=case.version,
            acknowledged_on=case.forwarding.forwarded_on,
            acknowledged_by="王经理",
        )
    return case


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    submit_login(page, username)
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def test_referred_complaint_clock_paused_then_resumed_when_mediation_ends(live_server, forwarded, page):
    case_url = f"{live_server.url}/complaints/cases/{forwarded.pk}/"
    with time_machine.travel(REFERRED, tick=True):
        log_in(page, live_server, "lz_clerk_a")
        page.goto(case_url)
        expect(page.locator("#deadlines")).to_contain_text("2026-03-25")
        page.get_by_test_id("refer-to-mediation").click()
        expect(page.get_by_text("已转调解")).to_be_visible()
        mediation_url = page.url

        page.goto(case_url)
        deadlines = page.locator("#deadlines")
        expect(deadlines).to_contain_text("暂停（调解）")
        expect(page.get_by_test_id("pause-reason")).to_contain_text("2026-03-10 起暂停计时")
        expect(page.get_by_test_id("pause-reason")).to_contain_text("调解期间机构处理期限不计")
        expect(page.locator("#events")).to_contain_text("调解期间机构处理期限不计")

    with time_machine.travel(ENDED, tick=True):
        log_in(page, live_server, "lz_clerk_a")
        page.goto(mediation_url)
        outcome_form = page.locator('form[data-form="outcome"]')
        outcome_form.get_by_label("调解结果").select_option("failure")
        outcome_form.get_by_label("说明（未达成协议时必填）").fill("双方对定损差额分歧较大，调解不成。")
        outcome_form.get_by_role("button", name="保存").click()
        expect(page.get_by_test_id("mediation-status")).to_contain_text("调解不成")

        page.goto(case_url)
        # Still with the institution, its clock running again: 03-10..03-20 not counted, 15 days end on 04-04,
        # in the 清明 holiday, so the deadline is Tuesday 04-07.
        expect(page.locator("#case-status")).to_contain_text("机构已签收")
        deadlines = page.locator("#deadlines")
        expect(deadlines).not_to_contain_text("暂停（调解）")
        expect(page.get_by_test_id("pause-reason")).to_have_count(0)
        expect(deadlines).to_contain_text("2026-04-07")
        expect(page.locator("#events")).to_contain_text("恢复计时")
