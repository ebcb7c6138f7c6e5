"""Account security services: login, logout, password change, two-factor enrolment and verification, resets.

Each security event is written to the audit log (`auth.…`) with the client address. The session carries two
values the middleware reads without a query: the step still owed before the account may work
(`PENDING_KEY`: "" when none) and when it was last active (`SEEN_KEY`, Unix seconds).
"""

import base64
import time

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import GROUP_NAMES, Role
from core.security.lockout import client_address
from core.security.models import AccountSecurity
from core.security.passwords import CHOSEN_BY_HOLDER, password_expired
from core.services.audit import log_action

PENDING_KEY = "security.pending"
SEEN_KEY = "security.seen"
STARTED_KEY = "security.started"
GREETING_KEY = "security.greeting"
# Left in a session ended by a newer login of the same account: why it was ended (shown once).
ENDED_NOTICE_KEY = "security.ended_by_new_login"


class Step:
    """What an account must still do after its password was accepted, in this order."""

    OTP_VERIFY = "otp_verify"
    PASSWORD_CHANGE = "password_change"  # nosec B105 # 步骤名称，不是密码
    OTP_ENROL = "otp_enrol"


def account_security(user) -> AccountSecurity:
    """The account's row; an account seen for the first time starts its password age now."""
    security, _created = AccountSecurity.objects.get_or_create(
        user=user, defaults={"password_changed_at": timezone.now()}
    )
    return security


def requires_two_factor(user) -> bool:
    names = {GROUP_NAMES[Role(value)] for value in settings.TWO_FACTOR_REQUIRED_ROLES if value in Role.values}
    return user.is_superuser or user.groups.filter(name__in=names).exists()


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_step(request) -> str:
    user = request.user
    security = account_security(user)
    has_device = confirmed_totp(user) is not None
    if has_device and not request.session.get(django_otp.DEVICE_ID_SESSION_KEY):
        return Step.OTP_VERIFY
    if security.must_change_password or password_expired(security.password_changed_at):
        return Step.PASSWORD_CHANGE
    if not has_device and requires_two_factor(user):
        return Step.OTP_ENROL
    return ""


def refresh_pending(request) -> str:
    step = pending_step(request)
    request.session[PENDING_KEY] = step
    request.session[SEEN_KEY] = int(time.time())
    request.session.setdefault(STARTED_KEY, request.session[SEEN_KEY])
    return step


def _record(request, action: str, *, actor=None, target=None, **data):
    log_action(actor=actor or request.user, action=action, target=target, address=client_address(request), **data)


def _end_session(session_key: str, *, notice: str = "") -> None:
    """End another session of the account. With a `notice`, the old session is emptied (signed out) but kept
    holding only that notice, so the browser still using it is told why on its next request (see
    AccountSecurityMiddleware); without one, it is deleted."""
    from importlib import import_module

    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    if not notice or not store.exists(session_key):
        store.delete()
        return
    store.clear()
    store[ENDED_NOTICE_KEY] = notice
    store.save()


@transaction.atomic
def login_completed(request, user) -> str:
    """After the password was accepted and `login()` ran: greet with the previous login, end the account's other
    session, log, and return the step still owed ("" when none)."""
    security = account_security(user)
    address = client_address(request)
    # Shown once every step is done (core/security/views.py `_continue`), not on the second-factor page.
    if security.last_login_at:
        when = date_format(timezone.localtime(security.last_login_at), "Y年n月j日 H:i")
        request.session[GREETING_KEY] = _(
            "上次成功登录：%(when)s，地址 %(address)s。如非本人操作，请立即修改密码并报告管理员。"
        ) % {"when": when, "address": security.last_login_address or _("未知")}
    else:
        request.session[GREETING_KEY] = _("这是该账号第一次登录。")
    previous_session = security.session_key
    security.last_login_at = timezone.now()
    security.last_login_address = address or None
    security.session_key = request.session.session_key or ""
    security.save(update_fields=["last_login_at", "last_login_address", "session_key"])
    _record(request, "auth.login.succeeded", actor=user, target=user)
    if settings.SESSION_SINGLE and previous_session and previous_session != security.session_key:
        when = date_format(timezone.localtime(security.last_login_at), "Y年n月j日 H:i")
        notice = _(
            "您的账号于 %(when)s 在另一处（地址 %(address)s）登录，本处的登录已结束。"
            "如非本人操作，请立即修改密码并报告管理员。"
        ) % {
            "when": when,
            "address": address or _("未知"),
        }
        _end_session(previous_session, notice=notice)
        _record(request, "auth.session.ended_by_new_login", actor=user, target=user)
    return refresh_pending(request)


def login_failed(request, username: str, *, locked: bool) -> None:
    from core.models import User

    target = User.objects.filter(username=username).first()
    action = "auth.login.locked" if locked else "auth.login.failed"
    log_action(actor=None, action=action, target=target, address=client_address(request), username=username[:150])


def logout_recorded(request, *, reason: str = "") -> None:
    if request.user.is_authenticated:
        action = {"idle": "auth.session.idle_logout", "expired": "auth.session.expired"}.get(reason, "auth.logout")
        _record(request, action, target=request.user)


@transaction.atomic
def password_change(request, *, new_password: str, forced: bool) -> None:
    """The account holder sets their own password (validated by the form): history, age and session follow."""
    user = request.user
    setattr(user, CHOSEN_BY_HOLDER, True)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    AccountSecurity.objects.filter(user=user).update(session_key=request.session.session_key or "")
    _record(request, "auth.password.forced_change" if forced else "auth.password.changed", target=user)
    refresh_pending(request)


def otp_verify(request, token: str) -> bool:
    """The code of the authenticator app, or one backup code (used once)."""
    user = request.user
    token = "".join(token.split()).lower()
    device = None
    with transaction.atomic():
        for candidate in (
            *TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update(),
            *StaticDevice.objects.filter(user=user, confirmed=True).select_for_update(),
        ):
            if candidate.verify_token(backup_code_digest(token) if isinstance(candidate, StaticDevice) else token):
                device = candidate
                break
    if device is None:
        _record(request, "auth.otp.failed", target=user)
        return False
    django_otp.login(request, device)
    _record(
        request, "auth.otp.backup_code_used" if isinstance(device, StaticDevice) else "auth.otp.verified", target=user
    )
    refresh_pending(request)
    return True


def enrolment_device(user) -> TOTPDevice:
    """The device being enrolled: its secret is shown until a code from it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps accept it typed in: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@transaction.atomic
def otp_enrol_confirm(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a code from it; replace earlier devices; return new backup codes (None: wrong code)."""
    user = request.user
    if device.user_id != user.pk or not device.verify_token("".join(token.split())):
        _record(request, "auth.otp.enrol_failed", target=user)
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_replace(user)
    django_otp.login(request, device)
    _record(request, "auth.otp.enrolled", target=user)
    refresh_pending(request)
    return codes


def backup_code_digest(code: str) -> str:
    """What is stored of a backup code: a keyed hash (HMAC-SHA256 with SECRET_KEY, 16 hex digits: the field's
    length), so that the table does not hold codes that sign in (docs/operations.md「双因素认证」)."""
    return salted_hmac("core.security.backup_code", code.lower(), algorithm="sha256").hexdigest()[:16]


def backup_codes_replace(user) -> list[str]:
    """New backup codes for the user, returned once to be shown; only their digests are kept."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("备用码"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    for code in codes:
        static.token_set.create(token=backup_code_digest(code))
    return codes


@transaction.atomic
def two_factor_remove(request) -> bool:
    """The account holder turns two-factor authentication off; refused where their role requires it."""
    user = request.user
    if requires_two_factor(user):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    _record(request, "auth.otp.removed", target=user)
    refresh_pending(request)
    return True


@transaction.atomic
def two_factor_reset(request, *, user) -> None:
    """An administrator removes an account's devices (a lost phone): the account enrols again at its next login,
    and its open session ends."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    security = account_security(user)
    if security.session_key:
        _end_session(security.session_key)
    _record(request, "auth.otp.reset_by_admin", target=user)


@transaction.atomic
def password_change_required(request, *, user) -> None:
    """An administrator requires the account to choose a new password at its next login."""
    security = account_security(user)
    security.must_change_password = True
    security.save(update_fields=["must_change_password"])
    if security.session_key:
        _end_session(security.session_key)
    _record(request, "auth.password.change_required_by_admin", target=user)
