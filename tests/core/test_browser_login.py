import re

import pytest
from playwright.sync_api import expect

from core.models import OrgUnit
from core.roles import Role
from tests.auth import authenticator, current_code, submit_login
from tests.factories import PASSWORD, make_org, make_user

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


def test_supervisor_logs_in_with_the_code_of_the_authenticator(live_server, live_base_data, page):
    org = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
    supervisor = make_user(org=org, role=Role.SUPERVISOR, username="lz_supervisor", name="孙海涛")
    device = authenticator(supervisor)

    page.goto(live_server.url + "/dashboard/")
    page.get_by_label("用户名").fill("lz_supervisor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="输入动态口令")).to_be_visible()
    page.get_by_label("动态口令或备用码").fill("000000")
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_text("动态口令不正确")).to_be_visible()
    page.wait_for_timeout(1200)  # django-otp refuses any code for a second after a wrong one
    page.get_by_label("动态口令或备用码").fill(current_code(device))
    page.get_by_role("button", name="验证").click()

    expect(page.get_by_role("heading", name="督办看板")).to_be_visible()
    expect(page.get_by_text("这是该账号第一次登录")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_contain_text("孙海涛")


def test_supervisor_enrols_by_typing_the_secret_shown(live_server, live_base_data, page):
    import base64

    from django_otp.oath import TOTP

    org = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
    make_user(org=org, role=Role.SUPERVISOR, username="lz_supervisor", name="孙海涛")

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("lz_supervisor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="绑定身份验证器（双因素认证）")).to_be_visible()
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    # What an authenticator app does with the secret typed in by hand.
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    code = TOTP(base64.b32decode(secret)).token()
    page.get_by_label("验证器显示的 6 位数字").fill(f"{code:06d}")
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(8)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.get_by_test_id("user-menu")).to_contain_text("孙海涛")
