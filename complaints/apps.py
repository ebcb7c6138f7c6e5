from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("信访投诉")

    def ready(self):
        from core.services.calendar_change import on_deadlines_moved

        from .calendar_sync import cases_follow_moved_deadlines

        on_deadlines_moved(cases_follow_moved_deadlines)
        _register_dated_items()


def _register_dated_items():
    """Name the closed-loop steps' deadlines and link them from my-work and the reminders."""
    from django.urls import reverse

    from core.dashboard.links import register_item_link
    from core.dashboard.selectors import register_item_kind

    register_item_kind("case:step", _("闭环环节"))
    register_item_link("complaints.casestep", lambda pk: reverse("complaints:step_redirect", args=[pk]))
