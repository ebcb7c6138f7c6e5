"""Existing ledger exports keep their file through the move of their work to core.BackgroundJob (complaints 0009)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("complaints", "0008_document_numbers_office_wide"), ("core", "0010_orgunit_full_name")]
AFTER = [("complaints", "0010_ledger_export_drop_job_fields"), ("core", "0013_background_job_progress_and_file")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Whatever the test leaves, the database ends at the latest migrations again (later tests on this worker
    need every table)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_exports_are_linked_to_jobs_with_their_files(live_base_data, back_to_latest):
    from tests.factories import make_org, make_user

    org = make_org("laizhou")
    user = make_user(org=org, username="clerk")
    old = _migrate(BEFORE)
    LedgerExport, BackgroundJob = old.get_model("complaints", "LedgerExport"), old.get_model("core", "BackgroundJob")
    fields = {"org_id": org.pk, "requested_by_id": user.pk, "file_format": "xlsx", "filters": {}}
    inline = LedgerExport.objects.create(**fields, state="done", row_count=2, rows_done=2)
    built = LedgerExport.objects.create(
        **fields, state="done", row_count=9, rows_done=9, file="exports/1/7-abc.xlsx", expires_at="2026-03-13T09:30Z"
    )
    target = f"complaints.ledgerexport:{built.pk}"
    BackgroundJob.objects.create(task_id="t-built", task_name="complaints.tasks.build_ledger_export", target=target)
    orphan = LedgerExport.objects.create(**fields, state="pending")  # queued before jobs were recorded

    new = _migrate(AFTER)
    LedgerExport = new.get_model("complaints", "LedgerExport")
    assert LedgerExport.objects.get(pk=inline.pk).job_id is None
    built_job = LedgerExport.objects.get(pk=built.pk).job
    assert (built_job.task_id, built_job.state, built_job.file.name) == ("t-built", "done", "exports/1/7-abc.xlsx")
    assert built_job.expires_at is not None and (built_job.progress_done, built_job.progress_total) == (9, 9)
    orphan_job = LedgerExport.objects.get(pk=orphan.pk).job
    assert (orphan_job.state, orphan_job.args) == ("pending", [orphan.pk])  # the re-publisher will send it
