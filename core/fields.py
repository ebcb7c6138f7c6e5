"""Model fields for personal data encrypted at rest (core/crypto.py).

Both fields deconstruct as a plain CharField: migrations then hold no reference to this module (migrations never
import live code), and a data migration sees the stored text — token or plaintext — as it is.
"""

from __future__ import annotations

from django.db import models

from core import crypto

TOKEN_MAX_LENGTH = 255


class EncryptedCharField(models.CharField):
    """Text stored as a Fernet token, read back as text. Never filter on it: the token changes with every write;
    look values up through a BlindIndexField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", TOKEN_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return crypto.encrypt(value) if value else value


class BlindIndexField(models.CharField):
    """The keyed hash of another field of the same model (`source`), written on every save of the row."""

    def __init__(self, *args, source: str = "", kind: str = "id", **kwargs):
        self.source = source
        self.kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def pre_save(self, model_instance, add):
        value = crypto.blind_index(self.kind, getattr(model_instance, self.source, "") or "")
        setattr(model_instance, self.attname, value)
        return value


class BlindIndexedModel:
    """Mixin for a model with BlindIndexFields: `save(update_fields=[source])` also writes the source's hash, so a
    changed ID or phone can never leave a stale hash behind."""

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = set(update_fields)
            update_fields |= {
                field.name
                for field in self._meta.concrete_fields
                if isinstance(field, BlindIndexField) and field.source in update_fields
            }
        super().save(*args, update_fields=update_fields, **kwargs)
