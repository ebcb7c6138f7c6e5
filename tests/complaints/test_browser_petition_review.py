"""In the browser: a petition closed with its reply delivered; the petitioner asks the higher office for a 复查,
and the clerk records the request and then the decision from the case page."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from complaints.models import Contact, PetitionReview
from complaints.services import (
    case_close,
    contact_register,
    petition_accept,
    petition_deliver,
    petition_reply,
)
from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_institution, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERVER_NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def closed_petition(live_base_data):
    with time_machine.travel(SERVER_NOW, tick=True):
        laizhou = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
        clerk = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_a", name="林晓岚")
        bank = make_institution(org=laizhou, short_name="莱州农商银行")
        contact = contact_register(
            actor=clerk,
            channel="letter",
            summary="申请退还保险退保损失",
            outcome=Contact.Outcome.OPENED_CASE,
            case_type="petition",
            petition_kind="appeal",
            name="李大爷",
            phone="0535-2212345",
            institution=bank,
        )
        case = contact.case
        case = petition_accept(actor=clerk, case=case, version=case.version, route="由消保科调查")
        case = petition_reply(
            actor=clerk,
            case=case,
            version=case.version,
            request="退还退保损失",
            facts="合同已载明退保损失",
            decision="reject",
            legal_basis="《保险法》第十七条",
        )
        case = petition_deliver(actor=clerk, case=case, version=case.version)
        case = case_close(actor=clerk, case=case, version=case.version)
        yield case


def act(page, key, label, fill):
    form = page.locator(f"form[data-action={key}]")
    page.wait_for_load_state("load")
    if not form.is_visible():
        page.get_by_role("button", name=label, exact=True).click()
    expect(form).to_be_visible()
    fill(form)
    form.get_by_role("button", name=f"确定：{label}").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{label}：已完成")


def test_a_recheck_recorded_after_closure_from_the_case_page(live_server, closed_petition, page):
    page.goto(live_server.url + "/accounts/login/")
    submit_login(page, "lz_clerk_a")
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    page.goto(f"{live_server.url}/complaints/cases/{closed_petition.pk}/")
    expect(page.locator("#case-status")).to_contain_text("已办结")

    def request(form):
        expect(form.get_by_label("类别")).to_have_value("recheck")
        form.get_by_label("请求日期").fill("2026-06-01")
        form.get_by_label("受理机关").fill("烟台金融监管分局")

    act(page, "review", "登记复查/复核请求", request)
    expect(page.locator("#reviews")).to_contain_text("烟台金融监管分局")
    # P-REVIEW, the higher office's 30 days: 06-01 + 30 = Wednesday 07-01.
    expect(page.locator("#deadlines")).to_contain_text("2026-07-01")
    # A 复核 is not offered before the 复查 decision.
    expect(page.get_by_role("button", name="登记复查/复核请求", exact=True)).to_have_count(0)

    def decide(form):
        form.get_by_label("维持", exact=True).check()
        form.get_by_label("决定日期").fill("2026-06-01")

    act(page, "review_decide", "登记复查/复核决定", decide)
    expect(page.locator("[data-testid=review-recheck]")).to_contain_text("维持")
    review = PetitionReview.objects.get()
    assert (review.kind, review.decision, review.late) == ("recheck", "upheld", False)
    assert str(review.decided_on) == "2026-06-01"
