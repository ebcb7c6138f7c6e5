"""Transitions every case type shares: progress notes, duplicates, extensions, reassignment, closure."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import deadlines as deadline_services
from core.services.audit import log_action

from ..models import Case, ExtensionRequest
from ..models.choices import CaseStatus, CaseType, Closure, Satisfaction
from .common import (
    any_deadline,
    finish_case,
    lock_case,
    log_case,
    open_deadline,
    record_event,
    require_handler,
    require_not_filed,
    require_note,
    require_supervisor,
    require_transition,
    save_case,
    sees_case,
    sync_due_on,
)
from .notices import notify_extension_decided, notify_extension_requested, notify_reassigned
from .petition_endings import issue_extension_notice, petition_closable, reply_rule

# The deadline an office extension applies to, per case type (docs/domain.md, "期限与工作日历": only these allow one);
# a 信访's depends on its kind (`extendable_rule`).
EXTENDABLE_RULE = {CaseType.PETITION: "P-REPLY", CaseType.REPORT: "R-FIND"}


def extendable_rule(case: Case) -> str | None:
    return reply_rule(case) if case.case_type == CaseType.PETITION else EXTENDABLE_RULE.get(case.case_type)


@transaction.atomic
def case_record_progress(*, actor, case: Case, version: int, note: str) -> Case:
    """办理: a note of what was done (calls made, material gathered) without changing the status."""
    case = lock_case(case, version)
    require_handler(actor, case)
    if not case.is_open:
        raise ValidationError(_("案件已办结，不能再记录办理情况。"))
    require_transition(actor, case, "progress")
    note = require_note(note, _("请填写办理情况。"))
    record_event(case=case, actor=actor, action="progress", from_status=case.status, note=note)
    save_case(case, reason=_("记录办理情况"), fields=[])
    return case


@transaction.atomic
def case_mark_duplicate(*, actor, case: Case, version: int, first_case: Case, note: str = "") -> Case:
    """Same matter already being handled: link the case to the first one and close it as a duplicate."""
    case = lock_case(case, version)
    require_handler(actor, case)
    require_transition(actor, case, "duplicate")
    if first_case is None or not sees_case(actor, first_case) or first_case.org_id != case.org_id:
        raise ValidationError(_("所选的首次案件不存在或不属于本单位。"))
    # Link to the root of a chain so that repeats are counted once against the first case.
    while first_case.duplicate_of_id:
        first_case = first_case.duplicate_of
    if first_case.pk == case.pk:
        raise ValidationError(_("案件不能作为自身的重复件。"))
    from_status = case.status
    case.duplicate_of = first_case
    fields = finish_case(
        case, closure=Closure.DUPLICATE, result=_("重复件，并入 %(n)s 办理") % {"n": first_case.number}
    )
    save_case(case, reason=_("重复件办结"), fields=[*fields, "duplicate_of"])
    record_event(
        case=case,
        actor=actor,
        action="duplicate",
        from_status=from_status,
        note=_("同一事项已在 %(n)s 办理。%(note)s") % {"n": first_case.number, "note": note},
    )
    record_event(
        case=first_case,
        actor=actor,
        action="repeat_linked",
        from_status=first_case.status,
        note=_("%(n)s 作为重复件并入本案") % {"n": case.number},
    )
    log_case(actor, "duplicate", case, first_case=first_case.number)
    return case


@transaction.atomic
def extension_request(*, actor, case: Case, version: int, days: int, reason: str) -> ExtensionRequest:
    """Ask the supervisor for more time on the reply (信访) or finding (举报) deadline."""
    case = lock_case(case, version)
    require_handler(actor, case)
    rule_code = extendable_rule(case)
    deadline = open_deadline(case, rule_code) if rule_code else None
    if deadline is None:
        raise ValidationError(_("该案件当前没有可以延期的办理期限。"))
    require_transition(actor, case, "extension_request")
    reason = require_note(reason, _("请填写延期理由。"))
    days = int(days or 0)
    if days <= 0:
        raise ValidationError(_("延期天数必须大于零。"))
    if case.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise ValidationError(_("已有一项延期申请待审批。"))
    maximum = deadline.rule.max_extension_days
    if maximum is not None and deadline.extension_days + days > maximum:
        raise ValidationError(
            _("延期后共 %(total)s 天，超过规则允许的最长延期 %(max)s 天。")
            % {"total": deadline.extension_days + days, "max": maximum}
        )
    request = ExtensionRequest(case=case, deadline=deadline, days=days, reason=reason, requested_by=actor)
    request._change_reason = _("申请延期")
    request.save()
    record_event(
        case=case,
        actor=actor,
        action="extension_requested",
        from_status=case.status,
        note=_("申请延期 %(days)s 天：%(reason)s") % {"days": days, "reason": reason},
    )
    save_case(case, reason=_("申请延期"), fields=[])
    log_case(actor, "extension_requested", case, days=days)
    notify_extension_requested(actor=actor, request=request)
    return request


@transaction.atomic
def extension_decide(*, actor, request: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    """The supervisor approves (the deadline moves, within the rule's maximum) or refuses an extension."""
    request = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("case", "deadline__rule")
        .get(pk=request.pk)
    )
    case = Case.objects.select_for_update(of=("self",)).select_related("org", "owner", "backup").get(pk=request.case_id)
    require_supervisor(actor, case)
    require_not_filed(case)
    if request.state != ExtensionRequest.State.PENDING:
        raise ValidationError(_("该延期申请已审批。"))
    if not approve and not (note or "").strip():
        raise ValidationError(_("不批准延期时请填写审批意见。"))
    if approve:
        deadline_services.deadline_extend(
            deadline=request.deadline, days=request.days, actor=actor, reason=request.reason
        )
        request.state = ExtensionRequest.State.APPROVED
        issue_extension_notice(case=case, request=request, actor=actor)
    else:
        request.state = ExtensionRequest.State.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = (note or "").strip()
    request._change_reason = _("审批延期")
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    fields = ["due_on"] if sync_due_on(case) else []
    save_case(case, reason=_("延期审批"), fields=fields)
    if approve:
        text = _("批准延期 %(days)s 天，期限至 %(due)s。") % {"days": request.days, "due": request.deadline.due_on}
    else:
        text = _("不批准延期。")
    record_event(
        case=case,
        actor=actor,
        approver=actor,
        action="extension_approved" if approve else "extension_rejected",
        from_status=case.status,
        note=f"{text}{request.decision_note}",
    )
    log_case(actor, "extended" if approve else "extension_rejected", case, days=request.days)
    request.case = case
    notify_extension_decided(actor=actor, request=request)
    return request


@transaction.atomic
def case_reassign(*, actor, case: Case, version: int, owner, backup, reason: str) -> Case:
    """Change A/B: needs the supervisor; open deadlines follow so reminders reach the new people."""
    case = lock_case(case, version)
    require_supervisor(actor, case)
    require_transition(actor, case, "reassign")
    reason = require_note(reason, _("请填写调整原因。"))
    if owner is None:
        raise ValidationError(_("请选择A岗。"))
    if backup is not None and backup.pk == owner.pk:
        raise ValidationError(_("A岗和B岗不能是同一人。"))
    for person in (owner, backup):
        if person is not None and person.org_id != case.org_id:
            raise ValidationError(_("A岗、B岗须为本单位人员。"))
    if (owner.pk, getattr(backup, "pk", None)) == (case.owner_id, case.backup_id):
        raise ValidationError(_("A岗、B岗没有变化。"))
    old = f"{case.owner} / {case.backup or '—'}"
    old_owner_id, old_backup_id = case.owner_id, case.backup_id
    case.owner, case.backup = owner, backup
    from .common import case_deadlines

    for deadline in case_deadlines(case).open().filter(content_type__model="case"):
        deadline_services.deadline_reassign(deadline=deadline, owner=owner, backup=backup)
    save_case(case, reason=_("调整A/B岗"), fields=["owner", "backup"])
    record_event(
        case=case,
        actor=actor,
        approver=actor,
        action="reassigned",
        from_status=case.status,
        note=_("由 %(old)s 调整为 %(new)s：%(reason)s")
        % {"old": old, "new": f"{owner} / {backup or '—'}", "reason": reason},
    )
    log_case(actor, "reassigned", case, owner_id=owner.pk, backup_id=getattr(backup, "pk", None))
    notify_reassigned(actor=actor, case=case, old_owner_id=old_owner_id, old_backup_id=old_backup_id)
    return case


def closable(case: Case) -> tuple[bool, str]:
    """Whether the case has reached the end of its path (docs/domain.md, "受理渠道与流程"), and why not."""
    if not case.is_open:
        return False, _("案件已办结。")
    if case.case_type == CaseType.PETITION:
        documents = list(case.documents.values_list("kind", "delivered_on"))
        why = petition_closable(case, {k for k, _on in documents}, {k for k, on in documents if on})
        if why:
            return False, why
    elif case.case_type == CaseType.REPORT:
        if case.status != CaseStatus.REPLIED:
            return False, _("举报件须作出调查结论后才能办结。")
        if not case.is_anonymous:
            finding = case.documents.filter(kind="report_finding").first()
            if finding is None or finding.delivered_on is None:
                return False, _("举报件须将调查结论告知举报人后才能办结。")
    else:
        forwarding = getattr(case, "forwarding", None)
        if case.status != CaseStatus.INSTITUTION_REPLIED or forwarding is None:
            return False, _("转办投诉须机构反馈处理结果后才能办结。")
        # A repeat with new facts clears the satisfaction: the new result needs its own 回访.
        if forwarding.follow_up_on is None or not case.satisfaction:
            return False, _("转办投诉须完成回访后才能办结。")
        if case.satisfaction == Satisfaction.DISSATISFIED:
            return False, _("投诉人回访不满意，不能按已解决办结：请转调解、申请机构上级核查或转为举报办理。")
    return True, ""


@transaction.atomic
def case_close(*, actor, case: Case, version: int, result: str = "", note: str = "") -> Case:
    """办结 at the end of the path; sets closed_at and whether the office kept its deadlines."""
    case = lock_case(case, version)
    require_handler(actor, case)
    ok, why = closable(case)
    if not ok:
        raise ValidationError(why, code="bad_state")
    require_transition(actor, case, "close")
    from_status = case.status
    fields = finish_case(case, closure=Closure.RESOLVED, result=(result or "").strip())
    save_case(case, reason=_("办结"), fields=fields)
    record_event(case=case, actor=actor, action="closed", from_status=from_status, note=(note or result or "").strip())
    log_case(actor, "closed", case, on_time=case.closed_on_time)
    return case


def personal_data_revealed(*, actor, case: Case) -> None:
    """Log that the full personal data of the case was shown to `actor` (docs/domain.md, "个人信息")."""
    from .common import can_reveal_personal_data

    if not can_reveal_personal_data(actor, case):
        raise PermissionDenied(_("只有本案件的A岗、B岗和支局负责人可以查看完整个人信息。"))
    log_action(actor=actor, action="complaints.case.personal_data_revealed", target=case, number=case.number)


__all__ = [
    "EXTENDABLE_RULE",
    "any_deadline",
    "case_close",
    "case_mark_duplicate",
    "case_reassign",
    "case_record_progress",
    "closable",
    "extension_decide",
    "extension_request",
    "personal_data_revealed",
]
