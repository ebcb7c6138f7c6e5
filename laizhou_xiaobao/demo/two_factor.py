"""Demo accounts whose role requires two-factor authentication get an authenticator device at seeding, so that
`make run` lets a newcomer in without a phone: `manage.py otp_code <username>` prints the current code (DEBUG only),
and the printed secret can be typed into a real authenticator app instead."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security import services


def seed_devices(users) -> list[tuple[str, str]]:
    """(username, secret) of each demo account that must use a second factor; existing devices are kept."""
    shown = []
    for user in users:
        if not services.requires_two_factor(user):
            continue
        device = services.confirmed_totp(user) or TOTPDevice.objects.create(
            user=user, name="演示身份验证器", confirmed=True
        )
        shown.append((user.username, services.secret_text(device)))
    return shown
