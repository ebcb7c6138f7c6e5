from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Supervisor dashboard, my-work, office tasks and notifications (the models live in core)."""

    name = "laizhou_xiaobao.dashboard"
    label = "dashboard"
    verbose_name = _("督办与待办")

    def ready(self):
        from core.roles import Role, extend_role_permissions

        extend_role_permissions(Role.CLERK, ["core.view_task"])
        extend_role_permissions(Role.SUPERVISOR, ["core.view_task", "core.add_task", "core.change_task"])
        extend_role_permissions(Role.REVIEWER, ["core.view_task"])
        extend_role_permissions(
            Role.ADMINISTRATOR,
            ["core.view_task", "core.add_task", "core.change_task", "core.view_notification"],
        )
