"""Every account that exists when account security arrives gets its row, so that the administrator can reset or
require a password change for it at once; its password age starts now."""

from django.db import migrations
from django.utils import timezone


def create_rows(apps, schema_editor):
    User = apps.get_model("core", "User")
    AccountSecurity = apps.get_model("security", "AccountSecurity")
    now = timezone.now()
    existing = set(AccountSecurity.objects.values_list("user_id", flat=True))
    for user_id in User.objects.exclude(pk__in=existing).values_list("pk", flat=True).iterator():
        AccountSecurity.objects.create(user_id=user_id, password_changed_at=now)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial"), ("core", "0001_initial")]

    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]
