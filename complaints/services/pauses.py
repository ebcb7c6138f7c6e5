"""Pausing and resuming a case's clocks (docs/domain.md「暂停计时」).

A pause stops every running deadline of the case itself (the clock of its current stage; closed-loop steps keep
theirs). Staff pause and resume from the case page; referring a forwarded complaint to mediation pauses the
institution's clock (C-INST) and the mediation's outcome resumes it (complaints/services/mediation_link.py).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Deadline, DeadlinePause, PauseKind
from core.services import deadlines as deadline_services

from ..models import Case
from .common import lock_case, log_case, record_event, require_handler, require_note, save_case, sync_due_on


def _own_deadlines(case: Case):
    return Deadline.objects.open().filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk)


def open_case_pauses(case: Case) -> list[DeadlinePause]:
    """The pauses now stopping one of the case's own clocks, with their deadline."""
    return list(
        DeadlinePause.objects.filter(deadline__in=_own_deadlines(case).filter(paused_since__isnull=False))
        .filter(end_on__isnull=True)
        .select_related("deadline", "started_by")
        .order_by("start_on", "id")
    )


def pause_clocks(case: Case, *, actor, kind: str, reason: str, start_on: dt.date) -> list[Deadline]:
    """Pause every running clock of the case (no permission check: callers check who may)."""
    running = list(_own_deadlines(case).filter(paused_since__isnull=True).order_by("due_on", "id"))
    for deadline in running:
        deadline_services.deadline_pause(deadline=deadline, start_on=start_on, reason=reason, actor=actor, kind=kind)
    return running


def resume_clocks(case: Case, *, actor, end_on: dt.date, kind: str | None = None) -> list[Deadline]:
    """Resume the case's paused clocks (those paused for `kind` only, when given) on `end_on`, the last paused day."""
    resumed = []
    for pause in open_case_pauses(case):
        if kind is None or pause.kind == kind:
            resumed.append(deadline_services.deadline_resume(deadline=pause.deadline, end_on=end_on, actor=actor))
    return resumed


def _check_day(on: dt.date, *, earliest: dt.date | None, too_early: str) -> None:
    if on > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    if earliest and on < earliest:
        raise ValidationError(too_early)


@transaction.atomic
def case_clock_pause(*, actor, case: Case, version: int, kind: str, reason: str, start_on: dt.date) -> Case:
    """暂停计时: the case's A/B or a supervisor stops its running clocks from `start_on` for a stated reason."""
    case = lock_case(case, version)
    require_handler(actor, case)
    if not case.is_open:
        raise ValidationError(_("案件已办结，不能暂停计时。"))
    if kind not in PauseKind.values:
        raise ValidationError(_("请选择暂停事由。"))
    reason = require_note(reason, _("请填写暂停计时的具体原因。"))
    _check_day(start_on, earliest=timezone.localdate(case.received_at), too_early=_("暂停开始日期不能早于接收日期。"))
    paused = pause_clocks(case, actor=actor, kind=kind, reason=reason, start_on=start_on)
    if not paused:
        raise ValidationError(_("该案件当前没有正在计时的期限，无需暂停。"))
    sync_due_on(case)
    label = PauseKind(kind).label
    note = _("%(on)s 起暂停计时（%(kind)s）：%(reason)s") % {"on": start_on, "kind": label, "reason": reason}
    save_case(case, reason=_("暂停计时"), fields=["due_on"])
    record_event(case=case, actor=actor, action="clock_paused", from_status=case.status, note=note)
    log_case(actor, "clock_paused", case, kind=kind)
    return case


@transaction.atomic
def case_clock_resume(*, actor, case: Case, version: int, end_on: dt.date) -> Case:
    """恢复计时: the pause ends on `end_on` (its last day) and each due date is recomputed by the calendar."""
    case = lock_case(case, version)
    require_handler(actor, case)
    pauses = open_case_pauses(case)
    if not pauses:
        raise ValidationError(_("该案件没有暂停中的期限。"))
    latest_start = max(pause.start_on for pause in pauses)
    _check_day(
        end_on, earliest=latest_start, too_early=_("恢复日期不能早于暂停开始日期（%(on)s）。") % {"on": latest_start}
    )
    resumed = resume_clocks(case, actor=actor, end_on=end_on)
    sync_due_on(case)
    dues = "、".join(f"{d.label} {d.due_on:%Y-%m-%d}" for d in resumed)
    note = _("暂停至 %(on)s，恢复计时；重算后的期限：%(dues)s") % {"on": end_on, "dues": dues}
    save_case(case, reason=_("恢复计时"), fields=["due_on"])
    record_event(case=case, actor=actor, action="clock_resumed", from_status=case.status, note=note)
    log_case(actor, "clock_resumed", case)
    return case
