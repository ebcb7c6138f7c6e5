"""The scheduled jobs (django-celery-beat) in Chinese in the admin.

django-celery-beat describes a crontab in English (through cron_descriptor, by the server's locale) and names a few
columns without translation ("Task Name", "Human readable", "Crontab translation"); its admin classes are
registered again here with those columns in Chinese. Its gettext words come from locale/zh_Hans.
"""

from __future__ import annotations

import re

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

WEEKDAYS = "日一二三四五六日"  # cron counts Sunday as 0 or 7


def _part(field: str, unit: str, *, weekday: bool = False) -> str:
    """One crontab field in words: "1、4、7、10月", "1–15日", "每 5 分钟"…; "" for "*"."""

    def one(value: str) -> str:
        if weekday and value.isdigit() and int(value) < len(WEEKDAYS):
            return "星期" + WEEKDAYS[int(value)]
        return value

    field = field.strip()
    if field in ("*", ""):
        return ""
    step = re.fullmatch(r"\*/(\d+)", field)
    if step:
        return _("每 %(n)s %(unit)s") % {"n": step.group(1), "unit": unit}
    pieces = []
    for piece in field.split(","):
        low, sep, high = piece.partition("-")
        pieces.append(f"{one(low)}–{one(high)}" if sep else one(piece))
    return "、".join(pieces) + ("" if weekday else unit)


def crontab_text(crontab: CrontabSchedule) -> str:
    """A crontab in Chinese: "每年 1、4、7、10月 1–15日 07:30（Asia/Shanghai）", "每分钟"…"""
    minute, hour = crontab.minute.strip(), crontab.hour.strip()
    if minute.isdigit() and hour.isdigit():
        time = f"{int(hour):02d}:{int(minute):02d}"
    elif minute == "*" and hour == "*":
        time = _("每分钟")
    else:
        time = " ".join(p for p in (_part(hour, _("时")), _part(minute, _("分"))) if p) or _("每分钟")
    month = _part(crontab.month_of_year, _("月"))
    day = _part(crontab.day_of_month, _("日"))
    weekday = _part(crontab.day_of_week, "", weekday=True)
    period = (_("每年 ") + month) if month else (_("每月 ") if day else _("每天 ") if not weekday else _("每周 "))
    text = " ".join(p for p in (period.strip(), day, weekday, time) if p)
    return f"{text}（{crontab.timezone}）"


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    fields = ("name", "task_name", "args", "kwargs")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("任务"))
    def task_name(self, task):
        return task.task


class ScheduleAdmin(admin.ModelAdmin):
    inlines = [PeriodicTaskInline]


class ClockedScheduleAdmin(ScheduleAdmin):
    fields = ("clocked_time",)
    list_display = ("clocked_time",)


class CrontabScheduleAdmin(ScheduleAdmin):
    list_display = ("cron_expression", "description")
    fields = ("description", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("description",)

    @admin.display(description=gettext_lazy("cron 表达式"))
    def cron_expression(self, crontab):
        return f"{crontab.minute} {crontab.hour} {crontab.day_of_month} {crontab.month_of_year} {crontab.day_of_week}"

    @admin.display(description=gettext_lazy("执行时间"))
    def description(self, crontab):
        return crontab_text(crontab) if crontab.pk else "—"


class TaskFilter(admin.AllValuesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("任务")


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule_text", "start_time", "last_run_at", "one_off")
    list_filter = ["enabled", "one_off", ("task", TaskFilter), "start_time", "last_run_at"]
    readonly_fields = ("last_run_at", "crontab_translation")

    @admin.display(description=gettext_lazy("执行计划"))
    def schedule_text(self, task):
        if task.crontab_id:
            return crontab_text(task.crontab)
        return str(task.interval or task.solar or task.clocked or "—")

    @admin.display(description=gettext_lazy("执行时间"))
    def crontab_translation(self, task):
        return crontab_text(task.crontab) if task.crontab_id else "—"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The page's script shows the chosen crontab's description: give it the Chinese ones.
        extra_context = {
            **(extra_context or {}),
            "readable_crontabs": {c.pk: crontab_text(c) for c in CrontabSchedule.objects.all()},
        }
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context=extra_context)


for model in (PeriodicTask, CrontabSchedule, ClockedSchedule, SolarSchedule, IntervalSchedule):
    admin.site.unregister(model)
admin.site.register(PeriodicTask, PeriodicTaskAdmin)
admin.site.register(CrontabSchedule, CrontabScheduleAdmin)
admin.site.register(ClockedSchedule, ClockedScheduleAdmin)
admin.site.register(SolarSchedule, ScheduleAdmin)
admin.site.register(IntervalSchedule, ScheduleAdmin)
