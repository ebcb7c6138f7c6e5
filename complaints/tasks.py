"""Background work of the ledger. Tasks are thin: they take ids and call one service."""

from celery import shared_task
from django.utils import translation

from complaints.services.ledger_export import ledger_export_build


# acks_late: a worker killed mid-export leaves the message queued, and the rerun starts the file afresh.
# The name is the contract with ledger_export_request, which dispatches the task by name.
@shared_task(name="complaints.tasks.build_ledger_export", acks_late=True)
def build_ledger_export(export_id: int) -> int:
    with translation.override("zh-hans"):
        export = ledger_export_build(export_id=export_id)
    return export.row_count or 0
