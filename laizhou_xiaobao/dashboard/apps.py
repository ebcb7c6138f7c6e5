from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Supervisor dashboard, my-work, office tasks and notifications (the models live in core)."""

    name = "laizhou_xiaobao.dashboard"
    label = "dashboard"
    verbose_name = _("督办与待办")
