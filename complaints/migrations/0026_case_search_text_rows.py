"""A search text row (complaints.models.CaseSearchText, migration 0025) for every existing case, in the order of the
cases, batch by batch: not atomic, so a large table does not sit in one transaction, and a run that stopped part way
is completed by running it again (rows already written are left as they are). On PostgreSQL the table is analysed
at the end. The text is written here as complaints.search wrote it when this migration was made (a migration never
imports live code, which may change after it).
"""

from django.db import migrations, transaction

SEARCH_FIELDS = ("number", "name", "summary", "content")
BATCH_SIZE = 5000


def _text(values):
    return "\n".join((value or "").lower() for value in values)


def fill(apps, schema_editor):
    Case = apps.get_model("complaints", "Case")
    CaseSearchText = apps.get_model("complaints", "CaseSearchText")
    batch = []

    def flush():
        with transaction.atomic():
            CaseSearchText.objects.bulk_create(batch, batch_size=BATCH_SIZE, ignore_conflicts=True)
        batch.clear()

    rows = Case.objects.order_by("pk").values_list("pk", "org_id", *SEARCH_FIELDS)
    for pk, org_id, *values in rows.iterator(chunk_size=BATCH_SIZE):
        batch.append(CaseSearchText(case_id=pk, org_id=org_id, text=_text(values)))
        if len(batch) >= BATCH_SIZE:
            flush()
    if batch:
        flush()
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_casesearchtext")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0025_case_search_text")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
