"""Maintaining the work calendar: seeding from chinesecalendar, adding a year by hand, verifying it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.models import WorkCalendarDay, WorkCalendarYear

from .audit import log_action

LIBRARY_SOURCE = "chinesecalendar（国务院办公厅节假日安排通知）"


def _days_of(year: int):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def library_years() -> range:
    """The years chinesecalendar knows (it raises NotImplementedError for others)."""
    import chinese_calendar

    known = [d.year for d in chinese_calendar.holidays] + [d.year for d in chinese_calendar.workdays]
    return range(min(known), max(known) + 1)


def _library_day(day: dt.date) -> tuple[bool, str, str]:
    import chinese_calendar

    is_working = chinese_calendar.is_workday(day)
    _is_holiday, holiday_name = chinese_calendar.get_holiday_detail(day)
    name = _holiday_label(holiday_name)
    weekend = day.weekday() >= 5
    if is_working:
        kind = WorkCalendarDay.Kind.SHIFTED_WORKDAY if weekend else WorkCalendarDay.Kind.WORKDAY
    elif weekend:
        kind = WorkCalendarDay.Kind.HOLIDAY if holiday_name else WorkCalendarDay.Kind.WEEKEND
    elif chinese_calendar.is_in_lieu(day):
        kind = WorkCalendarDay.Kind.SHIFTED_REST
    else:
        kind = WorkCalendarDay.Kind.HOLIDAY
    return is_working, kind, name


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_label(name) -> str:
    if not name:
        return ""
    return _HOLIDAY_NAMES.get(str(name), str(name))


@transaction.atomic
def calendar_load_year_from_library(*, year: int, actor=None, overwrite: bool = False) -> WorkCalendarYear:
    """Write one whole year from chinesecalendar and mark it verified.

    An existing year is left alone unless `overwrite`, so an administrator's corrections survive re-seeding.
    """
    if year not in library_years():
        raise ValidationError(_("chinesecalendar 不含 %(year)s 年的数据，请在后台手工维护该年度。") % {"year": year})
    existing = WorkCalendarYear.objects.filter(year=year).first()
    if existing and not overwrite:
        return existing
    calendar_year, _created = WorkCalendarYear.objects.update_or_create(
        year=year,
        defaults={"status": WorkCalendarYear.Status.VERIFIED, "source": LIBRARY_SOURCE},
    )
    WorkCalendarDay.objects.filter(year=calendar_year).delete()
    rows = []
    for day in _days_of(year):
        is_working, kind, name = _library_day(day)
        rows.append(
            WorkCalendarDay(
                date=day,
                year=calendar_year,
                is_working_day=is_working,
                kind=kind,
                note=name,
                source_notice=LIBRARY_SOURCE if kind not in ("workday", "weekend") else "",
            )
        )
    bulk_create_with_history(rows, WorkCalendarDay, default_change_reason=LIBRARY_SOURCE)
    log_action(actor=actor, action="core.calendar.year_loaded", target=calendar_year, year=year)
    return calendar_year


@transaction.atomic
def calendar_add_year_draft(*, year: int, actor=None, source: str = "") -> WorkCalendarYear:
    """Create a year by hand as Monday–Friday working days, as a draft.

    Deadlines refuse a draft year until an administrator has entered the State Council's holidays and
    调休 days and marked it verified: a Monday–Friday guess must never be used silently.
    """
    if WorkCalendarYear.objects.filter(year=year).exists():
        raise ValidationError(_("%(year)s年工作日历已存在。") % {"year": year})
    calendar_year = WorkCalendarYear.objects.create(
        year=year,
        status=WorkCalendarYear.Status.DRAFT,
        source=source or _("手工维护"),
        note=_("按周一至周五生成的草稿，请按国务院办公厅通知录入节假日和调休后标记为已核对。"),
    )
    rows = [
        WorkCalendarDay(
            date=day,
            year=calendar_year,
            is_working_day=day.weekday() < 5,
            kind=WorkCalendarDay.Kind.WEEKEND if day.weekday() >= 5 else WorkCalendarDay.Kind.WORKDAY,
        )
        for day in _days_of(year)
    ]
    bulk_create_with_history(rows, WorkCalendarDay, default_change_reason="手工新增年度草稿")
    log_action(actor=actor, action="core.calendar.year_drafted", target=calendar_year, year=year)
    return calendar_year


@transaction.atomic
def calendar_verify_year(*, year: WorkCalendarYear, actor) -> WorkCalendarYear:
    if year.days.count() != len(list(_days_of(year.year))):
        raise ValidationError(_("%(year)s年工作日历不完整，不能标记为已核对。") % {"year": year.year})
    year.status = WorkCalendarYear.Status.VERIFIED
    year.revision += 1
    year._change_reason = "标记为已核对"
    year.save(update_fields=["status", "revision", "updated_at"])
    log_action(actor=actor, action="core.calendar.year_verified", target=year, year=year.year)
    return year


@transaction.atomic
def calendar_day_save(*, day: WorkCalendarDay, actor, reason: str = "") -> WorkCalendarDay:
    """Save an administrator's edit of one day and bump its year's revision so every process reloads."""
    day._change_reason = reason or _("管理员修改")
    day.save()
    year = WorkCalendarYear.objects.select_for_update().get(pk=day.year_id)
    year.revision += 1
    year.save(update_fields=["revision", "updated_at"])
    log_action(
        actor=actor,
        action="core.calendar.day_changed",
        target=day,
        date=str(day.date),
        is_working_day=day.is_working_day,
        kind=day.kind,
    )
    return day
