"""转办投诉 (complaint forwarded to an institution): forward, acknowledgement, extension, result, 回访."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import deadlines as deadline_services

from ..models import Case, CaseDocument, ExtensionRequest, Forwarding
from ..models.choices import CaseStatus, Closure, NoticeVia, Satisfaction
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
# Mediation, 核查 and 举报 are actions of their own (the mediation referral, complaint_check_request,
# complaint_to_report); what is left is recorded here and closes the complaint as escalated.
ESCALATIONS = {
    "other": _("其他方式处理"),
}


def _check_date(on, *, earliest, message):
    if on > timezone.localdate() or (earliest and on < earliest):
        raise ValidationError(message)


def _check_notice(told_via: str, told_on, case: Case) -> None:
    """How and when the complainant was told: a known way, a date between receipt and today."""
    errors = {}
    if told_via not in NoticeVia.values:
        errors["told_via"] = [_("请选择告知投诉人的方式。")]
    if told_on is None:
        errors["told_on"] = [_("请填写告知投诉人的日期。")]
    elif told_on > timezone.localdate():
        errors["told_on"] = [_("告知投诉人的日期不能晚于今天。")]
    elif told_on < case.received_on:
        errors["told_on"] = [_("告知投诉人的日期不能早于收到投诉的日期。")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def complaint_forward(
    *,
    actor,
    case: Case,
    version: int,
    told_via: str = "",
    told_on=None,
    requirement: str = "",
    institution=None,
) -> Forwarding:
    """转办: send the complaint to the institution with a 转办单 and tell the complainant (C-FWD ends).

    The institution's 15 days (C-INST) start at its 签收, not here (docs/domain.md, "期限规则").
    """
    case = begin_transition(actor, case, version, "complaint_forward")
    institution = institution or case.institution
    if institution is None:
        raise ValidationError(_("请先选择被投诉机构。"))
    _check_notice(told_via, told_on, case)
    today = timezone.localdate()
    from_status = case.status
    if institution != case.institution:
        case.institution = institution
    complete_rule_deadline(case, "C-FWD", today)
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
        complainant_told_via=told_via,
        complainant_told_on=told_on,
    )
    forwarding._change_reason = _("转办")
    forwarding.save()
    # The notice to the complainant is a document too (投诉转办告知书), printable for the file or the post.
    document_issue(
        case=case,
        kind=CaseDocument.Kind.FORWARDING_NOTICE,
        actor=actor,
        body={"told_via": told_via, "told_on": told_on.isoformat(), "slip_number": slip_number},
        on=today,
    )
    case.status = CaseStatus.FORWARDED
    sync_due_on(case)
    save_case(case, reason=_("转办机构"), fields=["status", "institution", "due_on"])
    record_event(
        case=case,
        actor=actor,
        action="forwarded",
        from_status=from_status,
        note=_("转办 %(inst)s，转办单 %(no)s；%(on)s 以%(via)s告知投诉人")
        % {"inst": institution, "no": slip_number, "on": told_on, "via": NoticeVia(told_via).label},
    )
    log_case(actor, "forwarded", case, institution_id=institution.pk, slip_number=slip_number, told_via=told_via)
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
    # C-INST runs from the institution's 签收 (投诉办法第十八条: 自收到投诉之日起). A complaint forwarded before
    # this rule had its clock started at forwarding: that one gives way to the one from the 签收.
    earlier = open_deadline(case, "C-INST")
    if earlier is not None:
        deadline_services.deadline_cancel(deadline=earlier, reason=_("改为自机构签收之日起算"))
    open_rule_deadline(
        case, rule_code="C-INST", started_on=acknowledged_on, label=_("机构处理并告知投诉人"), actor=actor
    )
    from_status = case.status
    case.status = CaseStatus.INSTITUTION_ACKNOWLEDGED
    sync_due_on(case)
    save_case(case, reason=_("机构签收"), fields=["status", "due_on"])
    record_event(
        case=case,
        actor=actor,
        action="institution_acknowledged",
        from_status=from_status,
        note=_("%(on)s 机构签收 %(by)s") % {"on": acknowledged_on, "by": forwarding.acknowledged_by},
    )
    log_case(actor, "institution_acknowledged", case)
    return case


def _check_second_approval(level: str, approved_by: str, approved_on, forwarding: Forwarding) -> str:
    """A second extension (to 60 days in total) needs the approval of the institution's 上级机构 or 总行/总公司
    senior management (投诉办法第十八条): who approved and when."""
    approved_by = (approved_by or "").strip()
    if level != Forwarding.InstitutionExtension.VERY_COMPLEX:
        return ""
    errors = {}
    if not approved_by:
        errors["approved_by"] = [_("延长至共60日须经机构的上级机构或总行、总公司高级管理人员审批：请填写审批人。")]
    if approved_on is None:
        errors["approved_on"] = [_("请填写上级机构或总行、总公司高级管理人员的审批日期。")]
    elif approved_on > timezone.localdate() or approved_on < forwarding.forwarded_on:
        errors["approved_on"] = [_("审批日期应在转办日期和今天之间。")]
    if errors:
        raise ValidationError(errors)
    return approved_by


@transaction.atomic
def complaint_institution_extend(
    *, actor, case: Case, version: int, level: str, reason: str, approved_by: str = "", approved_on=None
) -> Case:
    """The institution's own extension: complex → 30 days in total; especially complex → 60 in total, approved by
    its upper level or head office's senior management."""
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
    forwarding = case.forwarding
    approved_by = _check_second_approval(level, approved_by, approved_on, forwarding)
    deadline_services.deadline_extend(deadline=deadline, days=days, actor=actor, reason=reason)
    approval = _("，经%(by)s于%(on)s批准") % {"by": approved_by, "on": approved_on} if approved_by else ""
    request = ExtensionRequest(
        case=case,
        deadline=deadline,
        days=days,
        reason=reason,
        requested_by=actor,
        state=ExtensionRequest.State.APPROVED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=_("机构自行延期（%(level)s）%(approval)s")
        % {"level": Forwarding.InstitutionExtension(level).label, "approval": approval},
    )
    request._change_reason = _("登记机构延期")
    request.save()
    forwarding.extension = level
    forwarding.extension_reason = reason
    forwarding.extension_approved_by = approved_by
    forwarding.extension_approved_on = approved_on if approved_by else None
    forwarding._change_reason = _("机构延期")
    forwarding.save(update_fields=["extension", "extension_reason", "extension_approved_by", "extension_approved_on"])
    sync_due_on(case)
    save_case(case, reason=_("机构延期"), fields=["due_on"])
    record_event(
        case=case,
        actor=actor,
        action="institution_extended",
        from_status=case.status,
        note=_("机构延期 %(days)s 天（%(level)s%(approval)s），期限至 %(due)s：%(reason)s")
        % {
            "days": days,
            "level": Forwarding.InstitutionExtension(level).label,
            "approval": approval,
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
    if deadline is None and forwarding.acknowledged_on is None:
        # No 签收 was recorded: the institution had the complaint at the latest from the day it was forwarded, so
        # its 15 days are counted from then (docs/domain.md, "受理渠道与流程").
        deadline = open_rule_deadline(
            case, rule_code="C-INST", started_on=forwarding.forwarded_on, label=_("机构处理并告知投诉人"), actor=actor
        )
    forwarding.replied_on = replied_on
    forwarding.institution_result = result
    forwarding.replied_late = bool(deadline is not None and replied_on > deadline.due_on)
    forwarding._change_reason = _("机构反馈")
    forwarding.save(update_fields=["replied_on", "institution_result", "replied_late"])
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
def complaint_restart(*, actor, case: Case, version: int, received_on, facts: str) -> Case:
    """A repeat complaint bringing new facts or reasons: the institution's clock (C-INST) starts again from its
    receipt of them; a repeat without them only joins the case (intake) and changes no clock."""
    case = begin_transition(actor, case, version, "complaint_restart")
    if not case.events.filter(action="repeat_contact").exists():
        raise ValidationError(_("本件没有登记重复投诉，不能重新起算机构办理期限。"), code="bad_state")
    facts = require_note(facts, _("请填写重复投诉中的新事实或新理由。"))
    forwarding = case.forwarding
    _check_date(
        received_on or timezone.localdate(),
        earliest=forwarding.forwarded_on,
        message=_("机构收到新事实、新理由的日期应在转办日期和今天之间。"),
    )
    received_on = received_on or timezone.localdate()
    running = open_deadline(case, "C-INST")
    if running is not None:
        deadline_services.deadline_cancel(deadline=running, reason=_("重复投诉有新事实、新理由：重新起算"))
    open_rule_deadline(
        case, rule_code="C-INST", started_on=received_on, label=_("机构处理并告知投诉人（重新起算）"), actor=actor
    )
    forwarding.acknowledged_on = received_on
    forwarding.extension = Forwarding.InstitutionExtension.NONE
    forwarding._change_reason = _("重复投诉有新事实、新理由")
    forwarding.save(update_fields=["acknowledged_on", "extension"])
    from_status = case.status
    case.status = CaseStatus.INSTITUTION_ACKNOWLEDGED
    case.satisfaction = ""
    sync_due_on(case)
    save_case(case, reason=_("重新起算机构办理期限"), fields=["status", "satisfaction", "due_on"])
    record_event(
        case=case,
        actor=actor,
        action="institution_clock_restarted",
        from_status=from_status,
        note=_("重复投诉有新事实、新理由，机构 %(on)s 收到，机构办理期限重新起算：%(facts)s")
        % {"on": received_on, "facts": facts},
    )
    log_case(actor, "institution_clock_restarted", case)
    return case


@transaction.atomic
def complaint_escalate(*, actor, case: Case, version: int, route: str, note: str) -> Case:
    """Not resolved, escalated some other way (recorded in the note): close this complaint as escalated."""
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
