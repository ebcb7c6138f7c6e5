"""Quarters and periods: "2026Q3" ↔ dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_QUARTER_RE = re.compile(r"^(\d{4})\s*[Qq]([1-4])$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The quarter before a quarter; otherwise the period of the same length just before."""
        year, quarter = quarter_of(self.start)
        if self == quarter_period(year, quarter):
            return quarter_period(*previous_quarter(year, quarter))
        end = self.start - dt.timedelta(days=1)
        start = end - dt.timedelta(days=self.days - 1)
        return Period(start, end, f"{start:%Y-%m-%d}～{end:%Y-%m-%d}")


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_period(year: int, quarter: int) -> Period:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    next_start = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return Period(start, next_start - dt.timedelta(days=1), f"{year}年第{quarter}季度")


def parse_quarter(text: str) -> tuple[int, int]:
    match = _QUARTER_RE.match((text or "").strip())
    if not match:
        raise ValidationError(_("季度格式应为“2026Q3”。"))
    return int(match.group(1)), int(match.group(2))


def quarter_code(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"
