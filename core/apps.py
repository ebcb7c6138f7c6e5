from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_the_last_app(sender, **kwargs) -> None:
    from django.apps import apps

    from .roles import sync_roles

    # post_migrate is sent for each app with models, in INSTALLED_APPS order.
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is last:
        sync_roles(sender=sender, **kwargs)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("基础设置")

    def ready(self):
        from . import calendar_watch, checks, lookups  # noqa: F401  (registers the system checks)
        from .schedules import sync_after_migrate
        from .services import jobs  # noqa: F401  (connects the Celery signals that keep job rows in step)

        lookups.register()
        # The work calendar's shared copies are retired whenever a year or a day is saved (core/workcalendar.py).
        from .models import WorkCalendarDay, WorkCalendarYear
        from .workcalendar import forget_calendar

        post_save.connect(forget_calendar, sender=WorkCalendarYear, dispatch_uid="core.calendar_year_saved")
        post_delete.connect(forget_calendar, sender=WorkCalendarYear, dispatch_uid="core.calendar_year_deleted")
        post_save.connect(forget_calendar, sender=WorkCalendarDay, dispatch_uid="core.calendar_day_saved")
        # Permissions exist only after migrate; the roles are brought in line every time it runs, once: at the last
        # app's post_migrate, when auth (connected earlier) has made every app's permissions. Listening to every
        # app's signal ran it seventeen times per migrate or flush.
        post_migrate.connect(_sync_roles_after_the_last_app, dispatch_uid="core.sync_roles")
        # Beat schedules likewise (core/schedules.py); once per migrate or flush, after every app's migrations.
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="core.sync_beat_schedules")
