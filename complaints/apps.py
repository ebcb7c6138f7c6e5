from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_VIEW = [
    "complaints.view_case",
    "complaints.view_contact",
    "complaints.view_representative",
    "complaints.view_caseevent",
    "complaints.view_casestep",
    "complaints.view_extensionrequest",
    "complaints.view_forwarding",
    "complaints.view_casedocument",
    "complaints.view_attachment",
]
_CLERK = [
    *_VIEW,
    "complaints.add_case",
    "complaints.change_case",
    "complaints.add_contact",
    "complaints.change_contact",
    "complaints.add_representative",
    "complaints.add_casestep",
    "complaints.change_casestep",
    "complaints.add_extensionrequest",
    "complaints.add_forwarding",
    "complaints.change_forwarding",
    "complaints.add_attachment",
]


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("信访投诉")

    def ready(self):
        from core.integrity import register_verified_files

        register_verified_files("complaints.Attachment", "file", "sha256")
        from core.roles import Role, extend_role_permissions
        from core.services.calendar_change import on_deadlines_moved

        from .calendar_sync import cases_follow_moved_deadlines

        on_deadlines_moved(cases_follow_moved_deadlines)
        _register_dated_items()

        extend_role_permissions(Role.CLERK, _CLERK)
        # Supervisors do what clerks do and also approve extensions and reassign A/B.
        extend_role_permissions(Role.SUPERVISOR, [*_CLERK, "complaints.change_extensionrequest"])
        extend_role_permissions(Role.REVIEWER, ["complaints.view_case"])


def _register_dated_items():
    """Name the closed-loop steps' deadlines and link them from my-work and the reminders."""
    from django.urls import reverse

    from core.dashboard.links import register_item_link
    from core.dashboard.selectors import register_item_kind

    register_item_kind("case:step", _("闭环环节"))
    register_item_link("complaints.casestep", lambda pk: reverse("complaints:step_redirect", args=[pk]))
