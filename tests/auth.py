"""Signing in the way the product requires (README「安全」): password, then the second factor where the account
has or needs an authenticator. Every test signs in through these two helpers."""

from __future__ import annotations

import time

import django_otp
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security import services
from tests.factories import PASSWORD


def authenticator(user) -> TOTPDevice | None:
    """The account's confirmed authenticator; one is bound first where the role requires it (as if enrolled)."""
    device = services.confirmed_totp(user)
    if device is None and services.requires_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="测试身份验证器", confirmed=True)
    return device


def current_code(device: TOTPDevice) -> str:
    """What the phone shows now; after a code was used, the next one (waiting for it, as a person would)."""
    device.refresh_from_db()
    now_step = int((time.time() - device.t0) // device.step)
    step = max(now_step, device.last_t + 1)
    if step > now_step + device.tolerance:
        time.sleep((step - device.tolerance) * device.step + device.t0 - time.time() + 0.1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = step * device.step + device.t0
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user):
    """`client.force_login` plus what the login page would have completed: the second factor verified, nothing
    pending, active now."""
    client.force_login(user)
    session = client.session
    device = authenticator(user)
    if device is not None:
        session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[services.PENDING_KEY] = ""
    session[services.SEEN_KEY] = session[services.STARTED_KEY] = int(time.time())
    session.save()
    return client


def submit_login(page, username: str, password: str = PASSWORD) -> None:
    """On the login page: type the username and password, and the authenticator's code when asked for it."""
    from playwright.sync_api import expect

    from core.models import User

    device = authenticator(User.objects.get(username=username))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if device is not None:
        expect(page.get_by_role("heading", name="输入动态口令")).to_be_visible()
        page.get_by_label("动态口令或备用码").fill(current_code(device))
        page.get_by_role("button", name="验证").click()


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    from playwright.sync_api import expect

    page.goto(base_url + "/accounts/login/")
    submit_login(page, username, password)
    expect(page.get_by_test_id("user-menu")).to_be_visible()
