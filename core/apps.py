from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("基础设置")

    def ready(self):
        from . import calendar_watch, checks, lookups  # noqa: F401  (registers the system checks)
        from .roles import sync_roles
        from .schedules import sync_after_migrate
        from .services import jobs  # noqa: F401  (connects the Celery signals that keep job rows in step)

        lookups.register()
        # The work calendar's shared copies are retired whenever a year or a day is saved (core/workcalendar.py).
        from .models import WorkCalendarDay, WorkCalendarYear
        from .workcalendar import forget_calendar

        post_save.connect(forget_calendar, sender=WorkCalendarYear, dispatch_uid="core.calendar_year_saved")
        post_delete.connect(forget_calendar, sender=WorkCalendarYear, dispatch_uid="core.calendar_year_deleted")
        post_save.connect(forget_calendar, sender=WorkCalendarDay, dispatch_uid="core.calendar_day_saved")
        # Permissions exist only after migrate; the roles are brought in line every time it runs.
        post_migrate.connect(sync_roles, dispatch_uid="core.sync_roles")
        # Beat schedules likewise (core/schedules.py); once per migrate or flush, after every app's migrations.
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="core.sync_beat_schedules")
