from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Account security: password rules and history, forced changes, two-factor authentication, sessions."""

    name = "core.security"
    label = "security"
    verbose_name = _("账号安全")
    default_auto_field = "django.db.models.BigAutoField"
