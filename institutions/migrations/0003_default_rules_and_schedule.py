from django.db import migrations


def forwards(apps, schema_editor):
    from institutions.reference_data import ensure_default_rules
    from institutions.schedules import setup_schedules

    ensure_default_rules(apps.get_model("institutions", "InterviewTriggerRule"), apps.get_model("institutions", "ListSuggestionRule"))
    setup_schedules(apps.get_model("django_celery_beat", "CrontabSchedule"), apps.get_model("django_celery_beat", "PeriodicTask"))


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0002_interviews_surveys_lists"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
