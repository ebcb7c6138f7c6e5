"""转办投诉 (complaint forwarded to an institution): forward, acknowledgement, extension, result, 回访."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import deadlines as deadline_services

from ..models import Case, CaseDocument, ExtensionRequest, Forwarding
from ..models.choices import CaseStatus, Closure, Satisfaction
from .common import (
    begin_transition,
    complete_rule_deadline,
    finish_case,
    log_case,
    open_deadline,
    open_rule_deadline,
    record_event,
    require_note,
    save_case,
    sync_due_on,
)
from .documents import document_issue

# C-INST: 15 days; complex up to 30 in total (+15); especially complex a further +30 (+45 in total).
INSTITUTION_EXTENSION_TOTAL = {
    Forwarding.InstitutionExtension.COMPLEX: 15,
    Forwarding.InstitutionExtension.VERY_COMPLEX: 45,
}
ESCALATIONS = {
    "mediation": _("转调解"),
    "upper_level": _("转机构上级处理"),
    "report": _("转为举报办理"),
    "other": _("其他方式处理"),
}


def _check_date(on, *, earliest, message):
    if on > timezone.localdate() or (earliest and on < earliest):
        raise ValidationError(message)


@transaction.atomic
def complaint_forward(*, actor, case: Case, version: int, requirement: str = "", institution=None) -> Forwarding:
    """转办: send the complaint to the institution with a 转办单; the institution's 15-day clock starts."""
    case = begin_transition(actor, case, version, "complaint_forward")
    institution = institution or case.institution
    if institution is None:
        raise ValidationError(_("请先选择被投诉机构。"))
    today = timezone.localdate()
    from_status = case.status
    if institution != case.institution:
        case.institution = institution
    complete_rule_deadline(case, "C-FWD", today)
    open_rule_deadline(case, rule_code="C-INST", started_on=today, label=_("机构处理并告知投诉人"), actor=actor)
    # The 转办单 is a document of the office: its number is the document's number, the only one it carries.
    requirement = (requirement or "").strip()
    slip = document_issue(
        case=case, kind=CaseDocument.Kind.FORWARDING_SLIP, actor=actor, body={"requirement": requirement}, on=today
    )
    slip_number = slip.number
    forwarding = Forwarding(
        case=case,
        institution=institution,
        slip_number=slip_number,
        forwarded_on=today,
        forwarded_by=actor,
        requirement=requirement,
    )
    forwarding._change_reason = _("转办")
    forwarding.save()
    case.status = CaseStatus.FORWARDED
    sync_due_on(case)
    save_case(case, reason=_("转办机构"), fields=["status", "institution", "due_on"])
    record_event(
        case=case,
        actor=actor,
        action="forwarded",
        from_status=from_status,
        note=_("转办 %(inst)s，转办单 %(no)s") % {"inst": institution, "no": slip_number},
    )
    log_case(actor, "forwarded", case, institution_id=institution.pk, slip_number=slip_number)
    return forwarding


@transaction.atomic
def complaint_institution_acknowledge(
    *, actor, case: Case, version: int, acknowledged_on=None, acknowledged_by: str = ""
) -> Case:
    case = begin_transition(actor, case, version, "complaint_acknowledge")
    forwarding = case.forwarding
    acknowledged_on = acknowledged_on or timezone.localdate()
    _check_date(acknowledged_on, earliest=forwarding.forwarded_on, message=_("签收日期应在转办日期和今天之间。"))
    forwarding.acknowledged_on = acknowledged_on
    forwarding.acknowledged_by = (acknowledged_by or "").strip()
    forwarding._change_reason = _("机构签收")
    forwarding.save(update_fields=["acknowledged_on", "acknowledged_by"])
    from_status = case.status
    case.status = CaseStatus.INSTITUTION_ACKNOWLEDGED
    save_case(case, reason=_("机构签收"), fields=["status"])
    record_event(
        case=case,
        actor=actor,
        action="institution_acknowledged",
        from_status=from_status,
        note=_("%(on)s 机构签收 %(by)s") % {"on": acknowledged_on, "by": forwarding.acknowledged_by},
    )
    log_case(actor, "institution_acknowledged", case)
    return case


@transaction.atomic
def complaint_institution_extend(*, actor, case: Case, version: int, level: str, reason: str) -> Case:
    """The institution's own extension: complex → 30 days in total; especially complex → a further 30."""
    case = begin_transition(actor, case, version, "complaint_extend")
    if level not in INSTITUTION_EXTENSION_TOTAL:
        raise ValidationError(_("请选择复杂或特别复杂。"))
    reason = require_note(reason, _("请填写机构延期的原因。"))
    deadline = open_deadline(case, "C-INST")
    if deadline is None:
        raise ValidationError(_("该投诉没有进行中的机构办理期限。"))
    days = INSTITUTION_EXTENSION_TOTAL[level] - deadline.extension_days
    if days <= 0:
        raise ValidationError(_("机构已按该情形延期，不能再次延期。"))
    deadline_services.deadline_extend(deadline=deadline, days=days, actor=actor, reason=reason)
    request = ExtensionRequest(
        case=case,
        deadline=deadline,
        days=days,
        reason=reason,
        requested_by=actor,
        state=ExtensionRequest.State.APPROVED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=_("机构自行延期（%(level)s）") % {"level": Forwarding.InstitutionExtension(level).label},
    )
    request._change_reason = _("登记机构延期")
    request.save()
    forwarding = case.forwarding
    forwarding.extension = level
    forwarding.extension_reason = reason
    forwarding._change_reason = _("机构延期")
    forwarding.save(update_fields=["extension", "extension_reason"])
    sync_due_on(case)
    save_case(case, reason=_("机构延期"), fields=["due_on"])
    record_event(
        case=case,
        actor=actor,
        action="institution_extended",
        from_status=case.status,
        note=_("机构延期 %(days)s 天（%(level)s），期限至 %(due)s：%(reason)s")
        % {
            "days": days,
            "level": Forwarding.InstitutionExtension(level).label,
            "due": deadline.due_on,
            "reason": reason,
        },
    )
    log_case(actor, "institution_extended", case, days=days, level=level)
    return case


@transaction.atomic
def complaint_institution_reply(*, actor, case: Case, version: int, result: str, replied_on=None) -> Case:
    """The institution's result; whether it came late is recorded (a negative-list fact)."""
    case = begin_transition(actor, case, version, "complaint_reply")
    result = require_note(result, _("请填写机构的处理结果。"))
    forwarding = case.forwarding
    replied_on = replied_on or timezone.localdate()
    _check_date(replied_on, earliest=forwarding.forwarded_on, message=_("反馈日期应在转办日期和今天之间。"))
    deadline = open_deadline(case, "C-INST")
    forwarding.replied_on = replied_on
    forwarding.institution_result = result
    forwarding.replied_late = bool(deadline is not None and replied_on > deadline.due_on)
    if forwarding.acknowledged_on is None:
        forwarding.acknowledged_on = replied_on
    forwarding._change_reason = _("机构反馈")
    forwarding.save(update_fields=["replied_on", "institution_result", "replied_late", "acknowledged_on"])
    complete_rule_deadline(case, "C-INST", replied_on)
    from_status = case.status
    case.status = CaseStatus.INSTITUTION_REPLIED
    sync_due_on(case)
    save_case(case, reason=_("机构反馈"), fields=["status", "due_on"])
    late = _("（超期反馈）") if forwarding.replied_late else ""
    record_event(
        case=case,
        actor=actor,
        action="institution_replied",
        from_status=from_status,
        note=_("%(on)s 机构反馈%(late)s：%(result)s") % {"on": replied_on, "late": late, "result": result},
    )
    log_case(actor, "institution_replied", case, late=forwarding.replied_late)
    return case


@transaction.atomic
def complaint_follow_up(*, actor, case: Case, version: int, satisfaction: str, note: str = "", on=None) -> Case:
    """回访: the office checks with the complainant and records whether they are satisfied."""
    case = begin_transition(actor, case, version, "complaint_follow_up")
    if satisfaction not in Satisfaction.values:
        raise ValidationError(_("请选择回访满意度。"))
    forwarding = case.forwarding
    on = on or timezone.localdate()
    _check_date(on, earliest=forwarding.replied_on, message=_("回访日期应在机构反馈日期和今天之间。"))
    forwarding.follow_up_on = on
    forwarding.follow_up_note = (note or "").strip()
    forwarding._change_reason = _("回访")
    forwarding.save(update_fields=["follow_up_on", "follow_up_note"])
    case.satisfaction = satisfaction
    save_case(case, reason=_("回访"), fields=["satisfaction"])
    record_event(
        case=case,
        actor=actor,
        action="followed_up",
        from_status=case.status,
        note=_("%(on)s 回访：%(s)s。%(note)s") % {"on": on, "s": Satisfaction(satisfaction).label, "note": note},
    )
    log_case(actor, "followed_up", case, satisfaction=satisfaction)
    return case


@transaction.atomic
def complaint_escalate(*, actor, case: Case, version: int, route: str, note: str) -> Case:
    """Not resolved: escalate (mediation, the institution's upper level, a 举报) and close this complaint."""
    case = begin_transition(actor, case, version, "complaint_escalate")
    if route not in ESCALATIONS:
        raise ValidationError(_("请选择升级处理方式。"))
    note = require_note(note, _("请说明升级处理的原因。"))
    from_status = case.status
    text = f"{ESCALATIONS[route]}：{note}"
    fields = finish_case(case, closure=Closure.ESCALATED, result=text)
    save_case(case, reason=_("升级处理"), fields=fields)
    record_event(case=case, actor=actor, action="escalated", from_status=from_status, note=text)
    log_case(actor, "escalated", case, route=route)
    return case
