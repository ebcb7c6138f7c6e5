"""Every periodic job of the project, declared once (docs/operations.md, "定时任务").

`sync_beat_schedules()` brings django-celery-beat's `PeriodicTask` rows in line with `SCHEDULES`: it creates a
missing entry, updates one whose task, timing or description changed, and deletes the entries it once owned and
that are now listed in `RETIRED`. It runs after every `migrate` (and after the test database is flushed, which
sends the same signal) and by hand as `manage.py sync_beat_schedules`; it is idempotent.

Administrators may pause an entry in the admin (`enabled` is left as they set it); its timing is changed here, in
code, so that a new deployment never silently loses or duplicates a schedule.

Tasks are named by their registered Celery names: core does not import the apps whose jobs it schedules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

TIME_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Crontab:
    minute: str = "*"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"


@dataclass(frozen=True)
class Every:
    minutes: int


@dataclass(frozen=True)
class Schedule:
    name: str  # what the admin shows; also the key that identifies the row
    task: str  # the registered Celery task name
    when: Crontab | Every
    description: str


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        name="每日期限提醒",
        task="core.send_reminders",
        # Every day: the job itself reads the work calendar (调休 working days can fall on a weekend).
        when=Crontab(minute="30", hour="8"),
        description="工作日 08:30 发送期限提醒（休息日由工作日历判断后不发送）。",
    ),
    Schedule(
        name="补发待发送的后台任务",
        task="core.republish_jobs",
        when=Every(minutes=1),
        description="消息队列恢复后补发待发送的后台任务（导出、清单文件），并补发失败的邮件。",
    ),
    Schedule(
        name="正负面清单：季度首个工作日起草上季度清单",
        task="institutions.tasks.draft_quarterly_lists",
        # The first half of each quarter's first month; the job acts only on the quarter's first working day by
        # the official calendar, which a crontab cannot express.
        when=Crontab(minute="30", hour="7", day_of_month="1-15", month_of_year="1,4,7,10"),
        description="每季度第一个工作日为各支局起草上一季度的正负面清单并通知支局负责人。",
    ),
    Schedule(
        name="清理过期的导出文件",
        task="core.purge_expired_job_files",
        when=Crontab(minute="0", hour="3"),
        description="每天 03:00 删除已过保留期的后台导出文件（台账导出等），导出记录保留。",
    ),
    Schedule(
        name="文件完整性校验",
        task="core.verify_files",
        when=Crontab(minute="30", hour="2", day_of_week="6"),
        description="每周六 02:30 按 SHA-256 重读全部已存文件，缺失或被改动的通知系统管理员。",
    ),
)

# Names of entries this module created once and no longer wants; they are deleted by the next sync.
RETIRED: tuple[str, ...] = ()


def _schedule_fields(when: Crontab | Every) -> dict:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule

    if isinstance(when, Every):
        interval, _created = IntervalSchedule.objects.get_or_create(every=when.minutes, period=IntervalSchedule.MINUTES)
        return {"interval": interval, "crontab": None}
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute=when.minute,
        hour=when.hour,
        day_of_week=when.day_of_week,
        day_of_month=when.day_of_month,
        month_of_year=when.month_of_year,
        timezone=TIME_ZONE,
    )
    return {"crontab": crontab, "interval": None}


def _beat_installed(using: str) -> bool:
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask._meta.db_table in connections[using].introspection.table_names()


def sync_beat_schedules(*, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Create, update and retire the beat entries; returns the names per outcome (for the command and tests)."""
    from django_celery_beat.models import PeriodicTask

    outcome = {"created": [], "updated": [], "unchanged": [], "removed": []}
    if not _beat_installed(using):
        return outcome  # a partial migrate that has not reached django_celery_beat yet
    with transaction.atomic(using=using):
        for declared in SCHEDULES:
            wanted = {"task": declared.task, "description": declared.description, **_schedule_fields(declared.when)}
            entry = PeriodicTask.objects.filter(name=declared.name).first()
            if entry is None:
                PeriodicTask.objects.create(name=declared.name, enabled=True, **wanted)
                outcome["created"].append(declared.name)
                continue
            changed = [field for field, value in wanted.items() if getattr(entry, field) != value]
            if not changed:
                outcome["unchanged"].append(declared.name)
                continue
            for field in changed:
                setattr(entry, field, wanted[field])
            # A full save: django-celery-beat's save() validates that exactly one schedule is set and marks the
            # schedule as changed, so a running beat reloads it.
            entry.save()
            outcome["updated"].append(declared.name)
        # delete() one by one: django-celery-beat's signals then tell a running beat to reload.
        for entry in PeriodicTask.objects.filter(name__in=RETIRED):
            entry.delete()
            outcome["removed"].append(entry.name)
    if outcome["created"] or outcome["updated"] or outcome["removed"]:
        logger.info("Beat schedules synced: %s", outcome)
    return outcome


def sync_after_migrate(using=DEFAULT_DB_ALIAS, **_kwargs) -> None:
    """post_migrate receiver (core/apps.py)."""
    sync_beat_schedules(using=using)
