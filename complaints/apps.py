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
        from core.roles import Role, extend_role_permissions
        from core.services.calendar_change import on_deadlines_moved

        from .calendar_sync import cases_follow_moved_deadlines

        on_deadlines_moved(cases_follow_moved_deadlines)

        extend_role_permissions(Role.CLERK, _CLERK)
        # Supervisors do what clerks do and also approve extensions and reassign A/B.
        extend_role_permissions(Role.SUPERVISOR, [*_CLERK, "complaints.change_extensionrequest"])
        extend_role_permissions(Role.REVIEWER, ["complaints.view_case"])
