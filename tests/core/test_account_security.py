"""Identification and authentication (等保 2.0 第三级 身份鉴别; README「安全」): password rules, forced changes,
two-factor authentication, one session per account, the idle timeout, the layered login lockout, the production key."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEntry, User
from core.roles import Role
from core.security.models import AccountSecurity
from tests.auth import authenticator, current_code, sign_in
from tests.factories import PASSWORD

START = dt.datetime(2026, 3, 10, 8, 30, tzinfo=dt.UTC)
NEW_PASSWORD = "Haitao-2026-spring"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Password history compares a candidate with several stored hashes; MD5 keeps the tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client: Client, username: str, password: str = PASSWORD, address: str = "127.0.0.1", next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, REMOTE_ADDR=address)


def actions(user=None) -> list[str]:
    entries = AuditEntry.objects.filter(action__startswith="auth.").order_by("pk")
    if user is not None:
        entries = entries.filter(object_id=user.pk)
    return [entry.action for entry in entries]


def after_a_wrong_code():
    """django-otp refuses every code for a second after a wrong one (doubling with each further one)."""
    time.sleep(1.1)


def change_password(client: Client, old: str, new: str):
    return client.post(
        reverse("security:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


# --- Login page --------------------------------------------------------------------------------------------


def test_the_login_page_warns_and_the_next_login_shows_the_last_one(client, clerk_a):
    page = client.get(reverse("login")).content.decode()
    assert "本系统仅限授权工作人员使用" in page and "连续输错密码 5 次将被锁定 30 分钟" in page

    with time_machine.travel(START, tick=False):
        response = login(client, "clerk_a", address="10.1.2.3")
        assert response.status_code == 302 and response["Location"] == reverse("home")
        assert "这是该账号第一次登录" in client.get(reverse("home")).content.decode()
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        other = Client()
        login(other, "clerk_a", address="10.1.2.4")
        home = other.get(reverse("home")).content.decode()
        # 08:30 UTC is 16:30 in Shanghai.
        assert "上次成功登录：2026年3月10日 16:30，地址 10.1.2.3" in home
    entry = AuditEntry.objects.filter(action="auth.login.succeeded").order_by("pk").last()
    assert entry.actor == clerk_a and entry.data["address"] == "10.1.2.4"


def test_failed_logins_and_logouts_are_audited_with_the_address(client, clerk_a):
    assert login(client, "clerk_a", "wrong", address="10.9.9.9").status_code == 200
    failed = AuditEntry.objects.get(action="auth.login.failed")
    assert failed.actor is None and failed.object_id == clerk_a.pk
    assert failed.data == {"address": "10.9.9.9", "username": "clerk_a"}
    login(client, "clerk_a")
    client.post(reverse("logout"))
    assert actions(clerk_a) == ["auth.login.failed", "auth.login.succeeded", "auth.logout"]


# --- Password rules -----------------------------------------------------------------------------------------


def test_a_weak_password_is_refused_with_chinese_reasons(client, clerk_a):
    sign_in(client, clerk_a)
    response = change_password(client, PASSWORD, "abcdefghij")
    assert response.status_code == 200
    page = response.content.decode()
    assert "密码须包含大写字母、小写字母、数字、其他符号中的至少 3 种" in page
    assert "Short1!" not in page
    short = change_password(client, PASSWORD, "Ab1!x").content.decode()
    assert "密码太短，至少需要 10 个字符" in short
    clerk_a.refresh_from_db()
    assert clerk_a.check_password(PASSWORD)


def test_the_current_and_last_five_passwords_cannot_be_reused(client, clerk_a):
    sign_in(client, clerk_a)
    passwords = [PASSWORD, *(f"Spring-2026-no{n}" for n in range(1, 6))]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change_password(client, old, new).status_code == 302
    # The current one and the five before it (the first password among them) are refused …
    for reused in (passwords[-1], passwords[0]):
        response = change_password(client, passwords[-1], reused)
        assert "不能使用当前密码或最近 5 次用过的密码" in response.content.decode()
    # … until a sixth change pushes the first one out of the history.
    assert change_password(client, passwords[-1], "Spring-2026-no6").status_code == 302
    assert change_password(client, "Spring-2026-no6", passwords[0]).status_code == 302
    assert actions(clerk_a).count("auth.password.changed") == 7


def test_an_expired_password_must_be_changed_before_anything_else(client, clerk_a):
    AccountSecurity.objects.filter(user=clerk_a).update(password_changed_at=START)
    with time_machine.travel(START + dt.timedelta(days=90), tick=False):
        login(client, "clerk_a")
        assert client.get(reverse("home")).status_code == 200  # 90 days: not yet expired
    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        client = Client()
        response = login(client, "clerk_a", next_url="/complaints/")
        assert response["Location"] == reverse("security:password_change") + "?next=%2Fcomplaints%2F"
        blocked = client.get("/complaints/")
        assert blocked["Location"].startswith(reverse("security:password_change"))
        assert "已使用超过规定期限" in client.get(blocked["Location"]).content.decode()
        response = client.post(
            reverse("security:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
                "next": "/complaints/",
            },
        )
        assert response["Location"] == "/complaints/"
        assert client.get("/complaints/").status_code == 200
    assert "auth.password.forced_change" in actions(clerk_a)


def test_a_password_set_by_the_administrator_is_changed_at_first_login(client, administrator, orgs):
    admin = sign_in(Client(), administrator)
    response = admin.post(
        reverse("admin:core_user_add"),
        {
            "username": "new_clerk",
            "name": "新同事",
            "org": orgs["laizhou"].pk,
            "password1": "Temp-Pass-2026",
            "password2": "Temp-Pass-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer = User.objects.get(username="new_clerk")
    assert newcomer.security.must_change_password

    response = login(client, "new_clerk", "Temp-Pass-2026")
    assert response["Location"].startswith(reverse("security:password_change"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("security:password_change"))
    assert "您的密码由管理员设置" in client.get(reverse("security:password_change")).content.decode()
    assert change_password(client, "Temp-Pass-2026", NEW_PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    newcomer.security.refresh_from_db()
    assert not newcomer.security.must_change_password
    assert "auth.password.forced_change" in actions(newcomer)


# --- Two-factor authentication -------------------------------------------------------------------------------


def test_a_supervisor_enrols_an_authenticator_at_first_login(client, supervisor):
    response = login(client, "supervisor")
    assert response["Location"] == reverse("security:otp_enrol") + "?next=%2F"
    # Nothing else opens until the enrolment is done.
    assert client.get("/complaints/")["Location"].startswith(reverse("security:otp_enrol"))
    page = client.get(reverse("security:otp_enrol"))
    text = page.content.decode()
    assert "<svg" in text and 'data-testid="otp-secret"' in text
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    assert re.sub(r"\s", "", page.context["secret"]) in device.config_url

    wrong = client.post(reverse("security:otp_enrol"), {"token": "000000"})
    assert "数字不正确" in wrong.content.decode()
    after_a_wrong_code()
    done = client.post(reverse("security:otp_enrol"), {"token": current_code(device), "next": "/"})
    assert done.status_code == 200 and len(done.context["codes"]) == 8
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert actions(supervisor)[-2:] == ["auth.otp.enrol_failed", "auth.otp.enrolled"]


def test_a_supervisor_with_an_authenticator_logs_in_with_a_code(client, supervisor):
    device = authenticator(supervisor)
    response = login(client, "supervisor", next_url="/dashboard/")
    assert response["Location"] == reverse("security:otp_verify") + "?next=%2Fdashboard%2F"
    # The password alone opens nothing: the role cannot skip the second factor.
    for path in ("/", "/dashboard/", reverse("security:otp_enrol"), reverse("security:account")):
        assert client.get(path)["Location"].startswith(reverse("security:otp_verify")), path
    assert client.post(reverse("security:otp_remove"))["Location"].startswith(reverse("security:otp_verify"))

    wrong = client.post(reverse("security:otp_verify"), {"token": "123456", "next": "/dashboard/"})
    assert "动态口令不正确" in wrong.content.decode()
    after_a_wrong_code()
    right = client.post(reverse("security:otp_verify"), {"token": current_code(device), "next": "/dashboard/"})
    assert right["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert actions(supervisor)[-2:] == ["auth.otp.failed", "auth.otp.verified"]
    # Signed in with both factors, the role still cannot turn two-factor authentication off.
    client.post(reverse("security:otp_remove"))
    assert TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()


def test_a_backup_code_works_once(client, supervisor):
    sign_in(client, supervisor)
    device = TOTPDevice.objects.get(user=supervisor)
    device.confirmed = False
    device.save()
    enrolment = client.post(reverse("security:otp_enrol"), {"token": current_code(device)})
    code = enrolment.context["codes"][0]
    client.post(reverse("logout"))

    first = Client()
    login(first, "supervisor")
    assert first.post(reverse("security:otp_verify"), {"token": code.upper()})["Location"] == reverse("home")
    second = Client()
    login(second, "supervisor")
    assert "动态口令不正确" in second.post(reverse("security:otp_verify"), {"token": code}).content.decode()
    assert StaticToken.objects.filter(device__user=supervisor).count() == 7
    assert "auth.otp.backup_code_used" in actions(supervisor)
    # The table keeps only keyed hashes: none of the codes shown would sign in if read from it.
    stored = set(StaticToken.objects.filter(device__user=supervisor).values_list("token", flat=True))
    assert not stored & {c.lower() for c in enrolment.context["codes"]}


def test_two_factor_is_optional_for_a_clerk_and_then_asked_at_each_login(client, clerk_a):
    login(client, "clerk_a")
    assert client.get(reverse("home")).status_code == 200
    client.get(reverse("security:otp_enrol"))
    device = TOTPDevice.objects.get(user=clerk_a)
    client.post(reverse("security:otp_enrol"), {"token": current_code(device)})
    client.post(reverse("logout"))
    login(client, "clerk_a")
    assert client.get(reverse("home"))["Location"].startswith(reverse("security:otp_verify"))
    client.post(reverse("security:otp_verify"), {"token": current_code(device)})
    assert client.post(reverse("security:otp_remove"))["Location"] == reverse("security:account")
    assert not TOTPDevice.objects.filter(user=clerk_a).exists()
    assert "auth.otp.removed" in actions(clerk_a)


def test_the_administrator_resets_a_lost_authenticator(client, supervisor, administrator):
    sign_in(client, supervisor)
    login(Client(), "supervisor")  # the supervisor's current session, which the reset ends
    admin = sign_in(Client(), administrator)
    security = AccountSecurity.objects.get(user=supervisor)
    response = admin.post(
        reverse("admin:security_accountsecurity_changelist"),
        {"action": "reset_two_factor", "_selected_action": [security.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    reset = AuditEntry.objects.get(action="auth.otp.reset_by_admin")
    assert reset.actor == administrator and reset.object_id == supervisor.pk
    fresh = Client()
    assert login(fresh, "supervisor")["Location"].startswith(reverse("security:otp_enrol"))


def test_otp_code_prints_a_demo_code_only_with_debug(settings, supervisor, capsys):
    device = authenticator(supervisor)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG 已关闭"):
        call_command("otp_code", "supervisor")
    settings.DEBUG = True
    call_command("otp_code", "supervisor")
    code = capsys.readouterr().out.strip()
    assert device.verify_token(code)


# --- Sessions ------------------------------------------------------------------------------------------------


def test_a_new_login_ends_the_accounts_other_session(settings, clerk_a):
    first, second = Client(), Client()
    login(first, "clerk_a", address="10.0.0.1")
    assert first.get(reverse("home")).status_code == 200
    login(second, "clerk_a", address="10.0.0.2")
    ended_page = first.get(reverse("home"), follow=True)
    assert ended_page.redirect_chain[0][0].startswith(reverse("login"))
    assert "在另一处（地址 10.0.0.2）登录，本处的登录已结束" in ended_page.content.decode()
    # Told once: the next visit to the login page says nothing more.
    assert "本处的登录已结束" not in first.get(reverse("login")).content.decode()
    assert second.get(reverse("home")).status_code == 200
    ended = AuditEntry.objects.get(action="auth.session.ended_by_new_login")
    assert ended.data["address"] == "10.0.0.2"

    settings.SESSION_SINGLE = False
    third = Client()
    login(third, "clerk_a")
    assert second.get(reverse("home")).status_code == 200 and third.get(reverse("home")).status_code == 200


def test_thirty_idle_minutes_end_the_session(client, clerk_a):
    with time_machine.travel(START, tick=False) as traveller:
        login(client, "clerk_a")
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/complaints/")
        assert response["Location"] == reverse("login") + "?next=%2Fcomplaints%2F"
        assert "已超过 30 分钟没有操作，已自动退出" in client.get(response["Location"]).content.decode()
        assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert actions(clerk_a)[-1] == "auth.session.idle_logout"


def test_the_idle_timeout_is_configurable(settings, client, clerk_a):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    with time_machine.travel(START, tick=False) as traveller:
        login(client, "clerk_a")
        traveller.shift(dt.timedelta(minutes=6))
        assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


# --- Login lockout in layers ----------------------------------------------------------------------------------


def test_a_username_is_locked_after_failures_from_any_addresses(client, clerk_a, clerk_b):
    with time_machine.travel(START, tick=False):
        limit = django_settings.LOGIN_USERNAME_FAILURE_LIMIT
        for n in range(limit):
            # One failure from each address: no single address reaches its own limit.
            assert login(Client(), "clerk_a", "wrong", address=f"10.0.1.{n}").status_code in (200, 429)
        locked = login(Client(), "clerk_a", address="10.0.2.1")
        assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
        assert login(Client(), "clerk_b", address="10.0.2.1").status_code == 302
    assert "auth.login.locked" in actions(clerk_a)


def test_an_address_trying_many_usernames_is_throttled(client, clerk_a):
    with time_machine.travel(START, tick=False) as traveller:
        limit = django_settings.LOGIN_ADDRESS_FAILURE_LIMIT
        for n in range(limit):
            login(Client(), f"guess{n}", "wrong", address="10.0.3.3")
        assert login(Client(), "clerk_a", address="10.0.3.3").status_code == 429
        assert login(Client(), "clerk_a", address="10.0.3.4").status_code == 302
        # A valid login elsewhere does not lift the address's lock, the cool-off does.
        traveller.shift(dt.timedelta(minutes=31))
        assert login(Client(), "clerk_a", address="10.0.3.3").status_code == 302


def test_the_client_address_comes_from_the_trusted_proxy(settings, client, clerk_a):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("login"),
        {"username": "clerk_a", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 10.20.30.40",
    )
    assert AuditEntry.objects.get(action="auth.login.failed").data["address"] == "10.20.30.40"


# --- Production key -------------------------------------------------------------------------------------------


# Valid production keys for personal data, so that a check refuses only what the test varies (the SECRET_KEY).
PRODUCTION_PERSONAL_DATA_KEYS = {
    "PERSONAL_DATA_KEYS": "q5mCwJ4r0cB3bV2qO1n9R8k7LmX6tY5uZ4a3s2d1f0E=",
    "PERSONAL_DATA_HASH_KEY": "a-test-only-hash-key-that-is-long-enough-0123456789",
}


def _check_with(env: dict) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "x.example", **PRODUCTION_PERSONAL_DATA_KEYS, **env},
    )


def test_production_refuses_the_development_key_and_the_example_placeholder():
    example = (django_settings.BASE_DIR / ".env.example").read_text(encoding="utf-8")
    placeholder = re.search(r"^SECRET_KEY=(.+)$", example, re.MULTILINE).group(1)
    for key in ("dev-only-insecure-key-do-not-use-in-production-0123456789abcdef", placeholder):
        result = _check_with({"SECRET_KEY": key})
        assert result.returncode != 0
        assert "SECRET_KEY 仍是开发用密钥或 .env.example 中的占位符" in result.stderr, result.stderr[-500:]


def test_demo_supervisors_get_an_authenticator_and_demo_passwords_are_not_forced(base_data):
    from laizhou_xiaobao.demo.base import seed_accounts, seed_orgs
    from laizhou_xiaobao.demo.two_factor import seed_devices

    users = seed_accounts(seed_orgs(), "Demo-Laizhou-2026")
    shown = dict(seed_devices(users))
    # Supervisors and the three administrator roles (TWO_FACTOR_REQUIRED_ROLES), and the superuser.
    assert set(shown) == {"admin", "lz_supervisor", "zy_supervisor", "yt_sysadmin", "yt_secadmin", "yt_auditor"}
    supervisor = User.objects.get(username="lz_supervisor")
    assert supervisor.groups.filter(name=Role.SUPERVISOR.label).exists()
    assert not supervisor.security.must_change_password


def test_backup_codes_kept_in_clear_text_before_keep_working_once_the_migration_hashed_them(supervisor):
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice

    from core.security.services import backup_code_digest

    device = StaticDevice.objects.create(user=supervisor, name="备用码", confirmed=True)
    device.token_set.create(token="abcd2345")
    migration = importlib.import_module("core.security.migrations.0003_hash_backup_codes")
    migration.hash_codes(apps, None)
    assert list(device.token_set.values_list("token", flat=True)) == [backup_code_digest("ABCD2345")]
    assert device.verify_token(backup_code_digest("abcd2345"))
