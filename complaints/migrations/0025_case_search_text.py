"""The search text beside the search index (complaints.models.CaseSearchText): each case's number, petitioner
name, summary and content, lower-cased and joined by line breaks, with the case's unit. A common search word's
"超过 1000 件" count walks these short rows instead of the cases (docs/performance.md「2026-12-06 第九轮」).

Every existing case gets its row, in the order of the cases, batch by batch (not atomic: a large table does not sit
in one transaction); on PostgreSQL the table is analysed at the end. The text is written here as complaints.search
wrote it when this migration was made (a migration never imports live code, which may change after it).
"""

import django.db.models.deletion
from django.db import migrations, models, transaction

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
    dependencies = [
        ("complaints", "0024_bounded_count_without_estimate"),
        ("core", "0019_deadline_day_count"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseSearchText",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_text",
                        serialize=False,
                        to="complaints.case",
                    ),
                ),
                ("text", models.TextField(verbose_name="检索文本")),
                (
                    "org",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.orgunit"
                    ),
                ),
            ],
            options={"verbose_name": "检索文本", "verbose_name_plural": "检索文本"},
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
