"""Background work of the ledger. Tasks are thin: they take ids and call one service."""

from celery import shared_task
from django.utils import translation

from complaints.services.archive_bundle import archive_bundle_build
from complaints.services.ledger_export import ledger_export_build
from complaints.services.ledger_import import ledger_import_execute
from core.models import BackgroundJob


# acks_late: a worker killed mid-export leaves the message queued, and the rerun starts the file afresh.
# The name is the contract with ledger_export_request, which dispatches the task by name.
@shared_task(name="complaints.tasks.build_ledger_export", acks_late=True)
def build_ledger_export(export_id: int) -> int:
    with translation.override("zh-hans"):
        export = ledger_export_build(export_id=export_id)
    return export.row_count or 0


# The name is the contract with ledger_import_run, which dispatches the task by name. A rerun after a killed
# worker checks the file again: the import is one transaction, so either nothing or everything was written, and
# rows already written are then skipped.
@shared_task(name="complaints.tasks.run_ledger_import", acks_late=True)
def run_ledger_import(import_id: int) -> str:
    with translation.override("zh-hans"):
        record = ledger_import_execute(import_id=import_id)
    return record.state


# Queued by case_file and archive_bundle_request (by this name); a rerun builds the bundle afresh and replaces it.
@shared_task(name="complaints.tasks.build_case_bundle", acks_late=True)
def build_case_bundle(archive_id: int) -> int:
    job = BackgroundJob.objects.filter(target=f"complaints.casearchive:{archive_id}").order_by("-id").first()
    with translation.override("zh-hans"):
        archive_bundle_build(archive_id, job_id=job.pk if job is not None else None)
    return archive_id
