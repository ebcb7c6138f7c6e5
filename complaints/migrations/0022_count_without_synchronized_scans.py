# The ledger's bounded count (complaints.selectors.count_expression) no longer counts with a sequential scan.
#
# "Count the first N matching rows" as a sequential scan stops after N rows; PostgreSQL's synchronized scans start
# each one where the previous scan of the table stopped, so the same count took 2 ms most of the time and 250 ms
# every fortieth time or so, when it started among years of closed cases (docs/performance.md「有上限的计数」).
# With seq scans off for the function's own queries (a SET clause: restored when it returns) the count walks an
# index: the same time every time. The page's query around it is planned as before.

from django.db import migrations

FUNCTION_BODY = """
LANGUAGE plpgsql {setting} AS $$
DECLARE
  counted bigint;
  plan json;
BEGIN
  EXECUTE 'SELECT count(*) FROM (' || query || ' LIMIT ' || (exact_limit + 1) || ') AS bounded' INTO counted;
  IF counted <= exact_limit THEN
    RETURN counted;
  END IF;
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  RETURN -GREATEST((plan->0->'Plan'->>'Plan Rows')::numeric::bigint, exact_limit + 1);
END
$$;
"""
HEAD = "CREATE OR REPLACE FUNCTION complaints_ledger_count(query text, exact_limit integer) RETURNS bigint"
WITH_INDEXES = HEAD + FUNCTION_BODY.format(setting="SET enable_seqscan = off")
AS_BEFORE = HEAD + FUNCTION_BODY.format(setting="")


def count_with_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITH_INDEXES)


def count_as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(AS_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0021_open_case_order"),
    ]

    operations = [migrations.RunPython(count_with_indexes, count_as_before, elidable=False)]
