"""Default outreach reference data (docs/domain.md, "宣传教育")."""

from django.db import migrations

from outreach.reference_data import ensure_defaults


def seed(apps, schema_editor):
    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
