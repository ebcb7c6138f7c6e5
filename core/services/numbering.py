from django.db import transaction

from core.models import NumberSequence


def next_number(*, org, key: str, year: int) -> int:
    """The next value of an office's counter for `key` in `year`; gap-free and safe under concurrency."""
    with transaction.atomic():
        sequence, _created = NumberSequence.objects.select_for_update().get_or_create(org=org, key=key, year=year)
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
        return sequence.last_value
