"""A quarterly list's file generation (state, progress, error) moves to core.BackgroundJob.

The list kept it in history-tracked fields updated with QuerySet.update(); now the job targeting the list carries
it and the list is saved once, with its history, when the files are stored. A failed generation's error is kept
on its job; a list still waiting or generating without a job row (queued before jobs were recorded) is given one,
so that the re-publisher sends it again. Reversing restores the fields empty.
"""

import uuid

from django.db import migrations

TASK = "institutions.tasks.generate_list_files"


def to_jobs(apps, schema_editor):
    QuarterlyList = apps.get_model("institutions", "QuarterlyList")
    BackgroundJob = apps.get_model("core", "BackgroundJob")
    for quarterly_list in QuarterlyList.objects.exclude(generation__in=["", "done"]).order_by("pk"):
        target = f"institutions.quarterlylist:{quarterly_list.pk}"
        job = BackgroundJob.objects.filter(target=target).order_by("-id").first()
        if job is None:
            state = "failed" if quarterly_list.generation == "failed" else "pending"
            job = BackgroundJob(
                task_id=str(uuid.uuid4()), task_name=TASK, args=[quarterly_list.pk], target=target, state=state
            )
        if quarterly_list.generation == "failed" and not job.last_error:
            job.state = "failed"
            job.last_error = quarterly_list.generation_error
        job.save()


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0003_default_rules_and_schedule"),
        ("core", "0013_background_job_progress_and_file"),
    ]

    operations = [
        migrations.RunPython(to_jobs, migrations.RunPython.noop),
        migrations.RemoveField(model_name="historicalquarterlylist", name="generation"),
        migrations.RemoveField(model_name="historicalquarterlylist", name="generation_error"),
        migrations.RemoveField(model_name="quarterlylist", name="generation"),
        migrations.RemoveField(model_name="quarterlylist", name="generation_error"),
        migrations.RemoveField(model_name="quarterlylist", name="generation_progress"),
    ]
