"""Correcting one day of the work calendar: preview the open deadlines it moves, then apply and recompute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Deadline, WorkCalendarDay
from core.services.audit import log_action
from core.services.calendar import calendar_day_save
from core.services.deadlines import recompute_due
from core.workcalendar import CalendarMissingError, WorkCalendar, load_calendar

# Apps that mirror a deadline's date on their own records (e.g. Case.due_on) register a callback here;
# it receives the deadlines whose due date moved, inside the same transaction.
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


def _calendar_with(day: dt.date, is_working_day: bool) -> WorkCalendar:
    calendar = load_calendar()
    if is_working_day:
        calendar.working_days.add(day)
    else:
        calendar.working_days.discard(day)
    return calendar


def _candidates(day: dt.date):
    # A day can only change deadlines whose counting reached it: started before it and not yet due before it.
    return (
        Deadline.objects.open()
        .filter(rule__isnull=False, started_on__lt=day, due_on__gte=day)
        .select_related("org")
        .prefetch_related("pauses")
        .order_by("due_on", "id")
    )


def calendar_change_preview(*, day: dt.date, is_working_day: bool) -> list[MovedDeadline]:
    calendar = _calendar_with(day, is_working_day)
    today = timezone.localdate()
    moved = []
    for deadline in _candidates(day):
        try:
            new_due, _stamp = recompute_due(deadline, today=today, calendar=calendar)
        except CalendarMissingError as exc:
            moved.append(MovedDeadline(deadline, deadline.due_on, None, str(exc)))
            continue
        if new_due != deadline.due_on:
            moved.append(MovedDeadline(deadline, deadline.due_on, new_due))
    return moved


@transaction.atomic
def calendar_change_apply(
    *, actor, day: WorkCalendarDay, is_working_day: bool, kind: str, note: str, source_notice: str
) -> list[MovedDeadline]:
    """Save the corrected day and move every open deadline it affects, each with a history entry."""
    preview = calendar_change_preview(day=day.date, is_working_day=is_working_day)
    blocked = [item for item in preview if item.new_due_on is None]
    if blocked:
        from django.core.exceptions import ValidationError

        raise ValidationError(blocked[0].problem)
    day.is_working_day = is_working_day
    day.kind = kind
    day.note = note
    day.source_notice = source_notice
    calendar_day_save(day=day, actor=actor, reason=_("工作日历更正：%(date)s") % {"date": day.date})
    calendar = load_calendar()
    moved_deadlines = []
    for item in preview:
        deadline = item.deadline
        deadline.due_on, deadline.calendar_stamp = recompute_due(
            deadline, today=timezone.localdate(), calendar=calendar
        )
        deadline._change_reason = _("工作日历更正（%(date)s）：期限由 %(old)s 调整为 %(new)s") % {
            "date": day.date,
            "old": item.old_due_on,
            "new": deadline.due_on,
        }
        deadline.save(update_fields=["due_on", "calendar_stamp"])
        moved_deadlines.append(deadline)
    for listener in _moved_listeners:
        listener(moved_deadlines)
    log_action(
        actor=actor,
        action="core.calendar.corrected",
        target=day,
        date=str(day.date),
        is_working_day=is_working_day,
        moved=len(moved_deadlines),
    )
    return preview
