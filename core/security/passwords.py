"""Password rules (README「安全」): character kinds, no reuse of the last few, expiry, and the forced change of a
password someone else set.

`PasswordHistoryValidator.password_changed` runs whenever a password is saved through `set_password` — the
change form, the admin, `createsuperuser`, `changepassword`, the shell — so every password lands in the history,
and every password the account holder did not choose on the change page must be changed at the next login.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Set on a user instance before saving a password its holder chose (the change page, demo and test accounts).
CHOSEN_BY_HOLDER = "password_chosen_by_holder"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the Chinese message its own catalogue lacks since Django 5.2 reworded it."""

    def get_error_message(self):
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


class CharacterClassValidator:
    """At least three of: upper-case letters, lower-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、其他符号中的至少 %(count)d 种。") % {"count": self.min_classes}


class PasswordHistoryValidator:
    """Refuses the current password and the last PASSWORD_HISTORY_COUNT ones; records each new one."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        count = settings.PASSWORD_HISTORY_COUNT
        # The history holds the current password and the `count` before it.
        earlier = list(user.password_history.values_list("password", flat=True)[: count + 1])
        if user.password:
            earlier.insert(0, user.password)
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return _("不能使用当前密码或最近 %(count)d 次用过的密码。") % {"count": settings.PASSWORD_HISTORY_COUNT}

    def password_changed(self, password, user=None):
        from core.security.models import AccountSecurity, PasswordHistory

        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            : settings.PASSWORD_HISTORY_COUNT + 1
        ]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
        chosen = bool(getattr(user, CHOSEN_BY_HOLDER, False))
        AccountSecurity.objects.update_or_create(
            user=user, defaults={"password_changed_at": timezone.now(), "must_change_password": not chosen}
        )


def password_expired(changed_at, now=None) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or changed_at is None:
        return False
    return (now or timezone.now()) - changed_at > dt.timedelta(days=days)
