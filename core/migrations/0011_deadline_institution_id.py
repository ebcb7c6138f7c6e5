"""Deadline.institution becomes a plain id (core knows no domain model); the stored ids are kept.

The foreign key's column is already `institution_id` (bigint): the field is altered to a plain BigIntegerField on
that column (the constraint goes, the values stay), then renamed to `institution_id`, whose default column is the
same. The covering index names the field, so it is dropped first and built again at the end. Written by hand.
"""

from django.db import migrations, models


def _plain_id(**extra):
    return models.BigIntegerField(blank=True, null=True, verbose_name="涉及机构", **extra)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0010_orgunit_full_name"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="deadline", name="deadline_open_org_cover"),
        migrations.AlterField(model_name="deadline", name="institution", field=_plain_id(db_column="institution_id")),
        migrations.AlterField(
            model_name="historicaldeadline", name="institution", field=_plain_id(db_column="institution_id")
        ),
        migrations.RenameField(model_name="deadline", old_name="institution", new_name="institution_id"),
        migrations.RenameField(model_name="historicaldeadline", old_name="institution", new_name="institution_id"),
        migrations.AlterField(model_name="deadline", name="institution_id", field=_plain_id()),
        migrations.AlterField(model_name="historicaldeadline", name="institution_id", field=_plain_id()),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["org", "due_on"],
                include=("owner", "backup", "institution_id", "item_kind", "paused_since"),
                name="deadline_open_org_cover",
            ),
        ),
    ]
