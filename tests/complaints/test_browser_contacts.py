"""Visit and call records in the browser: a call answered on the spot is found in 来访来电记录 and corrected the
same day through its form; a repeat visit shows the masked name in the look-up and keeps its words on the case."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from complaints.models import Contact
from complaints.services import contact_register
from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_institution, make_org, make_user
from tests.helpers import pick_institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERVER_NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def office(live_base_data):
    with time_machine.travel(SERVER_NOW, tick=True):
        laizhou = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
        clerk_b = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_b", name="周明远")
        clerk = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_a", name="林晓岚", backup=clerk_b)
        bank = make_institution(org=laizhou, short_name="莱州农商银行")
        # Yesterday's call, taken by B: older, so listed below today's.
        with time_machine.travel(SERVER_NOW - dt.timedelta(days=1), tick=False):
            contact_register(
                actor=clerk_b,
                channel="phone",
                summary="咨询存款保险",
                outcome=Contact.Outcome.ANSWERED,
                answer="已解释存款保险制度。",
            )
        yield {"clerk": clerk, "bank": bank}


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    submit_login(page, username)
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def test_a_call_answered_on_the_spot_is_listed_and_corrected_the_same_day(live_server, office, page):
    log_in(page, live_server, "lz_clerk_a")
    page.goto(live_server.url + "/complaints/intake/?channel=phone")
    page.locator("#id_name").fill("王小明")
    page.locator("#id_phone").fill("13812345678")
    page.locator("#id_summary").fill("咨询征信异议申请方式")
    page.locator("#id_answer").fill("告知可向征信中心提出异议申请")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记，当场答复")

    page.get_by_role("button", name="信访投诉").click()
    page.get_by_role("link", name="来访来电记录").click()
    expect(page.get_by_role("heading", name="来访来电记录")).to_be_visible()
    table = page.get_by_test_id("contact-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    # Today's call first, masked; yesterday's below it.
    expect(rows.nth(0)).to_contain_text("今天")
    expect(rows.nth(0)).to_contain_text("王**")
    expect(rows.nth(0)).to_contain_text("138****5678")
    expect(rows.nth(1)).to_contain_text("咨询存款保险")
    expect(table).not_to_contain_text("王小明")

    # Search through the form, then the handler filter.
    page.get_by_label("检索").fill("征信")
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("咨询征信异议申请方式")
    page.get_by_role("link", name="清除").click()
    page.get_by_label("接待人", exact=True).select_option(label="周明远")
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("咨询存款保险")
    page.get_by_role("link", name="清除").click()

    # Open today's record and correct the answer through its form.
    rows.nth(0).get_by_role("link").first.click()
    expect(page.locator("#contact-name")).to_have_text("王**")
    page.get_by_role("link", name="更正").click()
    expect(page.get_by_role("heading", name=re.compile("更正来访来电记录"))).to_be_visible()
    page.get_by_label("答复内容").fill("告知可向征信中心或贷款银行提出异议申请")
    page.get_by_label("更正说明").fill("补全答复渠道")
    page.get_by_role("button", name="保存更正").click()
    expect(page.locator(".alert-success")).to_contain_text("来访来电记录已更正")
    expect(page.locator("#contact-answer")).to_have_text("告知可向征信中心或贷款银行提出异议申请")
    expect(page.locator("#history")).to_contain_text("更正：补全答复渠道")
    contact = Contact.objects.get(summary="咨询征信异议申请方式")
    assert contact.version == 2 and contact.history.count() == 2


def test_a_repeat_visit_shows_the_masked_name_and_keeps_its_words_on_the_case(live_server, office, page):
    log_in(page, live_server, "lz_clerk_a")
    page.goto(live_server.url + "/complaints/intake/?channel=visit")
    page.locator("#id_name").fill("王小明")
    page.locator("#id_phone").fill("13812345678")
    pick_institution(page, "lzns", "莱州农商银行")
    page.locator("#id_summary").fill("信用卡分期手续费未告知")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("TS-2026-0001")

    page.goto(live_server.url + "/complaints/intake/?channel=visit")
    page.locator("#id_name").fill("王小明")
    page.locator("#id_phone").fill("13812345678")
    candidate = page.locator(".repeat-candidate")
    expect(candidate).to_contain_text("TS-2026-0001")
    expect(candidate).to_contain_text("王**")
    candidate.get_by_role("button", name="并入此案件（重复件）").click()
    page.locator("#id_summary").fill("再次来访催问退费")
    page.locator("#id_content").fill("银行承诺一周内退还手续费，至今未退。")
    page.locator("#intake-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("已作为重复件并入 TS-2026-0001")
    events = page.locator("#events")
    expect(events).to_contain_text("再次反映：再次来访催问退费")
    expect(events).to_contain_text("银行承诺一周内退还手续费，至今未退。")
