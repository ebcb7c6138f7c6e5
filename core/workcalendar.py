"""Working-day arithmetic over the official calendar kept in the database (docs/domain.md, "期限与工作日历").

The arithmetic is pure: a `WorkCalendar` holds the working days of the years it knows. A year an administrator
has verified is official; a draft year (entered by hand, or predicted by rule when a deadline first reached it)
is *provisional*: deadlines computed over it are stored and shown as 暂定 until the year is verified, and the office
keeps working. Only a strict calendar (the `deadline` command without `--provisional`) refuses a draft year, and
a year the calendar does not hold at all is refused with `CalendarMissingError` unless the calendar was given a
loader that adds it (`get_calendar()` gives one that creates the draft in the database).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils.translation import gettext as _


class CalendarMissingError(ValidationError):
    """A computation needs a year whose calendar is not held (or, for a strict calendar, not verified).

    A ValidationError, so that the rare case it reaches a service (a date beyond the years that can be drafted)
    ends as a Chinese message and changes nothing, like any other refused input.
    """

    def __init__(self, year: int, *, draft: bool = False):
        self.year = year
        self.draft = draft
        if draft:
            message = _(
                "%(year)s年工作日历尚未核对：该年度仍为草稿，请系统管理员按国务院办公厅通知核对节假日和调休后标记为已核对。"
            )
        else:
            message = _("%(year)s年工作日历尚未维护，无法计算期限。请系统管理员先在“工作日历”中维护该年度。")
        super().__init__(message % {"year": year}, code="calendar_missing")

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Pause:
    start_on: dt.date
    # An open pause runs until `end_on` is known; callers pass today or leave the deadline paused.
    end_on: dt.date

    def covers(self, day: dt.date) -> bool:
        return self.start_on <= day <= self.end_on


# A loader adds a year the calendar does not hold: it returns (working days, revision, verified), or None.
YearLoader = Callable[[int], "tuple[set[dt.date], int, bool] | None"]


@dataclass
class WorkCalendar:
    """The years held and, for each, its working days; draft years are provisional."""

    working_days: set[dt.date] = field(default_factory=set)
    years: dict[int, int] = field(default_factory=dict)  # verified year -> revision
    draft_years: dict[int, int] = field(default_factory=dict)  # provisional year -> revision
    strict: bool = False
    loader: YearLoader | None = None

    def _check(self, day: dt.date) -> None:
        year = day.year
        if year in self.years:
            return
        if year in self.draft_years:
            if self.strict:
                raise CalendarMissingError(year, draft=True)
            return
        loaded = self.loader(year) if self.loader and not self.strict else None
        if loaded is None:
            raise CalendarMissingError(year)
        working, revision, verified = loaded
        self.working_days |= working
        (self.years if verified else self.draft_years)[year] = revision

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

    def provisional_years(self, start: dt.date, end: dt.date) -> list[int]:
        """The draft years a computation over [start, end] went through: its result is provisional (暂定)."""
        low, high = sorted((start.year, end.year))
        return [year for year in range(low, high + 1) if year in self.draft_years]

    def stamp(self, start: dt.date, end: dt.date) -> str:
        """Which calendar revisions a computation over [start, end] used, e.g. "2026r3,2027d1" (d: a draft)."""
        parts = []
        for year in range(min(start.year, end.year), max(start.year, end.year) + 1):
            if year in self.years:
                parts.append(f"{year}r{self.years[year]}")
            elif year in self.draft_years:
                parts.append(f"{year}d{self.draft_years[year]}")
        return ",".join(parts)


def load_calendar(*, strict: bool = False, loader: YearLoader | None = None) -> WorkCalendar:
    """Read every year held in the database. Small: ~365 rows a year."""
    from core.models import WorkCalendarDay, WorkCalendarYear

    years, draft_years = {}, {}
    for year, status, revision in WorkCalendarYear.objects.values_list("year", "status", "revision"):
        if status == WorkCalendarYear.Status.VERIFIED:
            years[year] = revision
        else:
            draft_years[year] = revision
    working = set(WorkCalendarDay.objects.filter(is_working_day=True).values_list("date", flat=True))
    return WorkCalendar(working_days=working, years=years, draft_years=draft_years, strict=strict, loader=loader)


# Two layers (docs/operations.md「多台服务器」): each process keeps the calendar it last used, checked against the
# years' revisions in the database on every call (one small query), so a change made on one web node is seen by
# every other at its next request; and the loaded calendar itself lives in the shared cache under those revisions,
# so that a node (or a newly started worker) whose copy is out of date takes it from there instead of reading
# every day again. The cache's generation is bumped whenever a year or a day is saved (`forget_calendar`, connected
# in core/apps.py), which retires every shared copy at once, also one whose revisions a rolled-back change reused.
_cached: tuple[tuple, WorkCalendar] | None = None
_GENERATION_KEY = "workcalendar:generation"
_SHARED_SECONDS = 24 * 3600

logger = logging.getLogger(__name__)


def database_loader(year: int):
    global _cached
    from core.services.calendar import calendar_ensure_year

    calendar_year = calendar_ensure_year(year=year)
    if calendar_year is None:
        return None
    # The next get_calendar() reads the database again, so that a year created in a transaction that was later
    # rolled back is created again rather than remembered by this process only.
    _cached = None
    working = set(calendar_year.days.filter(is_working_day=True).values_list("date", flat=True))
    return working, calendar_year.revision, calendar_year.status == calendar_year.Status.VERIFIED


def _shared_key(key: tuple) -> str:
    generation = cache.get(_GENERATION_KEY, 0)
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return f"workcalendar:{generation}:{digest}"


def _load_shared(key: tuple) -> WorkCalendar:
    """The calendar of these revisions from the shared cache, or from the database (and then into the cache).

    The cache is a help, never a need: when it cannot be reached the calendar is read from the database."""
    try:
        shared_key = _shared_key(key)
        held = cache.get(shared_key)
    except Exception:  # the cache server is down: the database still answers
        logger.warning("work calendar: shared cache unreachable", exc_info=True)
        return load_calendar(loader=database_loader)
    if held is not None:
        working, years, draft_years = held
        return WorkCalendar(working_days=working, years=years, draft_years=draft_years, loader=database_loader)
    calendar = load_calendar(loader=database_loader)
    try:
        cache.set(shared_key, (calendar.working_days, calendar.years, calendar.draft_years), _SHARED_SECONDS)
    except Exception:
        logger.warning("work calendar: shared cache unreachable", exc_info=True)
    return calendar


def forget_calendar(**_kwargs) -> None:
    """Drop this process's copy and retire every shared copy (a receiver of the calendar models' saves)."""
    global _cached
    _cached = None
    try:
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # not set yet (or evicted)
            cache.set(_GENERATION_KEY, 1, None)
    except Exception:
        logger.warning("work calendar: shared cache unreachable", exc_info=True)


@functools.cache
def _revisions_sql(alias: str) -> str:
    from core.models import WorkCalendarYear

    quote, meta = connections[alias].ops.quote_name, WorkCalendarYear._meta
    year, status, revision = (quote(meta.get_field(name).column) for name in ("year", "status", "revision"))
    return f"SELECT {year}, {status}, {revision} FROM {quote(meta.db_table)} ORDER BY {year}"  # nosec B608


def _revisions() -> tuple:
    """Every year's (year, status, revision): the check behind each get_calendar(), on every page that shows a
    deadline. Written as its one line of SQL (names from the model, no parameters): the ORM spent twice the
    database's time building it (docs/performance.md「每页都有的部分：日历的修订号检查」)."""
    from core.models import WorkCalendarYear

    alias = router.db_for_read(WorkCalendarYear)
    with connections[alias].cursor() as cursor:
        cursor.execute(_revisions_sql(alias))
        return tuple(tuple(row) for row in cursor.fetchall())


def get_calendar() -> WorkCalendar:
    """The current calendar, reloaded when any year's revision has changed (one small query per call).

    A year it does not hold yet is added when a computation first reaches it: from chinesecalendar when that
    library knows the year (official), otherwise as a draft predicted by rule (provisional).
    """
    global _cached
    key = _revisions()
    if _cached is None or _cached[0] != key:
        _cached = (key, _load_shared(key))
    return _cached[1]


def get_strict_calendar() -> WorkCalendar:
    """A calendar that refuses any year not verified (the `deadline` command's contract)."""
    return load_calendar(strict=True)
