"""The search text beside the search index (complaints.models.CaseSearchText): each case's number, petitioner
name, summary and content, lower-cased and joined by line breaks, with the case's unit. A common search word's
"超过 1000 件" count walks these short rows instead of the cases (docs/performance.md「2026-12-06 第九轮」). The rows
of existing cases are written by the next migration.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
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
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.orgunit"),
                ),
            ],
            options={"verbose_name": "检索文本", "verbose_name_plural": "检索文本"},
        ),
    ]
