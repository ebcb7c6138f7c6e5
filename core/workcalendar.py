"""Working-day arithmetic over the official calendar kept in the database (DOMAIN.md §3).

The arithmetic is pure: a `WorkCalendar` holds the rest days of the years it covers and refuses any date
outside them with `CalendarMissingError`, whose message is shown to users as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class CalendarMissingError(ValueError):
    """A computation needs a year whose calendar has not been maintained (or not verified)."""

    def __init__(self, year: int, *, draft: bool = False):
        self.year = year
        self.draft = draft
        if draft:
            message = _(
                "%(year)s年工作日历尚未维护：该年度仍为草稿，请系统管理员按国务院办公厅通知核对节假日和调休后标记为已核对。"
            )
        else:
            message = _("%(year)s年工作日历尚未维护，无法计算期限。请系统管理员先在“工作日历”中维护该年度。")
        super().__init__(message % {"year": year})


@dataclass(frozen=True)
class Pause:
    start_on: dt.date
    # An open pause runs until `end_on` is known; callers pass today or leave the deadline paused.
    end_on: dt.date

    def covers(self, day: dt.date) -> bool:
        return self.start_on <= day <= self.end_on


@dataclass
class WorkCalendar:
    """The verified years and, for each, the set of its working days."""

    working_days: set[dt.date] = field(default_factory=set)
    years: dict[int, int] = field(default_factory=dict)  # year -> revision
    draft_years: set[int] = field(default_factory=set)

    def _check(self, day: dt.date) -> None:
        if day.year not in self.years:
            raise CalendarMissingError(day.year, draft=day.year in self.draft_years)

    def is_working_day(self, day: dt.date) -> bool:
        self._check(day)
        return day in self.working_days

    def next_working_day_on_or_after(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_days(self, start: dt.date, days: int, kind: str, pauses: Iterable[Pause] = ()) -> dt.date:
        """The due date `days` after `start`.

        The start day is not counted. Calendar days: count every day, then move a deadline falling on a rest
        day to the next working day (民法典 art. 203). Working days: count only working days. Days inside a
        pause are not counted in either mode.
        """
        if days < 0:
            raise ValueError(_("期限天数不能为负数"))
        pauses = list(pauses)
        day = start
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if any(p.covers(day) for p in pauses):
                continue
            if kind == "working" and not self.is_working_day(day):
                continue
            counted += 1
        if kind == "calendar":
            day = self.next_working_day_on_or_after(day)
        else:
            self._check(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        low, high = (start, end) if sign > 0 else (end, start)
        count = 0
        day = low
        while day < high:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return sign * count

    def stamp(self, start: dt.date, end: dt.date) -> str:
        """Which calendar revisions a computation over [start, end] used, e.g. "2025r1,2026r3"."""
        return ",".join(f"{y}r{self.years[y]}" for y in range(start.year, end.year + 1) if y in self.years)


def load_calendar() -> WorkCalendar:
    """Read the verified years from the database. Small: ~365 rows a year."""
    from core.models import WorkCalendarDay, WorkCalendarYear

    years, draft_years = {}, set()
    for year, status, revision in WorkCalendarYear.objects.values_list("year", "status", "revision"):
        if status == WorkCalendarYear.Status.VERIFIED:
            years[year] = revision
        else:
            draft_years.add(year)
    working = set(WorkCalendarDay.objects.filter(year_id__in=years, is_working_day=True).values_list("date", flat=True))
    return WorkCalendar(working_days=working, years=years, draft_years=draft_years)


_cached: tuple[tuple, WorkCalendar] | None = None


def get_calendar() -> WorkCalendar:
    """The current calendar, reloaded when any year's revision has changed (one small query per call)."""
    global _cached
    from core.models import WorkCalendarYear

    key = tuple(WorkCalendarYear.objects.order_by("year").values_list("year", "status", "revision"))
    if _cached is None or _cached[0] != key:
        _cached = (key, load_calendar())
    return _cached[1]
