"""Trigrams beside the bigrams in every case's search index row (complaints.search.case_bigrams).

A longer search term is now asked of the index by its trigrams, which keep the adjacency that bigrams lose.
Rows written before hold bigrams only, so every row is rebuilt. On PostgreSQL the GIN index is dropped first
and built once at the end, then the table is analysed (the search reads the index's statistics). Not atomic:
each batch of rows commits on its own, so a large table does not sit in one transaction.

The stored form is written here as complaints.search wrote it when this migration was made (issue 14: a migration
never imports live code, which may change after it).
"""

import re

from django.db import migrations, transaction

SEARCH_FIELDS = ("number", "name", "summary", "content")
BATCH_SIZE = 5000
_SPACE = re.compile(r"\s")


def _grams(text, size):
    text = (text or "").lower()
    return {text[i : i + size] for i in range(len(text) - size + 1) if not _SPACE.search(text[i : i + size])}


def _stored_form(values):
    """The sorted distinct bigrams and trigrams separated by single spaces, with a space at each end."""
    grams = set()
    for value in values:
        grams |= _grams(value, 2) | _grams(value, 3)
    return " " + " ".join(sorted(grams)) + " "


def _reindex(Case, CaseSearchIndex):
    batch = []

    def flush():
        with transaction.atomic():
            CaseSearchIndex.objects.filter(case_id__in=[row.case_id for row in batch]).delete()
            CaseSearchIndex.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        batch.clear()

    rows = Case.objects.order_by("pk").values_list("pk", *SEARCH_FIELDS)
    for pk, *values in rows.iterator(chunk_size=BATCH_SIZE):
        batch.append(CaseSearchIndex(case_id=pk, bigrams=_stored_form(values)))
        if len(batch) >= BATCH_SIZE:
            flush()
    if batch:
        flush()


GIN = (
    "CREATE INDEX IF NOT EXISTS complaints_search_bigrams_gin "
    "ON complaints_casesearchindex USING gin (complaints_bigrams(bigrams))"
)


def rebuild(apps, schema_editor):
    Case = apps.get_model("complaints", "Case")
    CaseSearchIndex = apps.get_model("complaints", "CaseSearchIndex")
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgresql:
            cursor.execute("DROP INDEX IF EXISTS complaints_search_bigrams_gin")
        _reindex(Case, CaseSearchIndex)
        if postgresql:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(GIN)
            cursor.execute("ANALYZE complaints_casesearchindex")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0004_ledger_and_dashboard_indexes")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
