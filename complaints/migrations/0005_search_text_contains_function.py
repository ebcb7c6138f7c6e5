from django.db import migrations

# A search term common enough to be in a large share of the cases (理赔拖延 in 6% of a million) is served best by
# walking the ledger's (org, received_at) index and stopping after one page, not by fetching its tens of
# thousands of index candidates. PostgreSQL takes the walk only when it expects many matches: a LIKE on four
# columns is estimated at a fraction of a percent, whereas a (non-inlinable) boolean function is estimated at
# one third. complaints.search uses this function for common terms only; rare ones keep the bigram index.
CREATE = """
CREATE OR REPLACE FUNCTION complaints_text_contains(a text, b text, c text, d text, term text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN strpos(lower(coalesce(a, '')), term) > 0 OR strpos(lower(coalesce(b, '')), term) > 0
      OR strpos(lower(coalesce(c, '')), term) > 0 OR strpos(lower(coalesce(d, '')), term) > 0;
END
$$
"""
DROP = "DROP FUNCTION IF EXISTS complaints_text_contains(text, text, text, text, text)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_ledger_and_dashboard_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
