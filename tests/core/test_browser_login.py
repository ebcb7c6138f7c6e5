import re

import pytest
from playwright.sync_api import expect

from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_sees_chinese_home_and_logs_out(live_server, live_base_data, page):
    org = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
    make_user(org=org, role=Role.CLERK, username="lz_clerk_a", name="林晓岚")

    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    submit_login(page, "lz_clerk_a")

    expect(page.get_by_test_id("user-menu")).to_contain_text("林晓岚")
    page.get_by_role("button", name="信访投诉").click()
    expect(page.get_by_role("link", name="信访投诉台账")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_wrong_password_shows_a_chinese_message(live_server, live_base_data, page):
    org = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
    make_user(org=org, role=Role.CLERK, username="lz_clerk_a")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("lz_clerk_a")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("请输入一个正确的")).to_be_visible()
