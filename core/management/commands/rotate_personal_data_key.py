"""Re-encrypt the personal data under the current key and recompute its keyed hashes (README, "安全": 密钥轮换).

Every model with an EncryptedCharField or a BlindIndexField is found through the app registry (core knows no domain
app), their simple-history tables included. Rows are saved one by one: a tracked model's row skips its history
record (the value does not change, only how it is stored), and the history tables are re-encrypted as rows of their
own. Safe to interrupt and to run again.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.fields import BlindIndexField, EncryptedCharField

CHUNK = 500


def personal_data_models() -> list[tuple[type, list[str]]]:
    """(model, the names of its encrypted and hash fields) for every installed model that has any."""
    found = []
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedCharField | BlindIndexField)
        ]
        if names:
            found.append((model, names))
    return found


def rotate_model(model, fields: list[str]) -> int:
    """Load and save every row: reading decrypts with any key, saving encrypts with the first and rehashes."""
    pk_name = model._meta.pk.name
    ids = list(model._default_manager.order_by(pk_name).values_list(pk_name, flat=True))
    done = 0
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            for row in model._default_manager.filter(**{f"{pk_name}__in": ids[start : start + CHUNK]}):
                row.skip_history_when_saving = True
                row.save(update_fields=fields)
                done += 1
    return done


class Command(BaseCommand):
    help = "用 PERSONAL_DATA_KEYS 的第一个密钥重新加密个人信息，并按 PERSONAL_DATA_HASH_KEY 重算检索用哈希。"

    def handle(self, *args, **options):
        total = 0
        for model, fields in personal_data_models():
            count = rotate_model(model, fields)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} 行（{', '.join(fields)}）")
        self.stdout.write(self.style.SUCCESS(f"完成：共重新加密 {total} 行。"))
