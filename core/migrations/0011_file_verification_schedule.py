"""Create the weekly file integrity check once; afterwards administrators change it in the admin.

Saturday 02:30 Asia/Shanghai: outside office hours and away from a nightly backup at the start of the night.
"""

from django.db import migrations

TASK_NAME = "文件完整性校验"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=TASK_NAME).exists():
        return
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="2",
        day_of_week="6",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.create(
        name=TASK_NAME,
        task="core.verify_files",
        crontab=crontab,
        enabled=True,
        description="每周六 02:30 按上传时登记的 SHA-256 校验全部附件、照片和清单文件，缺失或被改动的通知系统管理员。",
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_orgunit_full_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
