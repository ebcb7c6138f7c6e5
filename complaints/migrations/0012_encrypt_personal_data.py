"""Encrypt the ID and phone numbers already stored, in the tables and in their history, and fill the keyed hashes.

The crypto below is a copy of core/crypto.py as it stood when this migration was written (migrations never import
live code). Rows are saved one by one through the migration's own models, which record no history: the values do
not change, only how they are stored. Already-encrypted values are left alone, so the migration can be re-run; the
reverse decrypts. About 1–2 ms a row: a million cases with their history take tens of minutes (README, "安全").
"""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import migrations

TOKEN_PREFIX = "gAAAAA"
CHUNK = 2000

# model -> (encrypted fields, {hash field: (source field, kind)})
MODELS = {
    "Case": (("id_number", "phone"), {"id_number_hash": ("id_number", "id"), "phone_hash": ("phone", "phone")}),
    "HistoricalCase": (
        ("id_number", "phone"),
        {"id_number_hash": ("id_number", "id"), "phone_hash": ("phone", "phone")},
    ),
    "Contact": (("id_number", "phone"), {"id_number_hash": ("id_number", "id"), "phone_hash": ("phone", "phone")}),
    "HistoricalContact": (
        ("id_number", "phone"),
        {"id_number_hash": ("id_number", "id"), "phone_hash": ("phone", "phone")},
    ),
    "Representative": (("id_number", "phone"), {}),
    "HistoricalRepresentative": (("id_number", "phone"), {}),
}


def _fernet():
    return MultiFernet([Fernet(key) for key in settings.PERSONAL_DATA_KEYS])


def _normalise(kind, value):
    if kind == "id":
        return (value or "").strip().upper()
    digits = re.sub(r"\D", "", value or "")
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def _blind_index(kind, value):
    normal = _normalise(kind, value)
    if not normal:
        return ""
    return hmac.new(settings.PERSONAL_DATA_HASH_KEY.encode(), f"{kind}:{normal}".encode(), hashlib.sha256).hexdigest()


def _plain(fernet, value):
    return fernet.decrypt(value.encode()).decode() if value and value.startswith(TOKEN_PREFIX) else value


def encrypt_rows(apps, schema_editor):
    fernet = _fernet()
    for model_name, (fields, hashes) in MODELS.items():
        model = apps.get_model("complaints", model_name)
        pk = model._meta.pk.name
        for row in model.objects.only(pk, *fields).order_by(pk).iterator(chunk_size=CHUNK):
            plain = {field: _plain(fernet, getattr(row, field)) for field in fields}
            for field in fields:
                value = getattr(row, field)
                if value and not value.startswith(TOKEN_PREFIX):
                    setattr(row, field, fernet.encrypt(value.encode()).decode())
            for hash_field, (source, kind) in hashes.items():
                setattr(row, hash_field, _blind_index(kind, plain[source]))
            row.save(update_fields=[*fields, *hashes])


def decrypt_rows(apps, schema_editor):
    fernet = _fernet()
    for model_name, (fields, _hashes) in MODELS.items():
        model = apps.get_model("complaints", model_name)
        pk = model._meta.pk.name
        for row in model.objects.only(pk, *fields).order_by(pk).iterator(chunk_size=CHUNK):
            for field in fields:
                setattr(row, field, _plain(fernet, getattr(row, field)))
            row.save(update_fields=list(fields))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0011_personal_data_columns")]

    operations = [migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False)]
