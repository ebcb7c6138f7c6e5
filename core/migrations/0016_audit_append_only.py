"""Every entry is chained now: the sequence becomes required and unique; on PostgreSQL triggers make the log
append-only (README 安全审计).

- core_auditentry: UPDATE is refused; DELETE only for entries already moved to an archive file (a row of
  core_auditarchive covers their sequence), which is what `manage.py audit_archive` does.
- core_auditarchive: neither UPDATE nor DELETE.
- core_auditchainhead: no DELETE (its UPDATE is how writers append in turn).
TRUNCATE is left to the database owner (test databases are emptied that way); README says how a deployer
withholds it from the application's role.
"""

from django.db import migrations, models

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- Nested: PL/pgSQL does not promise to stop at the first false AND (OLD.sequence exists on one table only).
    IF TG_TABLE_NAME = 'core_auditentry' AND TG_OP = 'DELETE' THEN
        IF OLD.sequence <= COALESCE((SELECT max(last_sequence) FROM core_auditarchive), 0) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '操作日志只能追加，不能修改或删除（% %）', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
CREATE TRIGGER core_auditarchive_append_only BEFORE UPDATE OR DELETE ON core_auditarchive
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
CREATE TRIGGER core_auditchainhead_kept BEFORE DELETE ON core_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP TRIGGER IF EXISTS core_auditarchive_append_only ON core_auditarchive;
DROP TRIGGER IF EXISTS core_auditchainhead_kept ON core_auditchainhead;
DROP FUNCTION IF EXISTS core_audit_append_only();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0015_audit_chain_backfill")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="序号"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(editable=False, max_length=64, verbose_name="前一条哈希"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(editable=False, max_length=64, verbose_name="本条哈希"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
