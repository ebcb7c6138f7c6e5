"""Shared pieces of the case services: guards, optimistic locking, events and the due-date mirror."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import sees_org
from core.models import Deadline
from core.services import deadlines as deadline_services
from core.services.audit import log_action

from ..models import Case, CaseArchive, CaseEvent, CaseStep
from ..models.choices import CaseStatus, CaseType
from ..transitions import is_supervisor, require_transition
from .case_counts import case_save

STALE_MESSAGE = _("该案件已被他人修改，请刷新后重试")

# The deadline rules whose lateness is the office's own (C-INST is the institution's and is recorded on the
# forwarding as replied_late instead).
OFFICE_RULES = ("P-ACK", "P-OBJ", "P-REPLY", "R-ACK", "R-FIND", "C-FWD")


def sees_case(user, case: Case) -> bool:
    return sees_org(user, case.org)


def can_handle(user, case: Case) -> bool:
    """A, B and the office's supervisors work a case; other people of the office only read it."""
    if not sees_case(user, case):
        return False
    return user.pk in (case.owner_id, case.backup_id) or is_supervisor(user)


def can_reveal_personal_data(user, case: Case) -> bool:
    return can_handle(user, case)


def require_handler(actor, case: Case) -> None:
    if not can_handle(actor, case):
        raise PermissionDenied(_("只有本案件的A岗、B岗或支局负责人可以办理该案件。"))


def require_supervisor(actor, case: Case | None = None) -> None:
    if not is_supervisor(actor) or (case is not None and not sees_case(actor, case)):
        raise PermissionDenied(_("只有支局负责人可以审批。"))


# A filed case is read-only (docs/domain.md, "归档"): every service that changes a case refuses with this.
FILED_MESSAGE = gettext_lazy("该案件已归档，不能再修改。复查、复核结果或更正请在案件页“补充材料/更正”中添加。")


def is_filed(case: Case) -> bool:
    return CaseArchive.objects.filter(case_id=case.pk).exists()


def require_not_filed(case: Case) -> None:
    """The one guard of the archive's read-only rule; `lock_case` (every case service) calls it, and so do the few
    services that change a case's records without locking it (attachments, mediation outcomes, extension
    decisions)."""
    if is_filed(case):
        raise ValidationError(FILED_MESSAGE, code="filed")


def lock_case(case: Case, version: int | None) -> Case:
    """Reload the case under a row lock, refuse a filed case and a version older than the stored one."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("org", "institution", "owner", "backup")
        .get(pk=case.pk)
    )
    require_not_filed(locked)
    if version is None or int(version) != locked.version:
        raise ValidationError(STALE_MESSAGE, code="stale")
    return locked


def begin_transition(actor, case: Case, version: int | None, action: str) -> Case:
    """The start of every table-driven action: lock the case, check the actor, check the transition table."""
    case = lock_case(case, version)
    require_handler(actor, case)
    require_transition(actor, case, action)
    return case


def record_event(
    *, case: Case, actor, action: str, note: str = "", from_status: str = "", approver=None, when=None
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor,
        approver=approver,
        note=note,
        occurred_at=when or timezone.now(),
    )


def save_case(case: Case, *, reason: str, fields: list[str]) -> Case:
    """Save the changed fields with a new version and a history reason."""
    case.version += 1
    case._change_reason = reason
    fields = {*fields, "version", "updated_at"}
    if "due_on" in fields:
        # The provisional mark (暂定) and the paused mark (暂停) travel with the mirrored due date.
        fields |= {"due_provisional", "clock_paused"}
    case_save(case, update_fields=sorted(fields))
    return case


def item_kind(case: Case) -> str:
    return f"case:{case.case_type}"


def case_deadlines(case: Case):
    """The deadlines of the case itself and of its closed-loop steps."""
    case_ct = ContentType.objects.get_for_model(Case).pk
    return case_deadlines_of(case.pk, case_ct=case_ct, step_ct=ContentType.objects.get_for_model(CaseStep).pk)


def case_deadlines_of(case_id, *, case_ct, step_ct):
    """`case_deadlines` by ids, or by the case page's slots (`core.rows.Slot`) where the query is compiled once."""
    return Deadline.objects.filter(
        Q(content_type_id=case_ct, object_id=case_id)
        | Q(content_type_id=step_ct, object_id__in=CaseStep.objects.filter(case_id=case_id).values("pk"))
    )


def open_rule_deadline(case: Case, *, rule_code: str, started_on: dt.date, label: str, actor) -> Deadline | None:
    """Open a statutory deadline of the case; anonymous reports have no clock."""
    if not case.has_clock:
        return None
    return deadline_services.deadline_open(
        item=case,
        rule_code=rule_code,
        started_on=started_on,
        label=f"{case.number} {label}",
        org=case.org,
        owner=case.owner,
        backup=case.backup,
        institution_id=case.institution_id,
        item_kind=item_kind(case),
        actor=actor,
    )


def open_deadline(case: Case, rule_code: str) -> Deadline | None:
    case_ct = ContentType.objects.get_for_model(Case)
    return (
        Deadline.objects.open()
        .filter(content_type=case_ct, object_id=case.pk, rule__code=rule_code)
        .select_related("rule")
        .first()
    )


def any_deadline(case: Case, rule_code: str) -> Deadline | None:
    case_ct = ContentType.objects.get_for_model(Case)
    return (
        Deadline.objects.filter(content_type=case_ct, object_id=case.pk, rule__code=rule_code)
        .select_related("rule")
        .order_by("-id")
        .first()
    )


def complete_rule_deadline(case: Case, rule_code: str, on: dt.date) -> Deadline | None:
    deadline = open_deadline(case, rule_code)
    if deadline is not None:
        deadline_services.deadline_complete(deadline=deadline, completed_on=on)
    return deadline


def cancel_rule_deadline(case: Case, rule_code: str, reason: str) -> None:
    deadline = open_deadline(case, rule_code)
    if deadline is not None:
        deadline_services.deadline_cancel(deadline=deadline, reason=reason)


def sync_due_on(case: Case) -> bool:
    """Mirror on the case its earliest running open deadline (or, when every open clock is paused, the earliest
    paused one, with `clock_paused`); returns True when it changed. A closed case mirrors none."""
    rows = []
    if case.is_open:
        rows = list(
            case_deadlines(case).open().order_by("due_on").values_list("due_on", "provisional_years", "paused_since")
        )
    running = [row for row in rows if row[2] is None]
    first = (running or rows or [(None, "", None)])[0]
    due_on, provisional, paused = first[0], bool(first[1]), bool(rows) and not running
    if (case.due_on, case.due_provisional, case.clock_paused) != (due_on, provisional, paused):
        case.due_on = due_on
        case.due_provisional = provisional
        case.clock_paused = paused
        return True
    return False


def finish_case(case: Case, *, closure: str, result: str = "", on=None) -> list[str]:
    """Close the case: cancel what is still open, set closed_at and whether the office kept its deadlines.

    Returns the fields changed, for save_case.
    """
    closed_at = on or timezone.now()
    closed_on = timezone.localdate(closed_at)
    office_deadlines = list(case_deadlines(case).filter(rule__code__in=OFFICE_RULES).exclude(status="cancelled"))
    on_time = all((d.completed_on or closed_on) <= d.due_on for d in office_deadlines if d.status in ("done", "open"))
    for deadline in case_deadlines(case).open():
        if deadline.rule_id is None:
            deadline_services.deadline_cancel(deadline=deadline, reason=_("案件已办结"))
        else:
            deadline_services.deadline_complete(deadline=deadline, completed_on=closed_on)
    case.status = CaseStatus.CLOSED
    case.closure = closure
    case.closed_at = closed_at
    case.closed_on_time = on_time
    if result:
        case.result = result
    case.due_on = None
    case.due_provisional = False
    case.clock_paused = False
    return ["status", "closure", "closed_at", "closed_on_time", "result", "due_on"]


def log_case(actor, action: str, case: Case, **data) -> None:
    log_action(actor=actor, action=f"complaints.case.{action}", target=case, number=case.number, **data)


def require_note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(message, code="required")
    return note


__all__ = [
    "FILED_MESSAGE",
    "STALE_MESSAGE",
    "CaseStatus",
    "CaseType",
    "can_handle",
    "can_reveal_personal_data",
    "case_deadlines",
    "finish_case",
    "is_filed",
    "is_supervisor",
    "lock_case",
    "begin_transition",
    "record_event",
    "require_handler",
    "require_not_filed",
    "require_transition",
    "require_supervisor",
    "save_case",
    "sees_case",
    "sync_due_on",
]
