# A count that is only ever shown exactly or as "超过 N 件" (filtered ledger pages, a broad search) no longer asks
# for the planner's estimate it would throw away.
#
# complaints_ledger_count (migration 0002) counts up to exact_limit + 1 rows and, above the limit, plans the query a
# second time (EXPLAIN) for an estimate to show as "约 N 件". The filtered pages never show it: they show the limit.
# That second plan cost 1–3.5 ms of a 4–9 ms count at 1,000,000 cases (docs/performance.md「2026-12-06 第七轮」).
# complaints_bounded_count does the first half only: the count, negated above the limit. Sequential scans stay
# off for its own queries, as for the other (migration 0022: synchronized scans made a bounded seq scan erratic).

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION complaints_bounded_count(query text, exact_limit integer) RETURNS bigint
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  counted bigint;
BEGIN
  EXECUTE 'SELECT count(*) FROM (' || query || ' LIMIT ' || (exact_limit + 1) || ') AS bounded' INTO counted;
  RETURN CASE WHEN counted > exact_limit THEN -counted ELSE counted END;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS complaints_bounded_count(text, integer)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0023_open_case_indexes_cover_filters"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
