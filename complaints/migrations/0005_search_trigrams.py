"""Trigrams beside the bigrams in every case's search index row (complaints.search.case_bigrams).

A longer search term is now asked of the index by its trigrams, which keep the adjacency that bigrams lose.
Rows written before hold bigrams only, so every row is rebuilt. On PostgreSQL the GIN index is dropped first
and built once at the end, then the table is analysed (the search reads the index's statistics). Not atomic:
each batch of rows commits on its own, so a large table does not sit in one transaction.
"""

from django.db import migrations

GIN = (
    "CREATE INDEX IF NOT EXISTS complaints_search_bigrams_gin "
    "ON complaints_casesearchindex USING gin (complaints_bigrams(bigrams))"
)


def rebuild(apps, schema_editor):
    from complaints.search import reindex_cases

    Case = apps.get_model("complaints", "Case")
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgresql:
            cursor.execute("DROP INDEX IF EXISTS complaints_search_bigrams_gin")
        reindex_cases(Case.objects.all())
        if postgresql:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(GIN)
            cursor.execute("ANALYZE complaints_casesearchindex")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0004_ledger_and_dashboard_indexes")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
