"""The rows the data migrations install come back after a transactional test emptied the database."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from tests.conftest import BASE_DATA_MODELS, RESEEDED_DATA_MIGRATIONS, ensure_base_data

# Migrations that run Python but install no rows of their own: PostgreSQL functions and indexes, the search rows
# rebuilt from existing cases, the deadline and case summaries counted from existing rows, names filled in on existing
# units.
NO_ROWS_OF_THEIR_OWN = {
    "complaints.0002_case_search_index",
    "complaints.0003_search_bigrams_function",
    "complaints.0005_search_trigrams",
    "core.0010_orgunit_full_name",
    "complaints.0009_ledger_export_job",
    "institutions.0004_list_generation_on_job",
    "complaints.0012_encrypt_personal_data",
    "core.0015_audit_chain_backfill",
    "core.0016_audit_append_only",
    "core.0019_deadline_day_count",
    "complaints.0020_case_month_counts",
    "complaints.0022_count_without_synchronized_scans",
    "complaints.0024_bounded_count_without_estimate",
    "complaints.0026_case_search_text_rows",
    "mediation.0004_encrypt_applicant_data",
}
PROJECT_APPS = {"core", "complaints", "institutions", "mediation", "outreach"}


def test_every_data_migration_is_reseeded_or_installs_no_rows():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    with_python = {
        f"{app}.{name}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in PROJECT_APPS and any(isinstance(operation, RunPython) for operation in migration.operations)
    }
    assert with_python == set(RESEEDED_DATA_MIGRATIONS) | NO_ROWS_OF_THEIR_OWN, (
        "A new data migration: re-install its rows in tests/conftest.py ensure_base_data "
        "and list it in RESEEDED_DATA_MIGRATIONS (or in NO_ROWS_OF_THEIR_OWN here)."
    )


def _rows():
    return {label: sorted(map(str, apps.get_model(label).objects.all())) for label in BASE_DATA_MODELS}


@pytest.fixture
def _forget_content_types_made_by_the_flush(db):
    """The flush below recreates the content types (new ids) inside the test's transaction, which is then rolled
    back: the cached ids must not outlive it, or the next test's audit entries point at rows that are gone."""
    from django.contrib.contenttypes.models import ContentType

    yield
    ContentType.objects.clear_cache()


def _role_permissions():
    from django.contrib.auth.models import Group

    return {
        group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("_forget_content_types_made_by_the_flush")
def test_base_data_comes_back_after_the_tables_are_emptied():
    installed = _rows()
    roles = _role_permissions()
    assert all(installed.values()), installed
    # What a transactional test's teardown does: empty every table, then re-run the post_migrate handlers. When
    # the base data had to be put back in this test's own transaction (a transactional test ran just before on this
    # worker), PostgreSQL still holds their deferred constraint checks, and TRUNCATE refuses tables with pending
    # trigger events: run the checks now.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    # The roles and the beat schedules come back with flush's own post_migrate signal (core/apps.py), the roles
    # with every app's permissions (they are synced once, at the last app's signal).
    again_by_post_migrate = {"auth.Group", "django_celery_beat.PeriodicTask"}
    assert not any(rows for label, rows in _rows().items() if label not in again_by_post_migrate)
    assert _role_permissions() == roles
    assert {label for permissions in roles.values() for label, _codename in permissions} >= {
        "complaints",
        "institutions",
        "mediation",
        "outreach",
    }

    ensure_base_data()

    assert _rows() == installed
