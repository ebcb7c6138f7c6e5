from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("信访投诉")

    def ready(self):
        from core.services.calendar_change import on_deadlines_moved

        from .calendar_sync import cases_follow_moved_deadlines

        on_deadlines_moved(cases_follow_moved_deadlines)
