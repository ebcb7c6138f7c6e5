"""Encrypt the applicants' ID and phone numbers already stored, in the table and in its history.

A copy of core/crypto.py's encryption as it stood when this was written (migrations never import live code); see
complaints/migrations/0012_encrypt_personal_data.py. Re-runnable; the reverse decrypts.
"""

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import migrations

TOKEN_PREFIX = "gAAAAA"
FIELDS = ("applicant_id_number", "applicant_phone")


def _fernet():
    return MultiFernet([Fernet(key) for key in settings.PERSONAL_DATA_KEYS])


def _rows(apps):
    for model_name in ("MediationCase", "HistoricalMediationCase"):
        model = apps.get_model("mediation", model_name)
        pk = model._meta.pk.name
        yield from model.objects.only(pk, *FIELDS).order_by(pk).iterator(chunk_size=2000)


def encrypt_rows(apps, schema_editor):
    fernet = _fernet()
    for row in _rows(apps):
        for field in FIELDS:
            value = getattr(row, field)
            if value and not value.startswith(TOKEN_PREFIX):
                setattr(row, field, fernet.encrypt(value.encode()).decode())
        row.save(update_fields=list(FIELDS))


def decrypt_rows(apps, schema_editor):
    fernet = _fernet()
    for row in _rows(apps):
        for field in FIELDS:
            value = getattr(row, field)
            if value and value.startswith(TOKEN_PREFIX):
                setattr(row, field, fernet.decrypt(value.encode()).decode())
        row.save(update_fields=list(FIELDS))


class Migration(migrations.Migration):
    dependencies = [("mediation", "0003_applicant_data_columns")]

    operations = [migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False)]
