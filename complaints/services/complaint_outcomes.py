"""How a 转办投诉 ends other than resolved (docs/domain.md, "受理渠道与流程"): withdrawn by the complainant (撤回),
or, after a 不满意 回访, 核查 by the institution's upper level (C-CHECK) or a 举报 opened with its materials.

Mediation, the third escalation, is the mediation app's referral (`mediation_refer_from_case`); its outcome
closes the complaint through `mediation_link`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Attachment, Case
from ..models.choices import CaseStatus, CaseType, Closure, NoticeVia, Satisfaction
from ..search import case_reindex
from .case_counts import case_save
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
from .intake import case_number


def _require_date(on, *, earliest, field: str, message: str):
    if on is None or on > timezone.localdate() or (earliest is not None and on < earliest):
        raise ValidationError({field: [message]})
    return on


def _require_dissatisfied(case: Case) -> None:
    if case.satisfaction != Satisfaction.DISSATISFIED:
        raise ValidationError(_("只有回访不满意的投诉才能申请机构上级核查或转为举报办理。"), code="bad_state")


@transaction.atomic
def complaint_withdraw(*, actor, case: Case, version: int, via: str, on, note: str = "") -> Case:
    """撤回: the complainant withdraws (how, when); the complaint closes as 撤回 and its clocks stop."""
    case = begin_transition(actor, case, version, "complaint_withdraw")
    if via not in NoticeVia.values:
        raise ValidationError({"via": [_("请选择投诉人撤回的方式。")]})
    _require_date(
        on, earliest=case.received_on, field="on", message=_("撤回日期应在收到投诉的日期和今天之间，不能晚于今天。")
    )
    note = (note or "").strip()
    from_status = case.status
    text = _("投诉人于 %(on)s 以%(via)s方式撤回投诉。%(note)s") % {"on": on, "via": NoticeVia(via).label, "note": note}
    fields = finish_case(case, closure=Closure.WITHDRAWN, result=text.strip())
    case.withdrawn_on = on
    case.withdrawal_via = via
    save_case(case, reason=_("撤回"), fields=[*fields, "withdrawn_on", "withdrawal_via"])
    record_event(case=case, actor=actor, action="withdrawn", from_status=from_status, note=text.strip())
    log_case(actor, "withdrawn", case, via=via)
    return case


@transaction.atomic
def complaint_check_request(*, actor, case: Case, version: int, requested_on, office: str, note: str = "") -> Case:
    """核查: after a 不满意 回访 the complainant asks the institution's upper level to re-check; C-CHECK starts."""
    case = begin_transition(actor, case, version, "complaint_check")
    _require_dissatisfied(case)
    forwarding = case.forwarding
    if forwarding.check_requested_on is not None:
        raise ValidationError(_("已登记核查申请。"))
    office = require_note(office, _("请填写进行核查的机构上级机构。"))
    _require_date(
        requested_on,
        earliest=forwarding.follow_up_on or forwarding.replied_on,
        field="requested_on",
        message=_("申请核查的日期应在回访日期和今天之间。"),
    )
    forwarding.check_requested_on = requested_on
    forwarding.check_office = office
    forwarding._change_reason = _("申请核查")
    forwarding.save(update_fields=["check_requested_on", "check_office"])
    open_rule_deadline(case, rule_code="C-CHECK", started_on=requested_on, label=_("机构上级核查"), actor=actor)
    sync_due_on(case)
    save_case(case, reason=_("申请核查"), fields=["due_on"])
    text = _("%(on)s 投诉人申请由%(office)s核查。%(note)s") % {"on": requested_on, "office": office, "note": note}
    record_event(case=case, actor=actor, action="check_requested", from_status=case.status, note=text.strip())
    log_case(actor, "check_requested", case)
    return case


@transaction.atomic
def complaint_check_result(*, actor, case: Case, version: int, result: str, on) -> Case:
    """The upper level's 核查 result: C-CHECK ends and the complaint closes as escalated (never as resolved)."""
    case = begin_transition(actor, case, version, "complaint_check_result")
    forwarding = case.forwarding
    if forwarding.check_requested_on is None or forwarding.check_result_on is not None:
        raise ValidationError(_("没有待登记结果的核查申请。"), code="bad_state")
    result = require_note(result, _("请填写核查结果。"))
    _require_date(
        on,
        earliest=forwarding.check_requested_on,
        field="on",
        message=_("核查结果日期应在申请核查日期和今天之间。"),
    )
    forwarding.check_result = result
    forwarding.check_result_on = on
    forwarding._change_reason = _("核查结果")
    forwarding.save(update_fields=["check_result", "check_result_on"])
    complete_rule_deadline(case, "C-CHECK", on)
    from_status = case.status
    text = _("%(office)s %(on)s 核查结果：%(result)s") % {"office": forwarding.check_office, "on": on, "result": result}
    fields = finish_case(case, closure=Closure.ESCALATED, result=text)
    save_case(case, reason=_("核查结果"), fields=fields)
    record_event(case=case, actor=actor, action="check_result", from_status=from_status, note=text)
    log_case(actor, "check_result", case)
    return case


def _report_content(case: Case) -> str:
    forwarding = case.forwarding
    lines = [case.content.strip()] if case.content.strip() else []
    lines.append(_("（由转办投诉 %(n)s 转为举报办理）") % {"n": case.number})
    if forwarding.institution_result:
        lines.append(_("机构处理结果：%(r)s") % {"r": forwarding.institution_result})
    if forwarding.follow_up_note:
        lines.append(_("回访情况：%(r)s") % {"r": forwarding.follow_up_note})
    return "\n".join(lines)


def _copy_attachments(source: Case, target: Case, actor) -> int:
    """The complaint's files become the report's materials too (the same stored files, new rows)."""
    copied = 0
    for attachment in Attachment.objects.filter(case=source).order_by("pk"):
        twin = Attachment(
            case=target,
            kind=attachment.kind,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            description=attachment.description or _("转自 %(n)s") % {"n": source.number},
            uploaded_by=actor,
        )
        twin._change_reason = _("转为举报：随附投诉材料")
        twin.save()
        copied += 1
    return copied


@transaction.atomic
def complaint_to_report(*, actor, case: Case, version: int, note: str) -> Case:
    """转为举报办理: a 举报 opened with the complaint's person, institution, facts and files, linked both ways; the
    complaint closes as escalated. Returns the new report."""
    case = begin_transition(actor, case, version, "complaint_to_report")
    _require_dissatisfied(case)
    note = require_note(note, _("请说明转为举报办理的理由。"))
    now = timezone.now()
    today = timezone.localdate(now)
    report = Case(
        org=case.org,
        number=case_number(org=case.org, case_type=CaseType.REPORT, year=today.year),
        case_type=CaseType.REPORT,
        channel=case.channel,
        reference_no=case.reference_no,
        received_at=now,
        received_on=today,
        name=case.name,
        id_number=case.id_number,
        phone=case.phone,
        address=case.address,
        group_size=case.group_size,
        institution=case.institution,
        business=case.business,
        cause=case.cause,
        summary=case.summary,
        content=_report_content(case),
        owner=case.owner,
        backup=case.backup,
        status=CaseStatus.REGISTERED,
        escalated_from=case,
        created_by=actor,
    )
    report._change_reason = _("由转办投诉转为举报")
    case_save(report)
    copied = _copy_attachments(case, report, actor)
    open_rule_deadline(report, rule_code="R-ACK", started_on=today, label=_("举报受理告知"), actor=actor)
    case_reindex(report)
    if sync_due_on(report):
        case_save(report, update_fields=["due_on", "due_provisional"])
    record_event(
        case=report,
        actor=actor,
        action="registered",
        note=_("由转办投诉 %(n)s 转为举报办理（回访不满意）：%(note)s") % {"n": case.number, "note": note},
    )
    log_case(actor, "registered", report, channel=report.channel, case_type=report.case_type, attachments=copied)

    from_status = case.status
    text = _("转为举报办理，举报件 %(n)s：%(note)s") % {"n": report.number, "note": note}
    fields = finish_case(case, closure=Closure.ESCALATED, result=text)
    save_case(case, reason=_("转为举报办理"), fields=fields)
    record_event(case=case, actor=actor, action="escalated_to_report", from_status=from_status, note=text)
    log_case(actor, "escalated_to_report", case, report=report.number)
    return report
