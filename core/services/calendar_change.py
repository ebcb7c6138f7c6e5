"""Changing the work calendar: preview the open deadlines a change moves, then apply it and recompute them.

Two changes move deadlines: correcting one day (of a verified or a draft year), and verifying a year whose draft
made deadlines provisional (docs/domain.md, "跨年度：暂定期限"). Both show the same preview before they apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Deadline, WorkCalendarDay, WorkCalendarYear
from core.services.audit import log_action
from core.services.calendar import calendar_day_save, calendar_load_year_from_library, calendar_verify_year
from core.services.deadline_counts import deadline_save
from core.services.deadlines import RECOMPUTED_FIELDS, recompute_due
from core.services.notifications import notify
from core.workcalendar import CalendarMissingError, WorkCalendar, database_loader, load_calendar

# Apps that mirror a deadline's date on their own records (e.g. Case.due_on) register a callback here;
# it receives the deadlines whose due date or provisional mark changed, inside the same transaction.
_moved_listeners: list[Callable[[list[Deadline]], None]] = []


def on_deadlines_moved(listener: Callable[[list[Deadline]], None]) -> None:
    if listener not in _moved_listeners:
        _moved_listeners.append(listener)


@dataclass(frozen=True)
class MovedDeadline:
    deadline: Deadline
    old_due_on: dt.date
    new_due_on: dt.date | None  # None when the new calendar cannot compute it
    problem: str = ""
    was_provisional: bool = False
    now_provisional: bool = False

    @property
    def moved_earlier(self) -> bool:
        return self.new_due_on is not None and self.new_due_on < self.old_due_on


def _calendar_with(day: dt.date, is_working_day: bool) -> WorkCalendar:
    calendar = load_calendar(loader=database_loader)
    if is_working_day:
        calendar.working_days.add(day)
    else:
        calendar.working_days.discard(day)
    return calendar


def _day_candidates(day: dt.date) -> QuerySet[Deadline]:
    # A day can only change deadlines whose counting reached it: started before it and not yet due before it.
    return Deadline.objects.open().filter(rule__isnull=False, started_on__lt=day, due_on__gte=day)


def _year_candidates(year: int) -> QuerySet[Deadline]:
    return Deadline.objects.open().reaching_year(year)


def _changes(candidates: QuerySet[Deadline], calendar: WorkCalendar, *, strict: bool) -> list[MovedDeadline]:
    """What `calendar` makes of each candidate deadline: those whose date or 暂定 mark would change."""
    today = timezone.localdate()
    changes = []
    for deadline in candidates.select_related("org").prefetch_related("pauses").order_by("due_on", "id"):
        try:
            computed = recompute_due(deadline, today=today, calendar=calendar)
        except CalendarMissingError as exc:
            if strict:
                raise ValidationError(str(exc)) from exc
            changes.append(MovedDeadline(deadline, deadline.due_on, None, str(exc), deadline.is_provisional))
            continue
        if computed.due_on != deadline.due_on or computed.provisional_years != deadline.provisional_years:
            changes.append(
                MovedDeadline(
                    deadline,
                    deadline.due_on,
                    computed.due_on,
                    was_provisional=deadline.is_provisional,
                    now_provisional=bool(computed.provisional_years),
                )
            )
    return changes


def calendar_change_preview(*, day: dt.date, is_working_day: bool) -> list[MovedDeadline]:
    return _changes(_day_candidates(day), _calendar_with(day, is_working_day), strict=False)


def calendar_year_preview(*, year: WorkCalendarYear) -> list[MovedDeadline]:
    """What verifying `year` would do to the open deadlines that reached it."""
    calendar = load_calendar(loader=database_loader)
    calendar.draft_years.pop(year.year, None)
    calendar.years[year.year] = year.revision + 1
    return _changes(_year_candidates(year.year), calendar, strict=False)


def _recompute(candidates: QuerySet[Deadline], reason: str) -> list[MovedDeadline]:
    """Recompute the candidates over the calendar as it now is (after the change was saved), each with a history
    entry; tell the mirrors and the people whose deadline came earlier. A deadline that cannot be computed any
    more refuses the whole change (the caller's transaction rolls back)."""
    changes = _changes(candidates, load_calendar(loader=database_loader), strict=True)
    calendar = load_calendar(loader=database_loader)
    today = timezone.localdate()
    for item in changes:
        deadline = item.deadline
        recompute_due(deadline, today=today, calendar=calendar).apply_to(deadline)
        deadline._change_reason = _("%(reason)s：期限由 %(old)s%(old_mark)s 调整为 %(new)s%(new_mark)s") % {
            "reason": reason,
            "old": item.old_due_on,
            "old_mark": _("（暂定）") if item.was_provisional else "",
            "new": deadline.due_on,
            "new_mark": _("（暂定）") if deadline.is_provisional else "",
        }
        deadline_save(deadline, update_fields=RECOMPUTED_FIELDS)
    for listener in _moved_listeners:
        listener([item.deadline for item in changes])
    _notify_moved_earlier(changes, reason)
    return changes


def _notify_moved_earlier(preview: Iterable[MovedDeadline], reason: str) -> None:
    """People whose deadline came nearer are told; a later date needs no one's action."""
    for item in preview:
        if not item.moved_earlier:
            continue
        deadline = item.deadline
        for user in {deadline.owner, deadline.backup} - {None}:
            notify(
                user=user,
                title=_("期限提前：%(label)s") % {"label": deadline.label},
                body=_("%(reason)s，截止日期由 %(old)s 提前为 %(new)s。")
                % {"reason": reason, "old": item.old_due_on, "new": item.new_due_on},
                kind="warning",
                key=f"calendar-moved:{deadline.pk}:{item.new_due_on}",
            )


@transaction.atomic
def calendar_change_apply(
    *, actor, day: WorkCalendarDay, is_working_day: bool, kind: str, note: str, source_notice: str
) -> list[MovedDeadline]:
    """Save the corrected day and move every open deadline it affects, each with a history entry."""
    day.is_working_day = is_working_day
    day.kind = kind
    day.note = note
    day.source_notice = source_notice
    reason = _("工作日历更正（%(date)s）") % {"date": day.date}
    calendar_day_save(day=day, actor=actor, reason=reason)
    moved = _recompute(_day_candidates(day.date), reason)
    log_action(
        actor=actor,
        action="core.calendar.corrected",
        target=day,
        date=str(day.date),
        is_working_day=is_working_day,
        moved=len(moved),
    )
    return moved


@transaction.atomic
def calendar_year_verify(*, actor, year: WorkCalendarYear, confirm_no_holidays: bool = False) -> list[MovedDeadline]:
    """Mark `year` verified and recompute every open deadline that reached it: the 暂定 mark goes."""
    year = WorkCalendarYear.objects.select_for_update().get(pk=year.pk)
    if year.status == WorkCalendarYear.Status.VERIFIED:
        raise ValidationError(_("%(year)s年已是已核对状态。") % {"year": year.year})
    calendar_verify_year(year=year, actor=actor, confirm_no_holidays=confirm_no_holidays)
    reason = _("%(year)s年工作日历核对") % {"year": year.year}
    moved = _recompute(_year_candidates(year.year), reason)
    log_action(actor=actor, action="core.calendar.year_recomputed", target=year, year=year.year, moved=len(moved))
    return moved


@transaction.atomic
def calendar_year_reload_from_library(*, year: int, actor=None) -> list[MovedDeadline]:
    """Reload a year from chinesecalendar over what is stored (`load_work_calendar --overwrite`), recomputing
    the open deadlines that reached it as a verification would."""
    calendar_year = calendar_load_year_from_library(year=year, actor=actor, overwrite=True)
    moved = _recompute(_year_candidates(year), _("%(year)s年工作日历重新载入") % {"year": year})
    log_action(actor=actor, action="core.calendar.year_recomputed", target=calendar_year, year=year, moved=len(moved))
    return moved
