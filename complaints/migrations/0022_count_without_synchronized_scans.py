# The ledger's bounded count (complaints.selectors.count_expression) no longer counts with a sequential scan.
#
# "Count the first N matching rows" as a sequential scan stops after N rows; PostgreSQL's synchronized scans start
# each one where the previous scan of the table stopped, so the same count took 2 ms most of the time and 250 ms
# every fortieth time or so, when it started among years of closed cases (docs/performance.md「有上限的计数」).
# With seq scans off for the function's own queries (a setting of the function: restored when it returns) the count
# walks an index: the same time every time. The page's query around it is planned as before.

from django.db import migrations

FUNCTION = "complaints_ledger_count(text, integer)"


def count_with_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER FUNCTION {FUNCTION} SET enable_seqscan = off")


def count_as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER FUNCTION {FUNCTION} RESET enable_seqscan")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0021_open_case_order"),
    ]

    operations = [migrations.RunPython(count_with_indexes, count_as_before, elidable=False)]
