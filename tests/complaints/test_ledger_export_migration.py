"""Existing ledger exports keep their file through the move of their work to core.BackgroundJob (complaints 0009).

The round trip runs on a scratch database of its own, migrated forward from empty only as far as the two migrations
need (56 migrations to BEFORE, then 5 to AFTER), instead of taking the worker's test database back through every
later migration of every app and forward again. The worker's database is never touched, so it is not emptied
afterwards either. The scratch database stands in for `default` while the test runs, because the data migrations
write through the default alias as they do in production.
"""

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("complaints", "0008_document_numbers_office_wide"), ("core", "0010_orgunit_full_name")]
AFTER = [("complaints", "0010_ledger_export_drop_job_fields"), ("core", "0013_background_job_progress_and_file")]


@pytest.fixture
def scratch_database(django_db_blocker):
    """An empty database of the same engine (in memory on SQLite, `<test database>_migrations` on PostgreSQL) in
    place of `default`; dropped afterwards. The worker's own test database is never opened."""
    main = connections["default"]
    # Named after the worker's test database (test_<name>_gw0 under xdist); run alone, this test has pytest-django
    # create no test database, and `default` still names the development one.
    test_name = main.settings_dict["NAME"]
    test_name = test_name if test_name.startswith("test_") else f"test_{test_name}"
    name = ":memory:" if main.vendor == "sqlite" else f"{test_name}_migrations"
    settings_dict = {**main.settings_dict, "TEST": {**main.settings_dict["TEST"], "NAME": name}}
    scratch = type(main)(settings_dict, alias="default")
    with django_db_blocker.unblock():
        settings_dict["NAME"] = scratch.creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        connections["default"] = scratch
        try:
            yield scratch
        finally:
            connections["default"] = main
            scratch.close()
            scratch.creation._destroy_test_db(settings_dict["NAME"], verbosity=0)


def _migrate(connection, targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_exports_are_linked_to_jobs_with_their_files(scratch_database):
    old = _migrate(scratch_database, BEFORE)
    # The people and the office as they were then, written through the models of that state.
    org = old.get_model("core", "OrgUnit").objects.create(code="laizhou", name="莱州金融监管支局", short_name="莱州")
    user = old.get_model("core", "User").objects.create(username="clerk", name="林晓岚", org=org)
    LedgerExport, BackgroundJob = old.get_model("complaints", "LedgerExport"), old.get_model("core", "BackgroundJob")
    fields = {"org_id": org.pk, "requested_by_id": user.pk, "file_format": "xlsx", "filters": {}}
    inline = LedgerExport.objects.create(**fields, state="done", row_count=2, rows_done=2)
    built = LedgerExport.objects.create(
        **fields, state="done", row_count=9, rows_done=9, file="exports/1/7-abc.xlsx", expires_at="2026-03-13T09:30Z"
    )
    target = f"complaints.ledgerexport:{built.pk}"
    BackgroundJob.objects.create(task_id="t-built", task_name="complaints.tasks.build_ledger_export", target=target)
    orphan = LedgerExport.objects.create(**fields, state="pending")  # queued before jobs were recorded

    new = _migrate(scratch_database, AFTER)
    LedgerExport = new.get_model("complaints", "LedgerExport")
    assert LedgerExport.objects.get(pk=inline.pk).job_id is None
    built_job = LedgerExport.objects.get(pk=built.pk).job
    assert (built_job.task_id, built_job.state, built_job.file.name) == ("t-built", "done", "exports/1/7-abc.xlsx")
    assert built_job.expires_at is not None and (built_job.progress_done, built_job.progress_total) == (9, 9)
    orphan_job = LedgerExport.objects.get(pk=orphan.pk).job
    assert (orphan_job.state, orphan_job.args) == ("pending", [orphan.pk])  # the re-publisher will send it
    # The scratch database really was migrated, and only as far as asked.
    applied = MigrationExecutor(scratch_database).loader.applied_migrations
    assert set(AFTER) <= set(applied) and ("complaints", "0011_personal_data_columns") not in applied
