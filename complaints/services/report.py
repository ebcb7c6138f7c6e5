"""举报 (report of a violation): materials, acceptance, investigation, finding, notice.

Anonymous reports are handled on content: no statutory clock and no notices to a reporter.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Case, CaseDocument
from ..models.choices import CaseStatus, Closure, Finding
from .common import (
    begin_transition,
    complete_rule_deadline,
    finish_case,
    log_case,
    open_rule_deadline,
    record_event,
    require_note,
    save_case,
    sync_due_on,
)
from .documents import document_issue


@transaction.atomic
def report_request_materials(*, actor, case: Case, version: int, missing: str) -> Case:
    """Materials incomplete: ask for supplements; the acceptance clock does not run meanwhile."""
    case = begin_transition(actor, case, version, "report_request_materials")
    missing = require_note(missing, _("请写明需要补充的材料。"))
    from .common import cancel_rule_deadline

    cancel_rule_deadline(case, "R-ACK", _("材料不全，待补充后重新起算"))
    from_status = case.status
    case.status = CaseStatus.MATERIALS_PENDING
    sync_due_on(case)
    save_case(case, reason=_("待补充材料"), fields=["status", "due_on"])
    record_event(case=case, actor=actor, action="materials_requested", from_status=from_status, note=missing)
    log_case(actor, "materials_requested", case)
    return case


@transaction.atomic
def report_materials_complete(*, actor, case: Case, version: int, completed_on=None, note: str = "") -> Case:
    """Complete materials received: the 15-day acceptance clock (R-ACK) starts from that day."""
    case = begin_transition(actor, case, version, "report_materials_complete")
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate() or completed_on < case.received_on:
        raise ValidationError(_("材料齐全日期应在收到日期和今天之间。"))
    from_status = case.status
    open_rule_deadline(case, rule_code="R-ACK", started_on=completed_on, label=_("举报受理告知"), actor=actor)
    case.status = CaseStatus.REGISTERED
    sync_due_on(case)
    save_case(case, reason=_("材料齐全"), fields=["status", "due_on"])
    record_event(
        case=case,
        actor=actor,
        action="materials_complete",
        from_status=from_status,
        note=_("%(on)s 收到完整材料。%(note)s") % {"on": completed_on, "note": note},
    )
    log_case(actor, "materials_complete", case)
    return case


@transaction.atomic
def report_accept(*, actor, case: Case, version: int, note: str = "") -> Case:
    """Accept: within our remit, an identified reported party, specific facts with evidence. R-FIND starts."""
    case = begin_transition(actor, case, version, "report_accept")
    if case.institution_id is None:
        raise ValidationError(_("受理举报须有明确的被举报机构，请先补充被举报机构。"))
    today = timezone.localdate()
    from_status = case.status
    complete_rule_deadline(case, "R-ACK", today)
    open_rule_deadline(case, rule_code="R-FIND", started_on=today, label=_("举报调查结论"), actor=actor)
    case.status = CaseStatus.ACCEPTED
    case.accepted_on = today
    sync_due_on(case)
    save_case(case, reason=_("受理"), fields=["status", "accepted_on", "due_on"])
    if not case.is_anonymous:
        document_issue(case=case, kind=CaseDocument.Kind.REPORT_ACCEPTANCE, actor=actor, body={"note": note})
    record_event(case=case, actor=actor, action="accepted", from_status=from_status, note=note)
    log_case(actor, "accepted", case)
    return case


@transaction.atomic
def report_not_accept(*, actor, case: Case, version: int, reason: str) -> Case:
    """Not accepted, with the reason (outside remit, no identified party, no specific facts…); closes."""
    case = begin_transition(actor, case, version, "report_not_accept")
    reason = require_note(reason, _("请填写不予受理的理由。"))
    today = timezone.localdate()
    from_status = case.status
    complete_rule_deadline(case, "R-ACK", today)
    if not case.is_anonymous:
        document_issue(case=case, kind=CaseDocument.Kind.REPORT_NON_ACCEPTANCE, actor=actor, body={"reason": reason})
    fields = finish_case(case, closure=Closure.NOT_ACCEPTED, result=_("不予受理：%(r)s") % {"r": reason})
    save_case(case, reason=_("不予受理"), fields=fields)
    record_event(case=case, actor=actor, action="not_accepted", from_status=from_status, note=reason)
    log_case(actor, "not_accepted", case)
    return case


@transaction.atomic
def report_finding(*, actor, case: Case, version: int, finding: str, facts: str, measures: str = "") -> Case:
    """The written finding of the investigation: 查实 / 部分查实 / 未查实."""
    case = begin_transition(actor, case, version, "report_finding")
    if finding not in Finding.values:
        raise ValidationError(_("请选择调查结论：查实、部分查实或未查实。"))
    facts = require_note(facts, _("请填写调查认定的事实。"))
    today = timezone.localdate()
    from_status = case.status
    complete_rule_deadline(case, "R-FIND", today)
    case.status = CaseStatus.REPLIED
    case.finding = finding
    case.result = facts
    sync_due_on(case)
    save_case(case, reason=_("作出调查结论"), fields=["status", "finding", "result", "due_on"])
    if not case.is_anonymous:
        document_issue(
            case=case,
            kind=CaseDocument.Kind.REPORT_FINDING,
            actor=actor,
            body={"finding": finding, "facts": facts, "measures": measures.strip()},
        )
    record_event(
        case=case,
        actor=actor,
        action="finding",
        from_status=from_status,
        note=_("调查结论：%(f)s。%(facts)s") % {"f": Finding(finding).label, "facts": facts},
    )
    log_case(actor, "finding", case, finding=finding)
    return case


@transaction.atomic
def report_notify(*, actor, case: Case, version: int, notified_on=None, note: str = "") -> Case:
    """The reporter was told the finding (not for anonymous reports, which get no notices)."""
    case = begin_transition(actor, case, version, "report_notify")
    if case.is_anonymous:
        raise ValidationError(_("匿名举报不告知举报人。"))
    document = case.documents.filter(kind=CaseDocument.Kind.REPORT_FINDING).first()
    if document is None:
        raise ValidationError(_("尚未出具调查结论告知书。"))
    if document.delivered_on:
        raise ValidationError(_("已登记告知举报人。"))
    notified_on = notified_on or timezone.localdate()
    if notified_on > timezone.localdate() or notified_on < document.issued_on:
        raise ValidationError(_("告知日期应在出具日期和今天之间。"))
    document.delivered_on = notified_on
    document._change_reason = _("告知举报人")
    document.save(update_fields=["delivered_on"])
    save_case(case, reason=_("告知举报人"), fields=[])
    record_event(
        case=case,
        actor=actor,
        action="notified",
        from_status=case.status,
        note=_("%(on)s 告知举报人调查结论。%(note)s") % {"on": notified_on, "note": note},
    )
    log_case(actor, "notified", case)
    return case
