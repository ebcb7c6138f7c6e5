"""The fields of a ledger export's work, now on its job (see 0009)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("complaints", "0009_ledger_export_job")]

    operations = [
        migrations.RemoveField(model_name="ledgerexport", name="error"),
        migrations.RemoveField(model_name="ledgerexport", name="expires_at"),
        migrations.RemoveField(model_name="ledgerexport", name="file"),
        migrations.RemoveField(model_name="ledgerexport", name="finished_at"),
        migrations.RemoveField(model_name="ledgerexport", name="rows_done"),
        migrations.RemoveField(model_name="ledgerexport", name="state"),
    ]
