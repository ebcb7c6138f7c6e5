"""Safe reading of query parameters that views take straight from `request.GET`.

A parameter is typed by whoever sends the link: `?page=99999999999999999999`, `?month=9999-12` or `?year=-1` must
fall back to the page's default, not reach `int()` overflows in the database or `datetime.date` out of range.
Forms and filter sets bound their own fields (min_value/max_value, max_digits); these helpers are for the few
parameters read by hand.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms

# Years a page may be asked to show: far wider than the records (from 2004 on), narrow enough that the previous
# and next month, year or quarter still exist.
MIN_YEAR = 1900
MAX_YEAR = 2100
# Far beyond any list's last page, small enough that page × page size stays a 64-bit offset.
MAX_PAGE = 1_000_000


def int_param(value: str | None, *, default: int, minimum: int, maximum: int, clamp: bool = False) -> int:
    """`value` as an integer in [minimum, maximum]; otherwise `default` (or the nearest bound with `clamp`)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    if minimum <= number <= maximum:
        return number
    if clamp:
        return min(max(number, minimum), maximum)
    return default


def page_param(value: str | None) -> int:
    """A page number: 1 for anything unreadable, at most MAX_PAGE."""
    return int_param(value, default=1, minimum=1, maximum=MAX_PAGE, clamp=True)


def month_param(value: str | None, *, default: dt.date) -> dt.date:
    """`YYYY-MM` as the first day of that month, within MIN_YEAR..MAX_YEAR; otherwise `default`."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if not MIN_YEAR <= year <= MAX_YEAR:
            return default
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return default


def day_in_range(day: dt.date) -> bool:
    return MIN_YEAR <= day.year <= MAX_YEAR


def _date_range_message() -> str:
    from django.utils.translation import gettext as _

    return _("日期须在 %(min)s 年至 %(max)s 年之间。") % {"min": MIN_YEAR, "max": MAX_YEAR}


class BoundedDateField(forms.DateField):
    """A date between MIN_YEAR and MAX_YEAR: the day after 9999-12-31 or the local start of 0001-01-01 in UTC
    cannot be computed, and a filter adds a day to its end date."""

    def validate(self, value):
        super().validate(value)
        if value and not day_in_range(value):
            raise forms.ValidationError(_date_range_message(), code="out_of_range")


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class BoundedDateTimeField(forms.DateTimeField):
    """A moment between MIN_YEAR and MAX_YEAR: 0001-01-01 00:00 in Asia/Shanghai is before the first UTC moment."""

    def validate(self, value):
        super().validate(value)
        if value and not day_in_range(value.date()):
            raise forms.ValidationError(_date_range_message(), code="out_of_range")
