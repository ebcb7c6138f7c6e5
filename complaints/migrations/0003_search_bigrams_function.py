from django.db import migrations

# string_to_array() is cheap in the planner's eyes but costs ~12 µs on a case's hundred bigrams, so the planner
# preferred a sequential scan that parses every row over the GIN index. A non-inlinable (PL/pgSQL) IMMUTABLE
# wrapper with a high COST makes the index the obvious path; the index is rebuilt over the wrapper.
CREATE = [
    """
    CREATE OR REPLACE FUNCTION complaints_bigrams(bigrams text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    BEGIN
      RETURN string_to_array(bigrams, ' ');
    END
    $$
    """,
    "DROP INDEX IF EXISTS complaints_search_bigrams_gin",
    "CREATE INDEX IF NOT EXISTS complaints_search_bigrams_gin "
    "ON complaints_casesearchindex USING gin (complaints_bigrams(bigrams))",
]
DROP = [
    "DROP INDEX IF EXISTS complaints_search_bigrams_gin",
    "CREATE INDEX IF NOT EXISTS complaints_search_bigrams_gin "
    "ON complaints_casesearchindex USING gin (string_to_array(bigrams, ' '))",
    "DROP FUNCTION IF EXISTS complaints_bigrams(text)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_case_search_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
