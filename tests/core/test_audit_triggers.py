"""On PostgreSQL the database itself refuses to change or delete an audit entry (README 安全审计), whatever the
code path: plain SQL here, as a script or a database console would run it."""

import pytest
from django.db import DatabaseError, connection, transaction

from core.models import AuditArchive, AuditEntry
from core.services.audit import log_action

pytestmark = pytest.mark.postgres


def run(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_to_update_an_entry(clerk_a):
    entry = log_action(actor=clerk_a, action="core.test.recorded")
    with pytest.raises(DatabaseError, match="操作日志只能追加"):
        run("UPDATE core_auditentry SET action = 'core.test.forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "core.test.recorded"


def test_the_database_refuses_to_delete_an_entry(clerk_a):
    entry = log_action(actor=clerk_a, action="core.test.recorded")
    with pytest.raises(DatabaseError, match="操作日志只能追加"):
        run("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="操作日志只能追加"):
        run("DELETE FROM core_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_to_change_the_archive_register(clerk_a):
    entry = log_action(actor=clerk_a, action="core.test.recorded")
    archive = AuditArchive.objects.create(
        first_sequence=entry.sequence,
        last_sequence=entry.sequence,
        first_prev_hash=entry.prev_hash,
        last_hash=entry.entry_hash,
        entry_count=1,
        oldest_at=entry.created_at,
        newest_at=entry.created_at,
        file_name="audit-test.jsonl",
        file_sha256="0" * 64,
    )
    with pytest.raises(DatabaseError, match="操作日志只能追加"):
        run("UPDATE core_auditarchive SET last_hash = %s WHERE id = %s", ["f" * 64, archive.pk])
    with pytest.raises(DatabaseError, match="操作日志只能追加"):
        run("DELETE FROM core_auditarchive WHERE id = %s", [archive.pk])
    # An archived entry may leave the table (that is how audit_archive moves it); a later one may not.
    later = log_action(actor=clerk_a, action="core.test.recorded")
    run("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="操作日志只能追加"):
        run("DELETE FROM core_auditentry WHERE id = %s", [later.pk])


def test_the_database_refuses_to_remove_the_chain_head(clerk_a):
    log_action(actor=clerk_a, action="core.test.recorded")
    with pytest.raises(DatabaseError, match="操作日志只能追加"):
        run("DELETE FROM core_auditchainhead")
