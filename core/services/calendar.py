"""Maintaining the work calendar: seeding from chinesecalendar, drafting a year by rule, verifying it.

docs/domain.md ("期限与工作日历"): a year chinesecalendar knows is loaded as official; any other year is drafted
from the public holidays the `holidays` package predicts by rule (no 调休) and stays provisional until an
administrator enters the State Council's notice and marks it verified.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.models import WorkCalendarDay, WorkCalendarYear

from .audit import log_action

LIBRARY_SOURCE = "chinesecalendar（国务院办公厅节假日安排通知）"
PREDICTED_SOURCE = "按规则预测的草稿（holidays 包，无调休）"
# Years the rule-based prediction is trusted to draft; anything else is surely a typo or a runaway pause.
DRAFTABLE_YEARS = range(1990, 2201)


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


def predicted_holidays(year: int) -> dict[dt.date, str]:
    """The public holidays of `year` as the `holidays` package predicts them by rule (no 调休 working days)."""
    import holidays

    return {day: str(name) for day, name in holidays.China(years=year, language="zh_CN").items()}


def _draft_rows(calendar_year: WorkCalendarYear) -> list[WorkCalendarDay]:
    predicted = predicted_holidays(calendar_year.year)
    rows = []
    for day in _days_of(calendar_year.year):
        weekend = day.weekday() >= 5
        if day in predicted:
            kind = WorkCalendarDay.Kind.HOLIDAY
        else:
            kind = WorkCalendarDay.Kind.WEEKEND if weekend else WorkCalendarDay.Kind.WORKDAY
        rows.append(
            WorkCalendarDay(
                date=day,
                year=calendar_year,
                is_working_day=kind == WorkCalendarDay.Kind.WORKDAY,
                kind=kind,
                note=predicted.get(day, "")[:60],
                source_notice=PREDICTED_SOURCE if day in predicted else "",
            )
        )
    return rows


@transaction.atomic
def calendar_add_year_draft(*, year: int, actor=None, source: str = "") -> WorkCalendarYear:
    """Create a year as a draft: Monday–Friday minus the public holidays predicted by rule, no 调休.

    Deadlines over a draft year are provisional (暂定) until an administrator has entered the State Council's
    holidays and 调休 days and marked the year verified; the draft is never presented as official.
    """
    if WorkCalendarYear.objects.filter(year=year).exists():
        raise ValidationError(_("%(year)s年工作日历已存在。") % {"year": year})
    calendar_year = WorkCalendarYear.objects.create(
        year=year,
        status=WorkCalendarYear.Status.DRAFT,
        source=source or PREDICTED_SOURCE,
        note=_(
            "按规则预测的草稿：周一至周五，减去预测的法定节假日，未含调休。请按国务院办公厅通知核对后标记为已核对。"
        ),
    )
    bulk_create_with_history(_draft_rows(calendar_year), WorkCalendarDay, default_change_reason=PREDICTED_SOURCE)
    log_action(actor=actor, action="core.calendar.year_drafted", target=calendar_year, year=year)
    return calendar_year


def calendar_ensure_year(*, year: int) -> WorkCalendarYear | None:
    """The year, created when missing: official from chinesecalendar, else a predicted draft; None if absurd.

    Called when a deadline first reaches a year the calendar does not hold, possibly from several processes at
    once: the loser of the race reads the winner's year.
    """
    existing = WorkCalendarYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    if year not in DRAFTABLE_YEARS:
        return None
    try:
        with transaction.atomic():
            if year in library_years():
                return calendar_load_year_from_library(year=year)
            return calendar_add_year_draft(year=year)
    except (IntegrityError, ValidationError):
        return WorkCalendarYear.objects.filter(year=year).first()


def year_has_holidays(year: WorkCalendarYear) -> bool:
    return year.days.filter(kind=WorkCalendarDay.Kind.HOLIDAY).exists()


@transaction.atomic
def calendar_verify_year(*, year: WorkCalendarYear, actor, confirm_no_holidays: bool = False) -> WorkCalendarYear:
    """Mark a year verified. Callers recompute the deadlines it moves (calendar_change.calendar_year_verify)."""
    if year.days.count() != len(list(_days_of(year.year))):
        raise ValidationError(_("%(year)s年工作日历不完整，不能标记为已核对。") % {"year": year.year})
    if not confirm_no_holidays and not year_has_holidays(year):
        # A year without a single public holiday has almost surely not been entered yet.
        raise ValidationError(
            _(
                "%(year)s年没有任何法定节假日，很可能尚未录入国务院办公厅通知。确认无误请勾选“确认该年度没有法定节假日”。"
            )
            % {"year": year.year},
            code="no_holidays",
        )
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
