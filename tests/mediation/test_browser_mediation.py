"""A clerk refers a complaint to mediation; the mediator records a session and an agreement; the complaint closes."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from core.models import OrgUnit
from core.roles import Role
from mediation.models import Mediator, PartnerKind, PartnerOrganisation
from tests.auth import submit_login
from tests.factories import make_institution, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A working day with the 2026 calendar loaded; the clock keeps ticking for the live server and the browser.
START = dt.datetime(2026, 3, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def _log_in(page, base_url, username):
    page.goto(base_url + "/accounts/login/")
    submit_login(page, username)
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def _log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def _form(page, key):
    return page.locator(f'form[data-form="{key}"]')


@pytest.fixture
def world(live_base_data):
    from complaints.models import Contact
    from complaints.services import contact_register

    yantai = make_org("yantai", name="烟台金融监管分局", level=OrgUnit.Level.BRANCH)
    laizhou = make_org("laizhou", name="莱州金融监管支局", parent=yantai)
    clerk = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_a", name="林晓岚")
    mediator_user = make_user(org=laizhou, role=Role.MEDIATOR, username="lz_mediator", name="高文静")
    court = PartnerOrganisation.objects.create(org=laizhou, name="莱州市人民法院", kind=PartnerKind.COURT)
    Mediator.objects.create(partner=court, name="高文静", specialities="保险合同纠纷", user=mediator_user)
    institution = make_institution(org=laizhou, short_name="安平财险", type_code="INS-PROP")
    with time_machine.travel(START, tick=True):
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
    return {"case": contact.case}


def test_referral_session_and_agreement_close_the_complaint_with_the_amount(live_server, world, page):
    case = world["case"]
    with time_machine.travel(START, tick=True):
        # The clerk refers the complaint from its page in one click and records both consents and the mediator.
        _log_in(page, live_server.url, "lz_clerk_a")
        page.goto(f"{live_server.url}/complaints/cases/{case.pk}/")
        page.get_by_test_id("refer-to-mediation").click()
        expect(page.get_by_text("已转调解")).to_be_visible()
        expect(page.get_by_text("保险公司定损金额低于维修费用")).to_be_visible()
        _form(page, "consent").get_by_label("当事人").select_option("applicant")
        _form(page, "consent").get_by_role("button", name="保存").click()
        _form(page, "consent").get_by_label("当事人").select_option("respondent")
        _form(page, "consent").get_by_role("button", name="保存").click()
        expect(page.get_by_test_id("mediation-status")).to_contain_text("已受理")
        _form(page, "assign").get_by_label("调解员").select_option(label="高文静（莱州市人民法院）")
        _form(page, "assign").get_by_role("button", name="保存").click()
        expect(page.get_by_test_id("mediation-status")).to_contain_text("待回避声明")
        _log_out(page)

        # The mediator declares no conflict, then records a session and the agreement.
        _log_in(page, live_server.url, "lz_mediator")
        page.goto(live_server.url + "/mediation/")
        page.get_by_role("link", name="作回避声明").click()
        page.get_by_label("不存在", exact=False).check()
        page.get_by_role("button", name="提交声明").click()
        expect(page.get_by_role("alert")).to_contain_text("已声明无回避情形并签收材料")
        session_form = _form(page, "session")
        session_form.get_by_label("方式").select_option("online")
        session_form.get_by_label("参加人员").fill("申请人李华、安平财险理赔经理、调解员高文静")
        session_form.get_by_label("调解笔录").fill("双方就定损差额协商，机构同意补足。")
        session_form.get_by_role("button", name="保存").click()
        expect(page.get_by_test_id("session")).to_contain_text("在线")
        outcome_form = _form(page, "outcome")
        outcome_form.get_by_label("调解结果").select_option("agreement")
        outcome_form.get_by_label("协议内容（达成协议时填写）").fill("安平财险向李华补足理赔差额 4200 元。")
        outcome_form.get_by_label("协议金额（元）").fill("4200")
        outcome_form.get_by_label("履行方式").fill("银行转账")
        outcome_form.get_by_label("履行期限").fill("2026-03-20")
        outcome_form.get_by_role("button", name="保存").click()
        expect(page.get_by_test_id("mediation-status")).to_contain_text("达成调解协议")
        expect(page.get_by_test_id("amount-agreed")).to_contain_text("4200")
        _log_out(page)

        # Back on the ledger case: closed as resolved, with the amount.
        _log_in(page, live_server.url, "lz_clerk_a")
        page.goto(f"{live_server.url}/complaints/cases/{case.pk}/")
        expect(page.locator("#case-status")).to_contain_text("已办结")
        expect(page.locator("#case-status")).to_contain_text("办结")
        expect(page.locator("#amount-recovered")).to_contain_text("4200.00")
        expect(page.get_by_text("协议金额 4,200.00 元").first).to_be_visible()
