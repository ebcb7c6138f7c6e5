"""Kept for the landed migration institutions/0003, which calls `setup_schedules` with historical models.

Every beat entry, this one included, is declared in core/schedules.py and kept in step after each migrate.
"""

QUARTERLY_LIST_TASK_NAME = "正负面清单：季度首个工作日起草上季度清单"
QUARTERLY_LIST_TASK = "institutions.tasks.draft_quarterly_lists"


def setup_schedules(crontab_model=None, periodic_task_model=None) -> None:
    """Create the beat entry if it is missing (idempotent; an administrator's later edits are kept).

    It runs every morning of the first half of each quarter's first month; the job itself acts only on the
    quarter's first working day by the official calendar, which a crontab cannot express.
    """
    if crontab_model is None or periodic_task_model is None:
        from django_celery_beat.models import CrontabSchedule, PeriodicTask

        crontab_model, periodic_task_model = CrontabSchedule, PeriodicTask
    if periodic_task_model.objects.filter(name=QUARTERLY_LIST_TASK_NAME).exists():
        return
    schedule, _created = crontab_model.objects.get_or_create(
        minute="30",
        hour="7",
        day_of_week="*",
        day_of_month="1-15",
        month_of_year="1,4,7,10",
        timezone="Asia/Shanghai",
    )
    periodic_task_model.objects.create(
        name=QUARTERLY_LIST_TASK_NAME,
        task=QUARTERLY_LIST_TASK,
        crontab=schedule,
        description="每季度第一个工作日为各支局起草上一季度的正负面清单并通知支局负责人。",
    )
