"""`__in` on integer columns ignores numbers no 64-bit column can hold.

Django 5 already turns `id=99999999999999999999` into an empty result (the exact lookup checks the range), but
`id__in=[99999999999999999999]` reaches SQLite, whose driver raises OverflowError: a server error for a
multi-select (ModelMultipleChoiceField, django-filter's multiple choice filters) posted with a forged id. Such a
number can match no row on any database, so it is dropped from the list; an empty list is an empty result, as
for `id__in=[]`.
"""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class IntegerFieldIn(In):
    def get_prep_lookup(self):
        prepared = super().get_prep_lookup()
        if isinstance(prepared, list):
            return [value for value in prepared if not isinstance(value, int) or INT64_MIN <= value <= INT64_MAX]
        return prepared


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
