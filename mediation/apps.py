from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("纠纷调解")

    def ready(self):
        from core.services.calendar_change import on_deadlines_moved

        from .calendar_sync import mediation_cases_follow_moved_deadlines

        on_deadlines_moved(mediation_cases_follow_moved_deadlines)
