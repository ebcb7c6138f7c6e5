"""Opening, extending, pausing and closing deadlines of any dated item.

Every save goes through `deadline_counts.deadline_save`, which moves the deadline's count in the dashboard's summary
(core.DeadlineDayCount) in the same transaction (docs/architecture.md「看板汇总表」).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Deadline, DeadlinePause, DeadlineRule, PauseKind
from core.workcalendar import Pause, WorkCalendar, get_calendar

from .audit import log_action
from .deadline_counts import deadline_save


def due_soon_working_days() -> int:
    """Open items due within this many working days count as due soon (settings.DUE_SOON_WORKING_DAYS)."""
    return settings.DUE_SOON_WORKING_DAYS


def _pauses_of(deadline: Deadline, today: dt.date) -> list[Pause]:
    return [Pause(p.start_on, p.end_on or today) for p in deadline.pauses.all()]


@dataclass(frozen=True)
class ComputedDue:
    due_on: dt.date
    calendar_stamp: str
    # Draft years the computation went through, e.g. "2027": the due date is provisional (暂定).
    provisional_years: str = ""

    def apply_to(self, deadline: Deadline) -> None:
        deadline.due_on = self.due_on
        deadline.calendar_stamp = self.calendar_stamp
        deadline.provisional_years = self.provisional_years


def compute_due(
    *, started_on: dt.date, days: int, kind: str, pauses=(), calendar: WorkCalendar | None = None
) -> ComputedDue:
    """The due date, the calendar revisions it used and whether it is provisional.

    A year not yet verified is counted over its draft (created when first reached), never refused: the result
    is then provisional (docs/domain.md, "跨年度：暂定期限").
    """
    calendar = calendar or get_calendar()
    due = calendar.add_days(started_on, days, kind, pauses)
    provisional = ",".join(str(year) for year in calendar.provisional_years(started_on, due))
    return ComputedDue(due, calendar.stamp(started_on, due), provisional)


def deadline_open(
    *,
    item,
    rule_code: str,
    started_on: dt.date,
    label: str,
    org,
    owner=None,
    backup=None,
    institution_id: int | None = None,
    item_kind: str = "",
    actor=None,
    calendar: WorkCalendar | None = None,
    days: int | None = None,
) -> Deadline:
    """Open a deadline for `item` from the rule `rule_code`, starting the clock on `started_on`.

    `days`: the period when the rule itself gives a shorter one for a variant of the case (a 委托 mediation under
    the summary procedure: M-ENTRUST's 7 days instead of 15); kept as the deadline's `rule_days` like the rule's.
    """
    rule = DeadlineRule.objects.get(code=rule_code)
    days = rule.days if days is None else days
    computed = compute_due(started_on=started_on, days=days, kind=rule.count_kind, calendar=calendar)
    deadline = Deadline(
        org=org,
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        item_kind=item_kind or item._meta.label_lower,
        label=label,
        institution_id=institution_id,
        rule=rule,
        rule_days=days,
        rule_count_kind=rule.count_kind,
        started_on=started_on,
        owner=owner,
        backup=backup,
    )
    computed.apply_to(deadline)
    deadline._change_reason = _("按规则 %(code)s 起算") % {"code": rule.code}
    if days != rule.days:
        deadline._change_reason += _("（%(days)s 天）") % {"days": days}
    if computed.provisional_years:
        deadline._change_reason += _("（暂定：%(years)s年工作日历尚未核对）") % {"years": computed.provisional_years}
    deadline_save(deadline)
    return deadline


def deadline_open_custom(
    *,
    item,
    due_on: dt.date,
    label: str,
    org,
    owner=None,
    backup=None,
    institution_id: int | None = None,
    item_kind: str = "",
    started_on: dt.date | None = None,
) -> Deadline:
    """A deadline set by a person (a task, a rectification item) rather than by a rule."""
    started_on = started_on or min(due_on, timezone.localdate())
    deadline = Deadline(
        org=org,
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        item_kind=item_kind or item._meta.label_lower,
        label=label,
        institution_id=institution_id,
        rule=None,
        rule_days=(due_on - started_on).days,
        rule_count_kind="calendar",
        started_on=started_on,
        due_on=due_on,
        owner=owner,
        backup=backup,
    )
    deadline_save(deadline)
    return deadline


def recompute_due(deadline: Deadline, *, today: dt.date, calendar: WorkCalendar | None = None) -> ComputedDue:
    """The due date of a rule-based deadline from its start, days, extension and pauses."""
    if deadline.rule_id is None:
        return ComputedDue(deadline.due_on, deadline.calendar_stamp, deadline.provisional_years)
    return compute_due(
        started_on=deadline.started_on,
        days=deadline.rule_days + deadline.extension_days,
        kind=deadline.rule_count_kind,
        pauses=_pauses_of(deadline, today),
        calendar=calendar,
    )


def _recompute(deadline: Deadline, today: dt.date, calendar: WorkCalendar | None = None) -> None:
    recompute_due(deadline, today=today, calendar=calendar).apply_to(deadline)


RECOMPUTED_FIELDS = ["due_on", "calendar_stamp", "provisional_years"]


@transaction.atomic
def deadline_extend(*, deadline: Deadline, days: int, actor, reason: str, today: dt.date | None = None) -> Deadline:
    """Add `days` to the deadline (added to the original limit, as docs/domain.md, "期限与工作日历" says).

    The caller checks who may approve; this enforces the rule's maximum (none when the rule leaves it empty: court
    mediation extended by the parties' consent).
    """
    if deadline.status != Deadline.Status.OPEN:
        raise ValidationError(_("该期限已结束，不能延期。"))
    if days <= 0:
        raise ValidationError(_("延期天数必须大于零。"))
    if not reason.strip():
        raise ValidationError(_("延期必须说明理由。"))
    maximum = deadline.rule.max_extension_days if deadline.rule_id else 0
    if maximum is not None and deadline.extension_days + days > maximum:
        raise ValidationError(
            _("延期后共 %(total)s 天，超过规则允许的最长延期 %(max)s 天。")
            % {"total": deadline.extension_days + days, "max": maximum}
        )
    deadline.extension_days += days
    _recompute(deadline, today or timezone.localdate())
    deadline._change_reason = _("延期 %(days)s 天：%(reason)s") % {"days": days, "reason": reason}
    deadline_save(deadline, update_fields=["extension_days", *RECOMPUTED_FIELDS])
    log_action(actor=actor, action="core.deadline.extended", target=deadline, days=days, reason=reason)
    return deadline


@transaction.atomic
def deadline_pause(
    *, deadline: Deadline, start_on: dt.date, reason: str, actor, kind: str = PauseKind.OTHER
) -> DeadlinePause:
    """Stop the clock from `start_on` (the first day not counted) for `kind` with a reason in words.

    The caller checks who may; this refuses a deadline that is closed or already paused and a start before the
    clock started (docs/domain.md「暂停计时」).
    """
    if deadline.status != Deadline.Status.OPEN or deadline.paused_since:
        raise ValidationError(_("该期限当前不能暂停：已结束或已在暂停中。"))
    if kind not in PauseKind.values:
        raise ValidationError(_("请选择暂停事由。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("暂停计时必须说明原因。"))
    if start_on < deadline.started_on:
        raise ValidationError(_("暂停开始日期不能早于期限起算日（%(on)s）。") % {"on": deadline.started_on})
    pause = DeadlinePause(deadline=deadline, kind=kind, start_on=start_on, reason=reason, started_by=actor)
    pause._change_reason = _("暂停计时")
    pause.save()
    deadline.paused_since = start_on
    deadline._change_reason = _("暂停计时（%(kind)s）：%(reason)s") % {
        "kind": pause.get_kind_display(),
        "reason": reason,
    }
    deadline_save(deadline, update_fields=["paused_since"])
    log_action(actor=actor, action="core.deadline.paused", target=deadline, kind=kind, reason=reason)
    return pause


def open_pause(deadline: Deadline) -> DeadlinePause | None:
    return deadline.pauses.filter(end_on__isnull=True).first()


@transaction.atomic
def deadline_resume(*, deadline: Deadline, end_on: dt.date, actor) -> Deadline:
    """End the open pause on `end_on` (the last paused day) and recompute the due date from the start.

    Days inside a pause are not counted (core/workcalendar.py `add_days`): for a working-day rule the paused
    working days are added back, for a calendar-day rule the paused calendar days (docs/domain.md「暂停计时」).
    """
    pause = open_pause(deadline)
    if pause is None:
        raise ValidationError(_("该期限没有暂停中的计时。"))
    if end_on < pause.start_on:
        raise ValidationError(_("恢复日期不能早于暂停开始日期（%(on)s）。") % {"on": pause.start_on})
    pause.end_on = end_on
    pause.ended_by = actor
    pause._change_reason = _("恢复计时")
    pause.save(update_fields=["end_on", "ended_by"])
    deadline.paused_since = None
    _recompute(deadline, end_on)
    deadline._change_reason = _("恢复计时，截止日期重算为 %(due)s") % {"due": deadline.due_on}
    deadline_save(deadline, update_fields=["paused_since", *RECOMPUTED_FIELDS])
    log_action(actor=actor, action="core.deadline.resumed", target=deadline, end_on=end_on.isoformat())
    return deadline


def deadline_complete(*, deadline: Deadline, completed_on: dt.date) -> Deadline:
    if deadline.status != Deadline.Status.OPEN:
        return deadline
    deadline.status = Deadline.Status.DONE
    deadline.completed_on = completed_on
    if deadline.paused_since:
        # A clock completed while paused: the pause ends with it (its last day the completion day).
        pause = open_pause(deadline)
        if pause is not None:
            pause.end_on = max(completed_on, pause.start_on)
            pause._change_reason = _("期限完成，暂停随之结束")
            pause.save(update_fields=["end_on"])
    deadline.paused_since = None
    deadline._change_reason = _("已完成")
    deadline_save(deadline, update_fields=["status", "completed_on", "paused_since"])
    return deadline


def deadline_cancel(*, deadline: Deadline, reason: str) -> Deadline:
    if deadline.status != Deadline.Status.OPEN:
        return deadline
    deadline.status = Deadline.Status.CANCELLED
    deadline._change_reason = reason
    deadline_save(deadline, update_fields=["status"])
    return deadline


def deadline_reassign(*, deadline: Deadline, owner, backup) -> Deadline:
    deadline.owner = owner
    deadline.backup = backup
    deadline._change_reason = _("调整A/B岗")
    deadline_save(deadline, update_fields=["owner", "backup"])
    return deadline


@dataclass(frozen=True)
class DeadlineState:
    due_on: dt.date
    calendar_days_left: int
    working_days_left: int | None  # None when the calendar lacks a year in between
    is_overdue: bool
    is_due_soon: bool
    is_paused: bool
    # The due date was computed over a calendar year not yet verified (暂定).
    is_provisional: bool = False
    # The working days left are counted over such a year: the count is provisional too.
    working_days_provisional: bool = False

    @property
    def css(self) -> str:
        if self.is_paused:
            return "secondary"
        if self.is_overdue:
            return "danger"
        if self.is_due_soon:
            return "warning"
        return "success"

    @property
    def label(self) -> str:
        """The state in words for a badge: 超期 N 个工作日, 今日到期, 即将到期, 正常 or 暂停计时."""
        if self.is_paused:
            return _("暂停计时")
        if self.is_overdue:
            return overdue_label(self.working_days_left)
        if self.calendar_days_left == 0:
            return _("今日到期")
        if self.is_due_soon:
            return _("即将到期")
        return _("正常")

    @property
    def days_text(self) -> str:
        """Days left in words, never a negative count: 剩余 N 个工作日（M 天）, 今日到期, or 超期 N 个工作日."""
        return days_left_text(
            self.calendar_days_left, self.working_days_left, provisional=self.working_days_provisional
        )


def overdue_label(working_days_left: int | None) -> str:
    """How late an item is, in working days after its due date up to today ("超期 N 个工作日").

    A due date just before a weekend is overdue on the Saturday although no working day has passed yet; with no
    calendar for the days in between there is no count to give.
    """
    if working_days_left is None:
        return _("已超期")
    if working_days_left >= 0:
        return _("超期未满 1 个工作日")
    return _("超期 %(n)s 个工作日") % {"n": -working_days_left}


def days_left_text(calendar_days_left: int, working_days_left: int | None, *, provisional: bool = False) -> str:
    """剩余 N 个工作日（M 天） for an item due later, 今日到期 today, 超期 N 个工作日 once it is late.

    `provisional`: the working days are counted over a calendar year not yet verified (…（M 天，暂定）).
    """
    if calendar_days_left < 0:
        return overdue_label(working_days_left)
    if calendar_days_left == 0:
        return _("今日到期")
    if working_days_left is None:
        return _("剩余 %(c)s 天") % {"c": calendar_days_left}
    if provisional:
        return _("剩余 %(w)s 个工作日（%(c)s 天，暂定）") % {"w": working_days_left, "c": calendar_days_left}
    return _("剩余 %(w)s 个工作日（%(c)s 天）") % {"w": working_days_left, "c": calendar_days_left}


def deadline_state(
    due_on: dt.date,
    today: dt.date,
    *,
    paused: bool = False,
    provisional: bool = False,
    calendar: WorkCalendar | None = None,
    soon_working_days: int | None = None,
) -> DeadlineState:
    """Days left (calendar and working), due soon within the setting's working days, overdue after the due date."""
    from core.workcalendar import CalendarMissingError

    if soon_working_days is None:
        soon_working_days = due_soon_working_days()

    calendar = calendar or get_calendar()
    try:
        working_left = calendar.working_days_between(today, due_on)
    except CalendarMissingError:
        working_left = None
    calendar_left = (due_on - today).days
    overdue = due_on < today
    soon = not overdue and (working_left if working_left is not None else calendar_left) <= soon_working_days
    working_provisional = bool(calendar.provisional_years(today, due_on))
    return DeadlineState(due_on, calendar_left, working_left, overdue, soon, paused, provisional, working_provisional)
