"""A petition's extension request in the browser: clerk A asks through the case page, the supervisor sees the bell
count and the notification, opens it and approves through the real form, and clerk A and clerk B are told."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from complaints.models import Contact, ExtensionRequest
from complaints.services import contact_register, petition_accept
from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERVER_NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def petition(live_base_data):
    with time_machine.travel(SERVER_NOW, tick=True):
        laizhou = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
        clerk_b = make_user(
            org=laizhou, role=Role.CLERK, username="lz_clerk_b", name="周明远", email="zhou@example.gov.cn"
        )
        clerk_a = make_user(
            org=laizhou,
            role=Role.CLERK,
            username="lz_clerk_a",
            name="林晓岚",
            backup=clerk_b,
            email="lin@example.gov.cn",
        )
        make_user(
            org=laizhou, role=Role.SUPERVISOR, username="lz_supervisor", name="孙海涛", email="sun@example.gov.cn"
        )
        contact = contact_register(
            actor=clerk_a,
            channel="letter",
            summary="申请退还保险退保损失",
            outcome=Contact.Outcome.OPENED_CASE,
            case_type="petition",
            petition_kind="appeal",
            name="李大爷",
            phone="0535-2212345",
        )
        case = petition_accept(actor=clerk_a, case=contact.case, version=contact.case.version, route="由消保科调查")
        yield case


def log_in(browser, live_server, username):
    page = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce").new_page()
    page.set_default_timeout(20_000)
    page.goto(live_server.url + "/accounts/login/")
    submit_login(page, username)
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    return page


def open_notification(page, title: str):
    """Click the bell, find the notification and open it through its own button."""
    page.get_by_test_id("notification-bell").click()
    expect(page.get_by_role("heading", name="站内通知")).to_be_visible()
    item = page.locator("[data-testid^=notification-]", has_text=title)
    expect(item).to_be_visible()
    item.get_by_role("button", name="查看").click()


def test_extension_request_notifies_the_supervisor_whose_approval_notifies_a_and_b(
    live_server, petition, browser, page
):
    mail.outbox.clear()
    number = petition.number
    clerk = log_in(browser, live_server, "lz_clerk_a")
    expect(clerk.get_by_test_id("unread-count")).to_have_count(0)
    # Clerk A finds the case in the ledger and asks for 30 more days through the case page.
    clerk.get_by_role("button", name="信访投诉").click()
    clerk.get_by_role("link", name="信访投诉台账").click()
    clerk.get_by_role("link", name=number).click()
    clerk.wait_for_load_state("load")
    clerk.get_by_role("button", name="申请延期", exact=True).click()
    form = clerk.locator("form[data-action=extension_request]")
    expect(form).to_be_visible()
    form.get_by_label("延期天数").fill("30")
    form.get_by_label("延期理由（将告知当事人）").fill("需调取录音")
    form.get_by_role("button", name="确定：申请延期").click()
    expect(clerk.locator(".alert-success")).to_contain_text("申请延期：已完成")

    # The supervisor sees the bell's count, opens the notification and lands on the case's approval form.
    supervisor = log_in(browser, live_server, "lz_supervisor")
    expect(supervisor.get_by_test_id("unread-count")).to_contain_text("1")
    open_notification(supervisor, f"延期申请待审批：{number}")
    expect(supervisor).to_have_url(re.compile(rf"/complaints/cases/{petition.pk}/#extensions$"))
    expect(supervisor.get_by_test_id("unread-count")).to_have_count(0)
    extensions = supervisor.locator("#extensions")
    extensions.get_by_label("批准", exact=True).check()
    extensions.get_by_label("审批意见").fill("同意延期")
    extensions.get_by_role("button", name="提交审批").click()
    expect(supervisor.locator(".alert-success")).to_contain_text("延期申请已审批")
    assert ExtensionRequest.objects.get().state == "approved"

    # Clerk A (still on the case page) and clerk B are told: the bell counts it and the list shows it.
    clerk.reload()
    expect(clerk.get_by_test_id("unread-count")).to_contain_text("1")
    open_notification(clerk, f"延期申请已批准：{number}")
    expect(clerk.locator("#deadlines")).to_contain_text("2026-08-31")
    clerk_b = log_in(browser, live_server, "lz_clerk_b")
    expect(clerk_b.get_by_test_id("unread-count")).to_contain_text("1")
    clerk_b.get_by_test_id("notification-bell").click()
    expect(clerk_b.locator("[data-testid^=notification-]", has_text=f"延期申请已批准：{number}")).to_contain_text(
        "期限延期 30 天，至 2026-08-31"
    )

    # The e-mail copies went out with absolute links and no personal data.
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"sun@example.gov.cn", "lin@example.gov.cn", "zhou@example.gov.cn"}
    link = f"{settings.SITE_URL}/complaints/cases/{petition.pk}/#extensions"
    for message in by_recipient.values():
        assert link in message.body
        assert "李大爷" not in message.body and "2212345" not in message.body and "录音" not in message.body
