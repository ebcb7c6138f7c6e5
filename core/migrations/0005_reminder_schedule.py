"""Create the morning reminder schedule once; afterwards administrators change it in the admin.

The crontab fires every day at 08:30 Asia/Shanghai and the job itself decides from the work calendar
whether the day is a working day: 调休 working days can fall on a Saturday or a Sunday.
"""

from django.db import migrations

TASK_NAME = "每日期限提醒"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=TASK_NAME).exists():
        return
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="8",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.create(
        name=TASK_NAME,
        task="core.send_reminders",
        crontab=crontab,
        enabled=True,
        description="工作日 08:30 发送期限提醒（休息日由工作日历判断后不发送）。",
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_notifications_tasks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
