"""Backup codes are kept as keyed hashes from now on (docs/operations.md「双因素认证」): the codes stored before in
clear text are replaced by their hash, so they keep working. The hash is written out here, as in
core.security.services.backup_code_digest (a migration imports no live code)."""

from django.db import migrations
from django.utils.crypto import salted_hmac


def hash_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all().iterator():
        digest = salted_hmac("core.security.backup_code", token.token.lower(), algorithm="sha256").hexdigest()[:16]
        StaticToken.objects.filter(pk=token.pk).update(token=digest)


class Migration(migrations.Migration):
    dependencies = [("security", "0002_existing_accounts"), ("otp_static", "0003_add_timestamps")]

    operations = [migrations.RunPython(hash_codes, migrations.RunPython.noop)]
