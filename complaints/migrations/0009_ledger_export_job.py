"""A ledger export's work (state, progress, file, expiry) moves to its core.BackgroundJob (the one job model).

Existing exports keep their file: each is linked to the job that built it (found by its target key), or given
one when it had none (exports queued before jobs were recorded); small exports written at once stay without a job.
Reversible: the reverse copies the job's fields back. The old fields are removed by 0010, in its own
transaction (PostgreSQL refuses to alter a table with pending foreign-key checks from the rows written here).
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models

TASK = "complaints.tasks.build_ledger_export"
# An export without a job row that was still waiting or running is queued again (its message may be lost).
JOB_STATE = {"pending": "pending", "running": "pending", "done": "done", "failed": "failed"}
EXPORT_STATE = {"pending": "pending", "queued": "pending", "running": "running", "done": "done", "failed": "failed"}


def to_jobs(apps, schema_editor):
    LedgerExport = apps.get_model("complaints", "LedgerExport")
    BackgroundJob = apps.get_model("core", "BackgroundJob")
    for export in LedgerExport.objects.order_by("pk").iterator():
        target = f"complaints.ledgerexport:{export.pk}"
        job = BackgroundJob.objects.filter(target=target).order_by("-id").first()
        if job is None:
            if export.state == "done" and not export.file:
                continue  # written at once and downloaded: there was no background work
            job = BackgroundJob(
                task_id=str(uuid.uuid4()),
                task_name=TASK,
                args=[export.pk],
                target=target,
                state=JOB_STATE.get(export.state, "failed"),
            )
        if export.state == "done":
            job.state = "done"
            job.finished_at = job.finished_at or export.finished_at
        if export.state == "failed" and not job.last_error:
            job.state = "failed"
            job.last_error = export.error
        job.file = export.file.name if export.file else ""
        job.expires_at = export.expires_at
        job.progress_done = export.rows_done
        job.progress_total = export.row_count
        job.save()
        export.job = job
        export.save(update_fields=["job"])


def from_jobs(apps, schema_editor):
    LedgerExport = apps.get_model("complaints", "LedgerExport")
    for export in LedgerExport.objects.select_related("job").order_by("pk").iterator():
        job = export.job
        if job is None:
            export.state = "done"
        else:
            export.state = EXPORT_STATE[job.state]
            export.file = job.file.name if job.file else ""
            export.expires_at = job.expires_at
            export.finished_at = job.finished_at
            export.rows_done = job.progress_done
            export.error = job.last_error
        export.save()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0008_document_numbers_office_wide"),
        ("core", "0013_background_job_progress_and_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerexport",
            name="job",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="ledger_export",
                to="core.backgroundjob",
                verbose_name="后台任务",
            ),
        ),
        migrations.RunPython(to_jobs, from_jobs),
    ]
