"""The complaints side of a mediation: a case referred to the workstation, and the outcome flowing back.

Called only by the mediation app's services. A forwarded complaint's institution clock (C-INST) does not run
during mediation (投诉办法 Art 18; docs/domain.md「暂停计时」): the referral pauses it, the outcome resumes it.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Case, CaseEvent, CaseSupplement
from complaints.models.choices import CaseStatus, CaseType, Closure
from core.models import Deadline, PauseKind
from core.services.audit import log_action
from core.services.deadlines import deadline_complete

from .case_counts import case_save
from .common import is_filed, open_deadline, require_not_filed, save_case, sync_due_on
from .pauses import open_case_pauses, pause_clocks, resume_clocks


def _add_event(*, case: Case, actor, action: str, note: str, from_status: str = "", to_status: str = "") -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
        occurred_at=timezone.now(),
    )


@transaction.atomic
def case_record_mediation_referral(*, actor, case: Case, mediation_number: str) -> CaseEvent:
    """Note on the case that it went to the mediation workstation; the case stays open until the outcome."""
    if not case.is_open:
        raise ValidationError(_("该案件已办结，不能转调解。"))
    event = _add_event(
        case=case,
        actor=actor,
        action="mediation_referred",
        note=_("转“莱和州安”金融纠纷调解工作站调解，调解案号 %(number)s。") % {"number": mediation_number},
        from_status=case.status,
        to_status=case.status,
    )
    log_action(actor=actor, action="complaints.case.referred_to_mediation", target=case, mediation=mediation_number)
    institution_clock = open_deadline(case, "C-INST") if case.case_type == CaseType.COMPLAINT else None
    if institution_clock is not None and institution_clock.paused_since is None:
        today = timezone.localdate()
        reason = _("转调解（%(number)s），调解期间机构处理期限不计") % {"number": mediation_number}
        pause_clocks(case, actor=actor, kind=PauseKind.MEDIATION, reason=reason, start_on=today)
        sync_due_on(case)
        save_case(case, reason=_("转调解，暂停计时"), fields=["due_on"])
        _add_event(
            case=case, actor=actor, action="clock_paused", note=reason, from_status=case.status, to_status=case.status
        )
    return event


def _resume_after_mediation(case: Case, *, actor, concluded_on, result: str) -> Case:
    """The mediation failed or ended without agreement: the institution still owes its decision, so its clock
    resumes (the pause's last day is the conclusion day) and the case stays open."""
    resumed = resume_clocks(case, actor=actor, end_on=concluded_on, kind=PauseKind.MEDIATION)
    sync_due_on(case)
    dues = "、".join(f"{d.label} {d.due_on:%Y-%m-%d}" for d in resumed)
    note = _("%(result)s 调解结束，恢复计时；重算后的期限：%(dues)s") % {"result": result, "dues": dues}
    save_case(case, reason=_("调解结束，恢复计时"), fields=["due_on"])
    _add_event(
        case=case, actor=actor, action="clock_resumed", note=note, from_status=case.status, to_status=case.status
    )
    log_action(actor=actor, action="complaints.case.mediation_ended_clock_resumed", target=case)
    return case


@transaction.atomic
def case_record_mediation_outcome(
    *,
    actor,
    case: Case,
    resolved: bool,
    result: str,
    amount_recovered: Decimal | None,
    closure: str | None = None,
    concluded_on=None,
) -> Case:
    """Close the originating case with the mediation's result and amount.

    Completes the case's open deadlines and clears the mirrored due date. A case its handler has already
    closed keeps its closure; the mediation's result and amount are still recorded on it. A forwarded
    complaint whose institution clock the referral paused is closed only by an agreement; otherwise the clock
    resumes and the institution still decides.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_not_filed(case)
    now = timezone.now()
    today = timezone.localdate(now)
    concluded_on = concluded_on or today
    paused_by_mediation = case.is_open and any(p.kind == PauseKind.MEDIATION for p in open_case_pauses(case))
    if paused_by_mediation and not resolved:
        return _resume_after_mediation(case, actor=actor, concluded_on=concluded_on, result=result)
    if paused_by_mediation:
        resume_clocks(case, actor=actor, end_on=concluded_on, kind=PauseKind.MEDIATION)
        sync_due_on(case)
    from_status = case.status
    fields = ["result", "amount_recovered", "version", "updated_at"]
    case.result = f"{case.result}\n{result}".strip() if case.result and not case.is_open else result
    case.amount_recovered = amount_recovered
    if case.is_open:
        case.status = CaseStatus.CLOSED
        case.closure = closure or (Closure.RESOLVED if resolved else Closure.ESCALATED)
        case.closed_at = now
        case.closed_on_time = case.due_on is None or today <= case.due_on
        case.due_on = None
        case.clock_paused = False
        fields += ["status", "closure", "closed_at", "closed_on_time", "due_on", "clock_paused"]
        open_deadlines = Deadline.objects.open().filter(
            content_type=ContentType.objects.get_for_model(Case), object_id=case.pk
        )
        for deadline in open_deadlines:
            deadline_complete(deadline=deadline, completed_on=today)
    case.version += 1
    case._change_reason = _("调解结果回填并办结") if from_status != case.status else _("调解结果回填")
    case_save(case, update_fields=fields)
    _add_event(
        case=case,
        actor=actor,
        action="mediation_outcome",
        note=result,
        from_status=from_status,
        to_status=case.status,
    )
    log_action(
        actor=actor,
        action="complaints.case.closed_by_mediation",
        target=case,
        resolved=resolved,
        closure=case.closure,
        amount_recovered=str(amount_recovered) if amount_recovered is not None else None,
    )
    return case


@transaction.atomic
def case_update_mediation_amount(*, actor, case: Case, amount_recovered: Decimal) -> Case:
    """Later performance of a mediation agreement changes the amount actually recovered for the consumer."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.amount_recovered == amount_recovered:
        return case
    if is_filed(case):
        # A filed case is read-only: the later figure joins its file as a supplement (docs/domain.md, "归档").
        CaseSupplement.objects.create(
            case=case,
            kind=CaseSupplement.Kind.MATERIAL,
            text=_("调解协议履行，实际挽回金额更新为 %(amount)s 元。") % {"amount": amount_recovered},
            added_by=actor,
            added_at=timezone.now(),
        )
        log_action(
            actor=actor,
            action="complaints.case.supplement_added",
            target=case,
            kind=CaseSupplement.Kind.MATERIAL,
            amount_recovered=str(amount_recovered),
        )
        return case
    case.amount_recovered = amount_recovered
    case.version += 1
    case._change_reason = _("调解协议履行金额更新")
    case_save(case, update_fields=["amount_recovered", "version", "updated_at"])
    log_action(
        actor=actor,
        action="complaints.case.mediation_amount_updated",
        target=case,
        amount_recovered=str(amount_recovered),
    )
    return case
