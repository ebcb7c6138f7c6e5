"""The outcome of a mediation, judicial confirmation, performance, and the flow back to the originating case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services.audit import log_action
from core.services.deadlines import deadline_cancel, deadline_complete, deadline_open
from core.services.numbering import next_number
from mediation.models import MediationCase, Outcome, Payment, Source, Status

from .common import (
    PERIOD_RULES,
    deadline_owner,
    open_deadlines,
    refresh_due_on,
    require_mediator_or_office,
    require_office,
    require_open,
)

# How each outcome closes the originating ledger case (complaints.models.choices.Closure values).
_CLOSURE = {
    Outcome.AGREEMENT: "resolved",
    Outcome.FAILURE: "escalated",
    Outcome.RETURNED_TO_COURT: "escalated",
    Outcome.TERMINATION: "escalated",
    Outcome.WITHDRAWAL: "withdrawn",
}


def _money(value: Decimal | None) -> str:
    return f"{value:,.2f}" if value is not None else "—"


def outcome_sentence(case: MediationCase) -> str:
    """The result written back to the ledger case, e.g. "经调解达成协议，协议金额 5,000.00 元。"."""
    if case.outcome == Outcome.AGREEMENT:
        text = _("经“莱和州安”金融纠纷调解工作站调解（%(number)s），双方达成调解协议，协议金额 %(amount)s 元。") % {
            "number": case.number,
            "amount": _money(case.amount_agreed),
        }
    else:
        text = _("经“莱和州安”金融纠纷调解工作站调解（%(number)s）：%(outcome)s。") % {
            "number": case.number,
            "outcome": case.get_outcome_display(),
        }
    if case.outcome_note:
        text += case.outcome_note
    return text


def _concluded_outcome(case: MediationCase, outcome: str, concluded_on: dt.date) -> str:
    """Check the date; a failed court referral goes back to the court."""
    if concluded_on > timezone.localdate():
        raise ValidationError(_("结案日期不能晚于今天。"))
    if concluded_on < case.received_on:
        raise ValidationError(_("结案日期不能早于收案日期。"))
    if outcome == Outcome.FAILURE and case.is_court_referral:
        outcome = Outcome.RETURNED_TO_COURT
    if outcome == Outcome.RETURNED_TO_COURT and not case.is_court_referral:
        raise ValidationError(_("只有法院委派或委托的调解才能退回法院。"))
    return outcome


def _record_agreement(
    case: MediationCase,
    *,
    concluded_on: dt.date,
    agreement_terms: str,
    performance_method: str,
    performance_due_on: dt.date | None,
    amount_agreed: Decimal | None,
    disputed_points: str | None,
) -> list[str]:
    """Check and set the agreement's terms and number; returns the fields set."""
    if case.status != Status.MEDIATING:
        raise ValidationError(_("双方同意并经调解员回避声明后开展调解，才能达成调解协议。"))
    if not case.sessions.exists():
        raise ValidationError(_("尚无调解记录，不能登记调解协议。"))
    if not agreement_terms.strip():
        raise ValidationError(_("请填写调解协议内容。"))
    if not performance_method.strip() or performance_due_on is None:
        raise ValidationError(_("请填写协议的履行方式和履行期限。"))
    if performance_due_on < concluded_on:
        raise ValidationError(_("履行期限不能早于协议签订日期。"))
    if amount_agreed is None or amount_agreed < 0:
        raise ValidationError(_("请填写协议金额（无金额的填 0）。"))
    case.agreement_terms = agreement_terms.strip()
    case.performance_method = performance_method.strip()
    case.performance_due_on = performance_due_on
    case.amount_agreed = amount_agreed
    case.agreement_number = (
        f"莱和调协〔{concluded_on.year}〕{next_number(org=case.org, key='TJXY', year=concluded_on.year)}号"
    )
    fields = ["agreement_terms", "performance_method", "performance_due_on", "amount_agreed", "agreement_number"]
    if disputed_points is not None:
        case.disputed_points = disputed_points
        fields.append("disputed_points")
    return fields


def _open_confirmation_clock(case: MediationCase, *, actor, concluded_on: dt.date) -> None:
    owner, backup = deadline_owner(case)
    deadline_open(
        item=case,
        rule_code="M-CONF",
        started_on=concluded_on,
        label=f"{case.number} {_('申请司法确认')}",
        org=case.org,
        owner=owner,
        backup=backup,
        institution_id=case.institution_id,
        item_kind="mediation",
        actor=actor,
    )


def _write_back_to_origin(case: MediationCase, *, actor) -> None:
    """Close the originating ledger case with the mediation's result."""
    from complaints.services.mediation_link import case_record_mediation_outcome

    agreed = case.outcome == Outcome.AGREEMENT
    case_record_mediation_outcome(
        actor=actor,
        case=case.origin_case,
        resolved=agreed,
        result=outcome_sentence(case),
        amount_recovered=case.amount_agreed if agreed else None,
        closure=_CLOSURE[case.outcome],
        concluded_on=case.concluded_on,
    )


@transaction.atomic
def mediation_record_outcome(
    *,
    actor,
    case: MediationCase,
    outcome: str,
    concluded_on: dt.date | None = None,
    note: str = "",
    agreement_terms: str = "",
    performance_method: str = "",
    performance_due_on: dt.date | None = None,
    amount_agreed: Decimal | None = None,
    disputed_points: str | None = None,
) -> MediationCase:
    """Conclude the mediation. An agreement starts the 30-day judicial-confirmation clock (M-CONF), except a 委托
    one, which goes back to the court instead (`mediation_return_to_court`).

    A court referral that fails goes back to the court. The originating ledger case is closed with the result.
    """
    require_mediator_or_office(actor, case)
    require_open(case)
    concluded_on = concluded_on or timezone.localdate()
    outcome = _concluded_outcome(case, outcome, concluded_on)
    fields = ["outcome", "concluded_on", "outcome_note", "status", "updated_at"]
    if outcome == Outcome.AGREEMENT:
        fields += _record_agreement(
            case,
            concluded_on=concluded_on,
            agreement_terms=agreement_terms,
            performance_method=performance_method,
            performance_due_on=performance_due_on,
            amount_agreed=amount_agreed,
            disputed_points=disputed_points,
        )
    elif not note.strip():
        raise ValidationError(_("请说明调解未成、撤回或终止的原因。"))
    case.outcome = outcome
    case.concluded_on = concluded_on
    case.outcome_note = note.strip()
    case.status = Status.CONCLUDED
    case._change_reason = _("调解结案：%(o)s") % {"o": case.get_outcome_display()}
    case.save(update_fields=fields)
    for deadline in open_deadlines(case, *PERIOD_RULES):
        deadline_complete(deadline=deadline, completed_on=concluded_on)
    if outcome == Outcome.AGREEMENT and case.confirmation_allowed:
        _open_confirmation_clock(case, actor=actor, concluded_on=concluded_on)
    refresh_due_on(case)
    log_action(
        actor=actor,
        action="mediation.case.concluded",
        target=case,
        outcome=outcome,
        amount_agreed=str(amount_agreed) if amount_agreed is not None else None,
    )
    if case.origin_case_id:
        _write_back_to_origin(case, actor=actor)
    return case


def _refuse_entrusted(case: MediationCase) -> None:
    if not case.confirmation_allowed:
        raise ValidationError(
            _("法院立案后委托调解达成的协议不申请司法确认：应退回委托法院，由法院依法出具调解书。请登记“退回法院”。"),
            code="entrusted",
        )


@transaction.atomic
def mediation_return_to_court(*, actor, case: MediationCase, returned_on: dt.date, note: str) -> MediationCase:
    """A 委托 agreement goes back to the court that entrusted the case (退回法院), which makes it a 调解书."""
    require_office(actor, case)
    if case.outcome != Outcome.AGREEMENT or case.source != Source.COURT_AFTER_FILING:
        raise ValidationError(
            _("只有法院立案后委托调解达成的协议才退回法院；委派调解和工作站调解的协议可以申请司法确认。")
        )
    if case.returned_to_court_on is not None:
        raise ValidationError(_("该调解协议已于 %(d)s 退回法院。") % {"d": case.returned_to_court_on.isoformat()})
    if returned_on > timezone.localdate() or returned_on < case.concluded_on:
        raise ValidationError(_("退回日期应在协议签订之后、今天之前。"))
    if not note.strip():
        raise ValidationError(_("请填写移送说明。"))
    case.returned_to_court_on = returned_on
    case.returned_to_court_note = note.strip()
    case._change_reason = _("委托调解协议退回法院")
    case.save(update_fields=["returned_to_court_on", "returned_to_court_note", "updated_at"])
    log_action(actor=actor, action="mediation.case.returned_to_court", target=case)
    return case


@transaction.atomic
def mediation_record_confirmation(
    *,
    actor,
    case: MediationCase,
    applied_on: dt.date,
    court: str,
    case_number: str = "",
    ruling: str = "",
    ruled_on: dt.date | None = None,
) -> MediationCase:
    """The parties' joint application for judicial confirmation (司法确认) and, later, the court's ruling."""
    require_office(actor, case)
    if case.outcome != Outcome.AGREEMENT:
        raise ValidationError(_("只有达成调解协议的案件才能申请司法确认。"))
    _refuse_entrusted(case)
    if applied_on < case.concluded_on or applied_on > timezone.localdate():
        raise ValidationError(_("申请日期应在协议签订之后、今天之前。"))
    if not court.strip():
        raise ValidationError(_("请填写受理司法确认的法院。"))
    if ruled_on and ruled_on < applied_on:
        raise ValidationError(_("裁定日期不能早于申请日期。"))
    if ruled_on and not ruling.strip():
        raise ValidationError(_("请填写裁定结果。"))
    case.confirmation_applied_on = applied_on
    case.confirmation_court = court.strip()
    case.confirmation_case_number = case_number.strip()
    case.confirmation_ruling = ruling.strip()
    case.confirmation_ruled_on = ruled_on
    case._change_reason = _("登记司法确认")
    case.save(
        update_fields=[
            "confirmation_applied_on",
            "confirmation_court",
            "confirmation_case_number",
            "confirmation_ruling",
            "confirmation_ruled_on",
            "updated_at",
        ]
    )
    for deadline in open_deadlines(case, "M-CONF"):
        deadline_complete(deadline=deadline, completed_on=applied_on)
    refresh_due_on(case)
    log_action(actor=actor, action="mediation.case.confirmation", target=case, ruled=bool(ruled_on))
    return case


@transaction.atomic
def mediation_waive_confirmation(*, actor, case: MediationCase, reason: str) -> MediationCase:
    """Judicial confirmation is optional: the parties may decline it, which ends the M-CONF reminder."""
    require_office(actor, case)
    if case.outcome != Outcome.AGREEMENT:
        raise ValidationError(_("只有达成调解协议的案件才涉及司法确认。"))
    _refuse_entrusted(case)
    for deadline in open_deadlines(case, "M-CONF"):
        deadline_cancel(deadline=deadline, reason=reason or _("当事人不申请司法确认"))
    refresh_due_on(case)
    log_action(actor=actor, action="mediation.case.confirmation_waived", target=case)
    return case


@transaction.atomic
def payment_record(*, actor, case: MediationCase, paid_on: dt.date, amount: Decimal, note: str = "") -> Payment:
    """One performance of the agreement; the amount recovered flows back to the originating case."""
    require_mediator_or_office(actor, case)
    if case.outcome != Outcome.AGREEMENT:
        raise ValidationError(_("只有达成调解协议的案件才能登记履行情况。"))
    if amount is None or amount <= 0:
        raise ValidationError(_("履行金额必须大于零。"))
    if paid_on > timezone.localdate() or paid_on < case.concluded_on:
        raise ValidationError(_("履行日期应在协议签订之后、今天之前。"))
    payment = Payment(case=case, paid_on=paid_on, amount=amount, note=note, recorded_by=actor)
    payment._change_reason = _("登记履行")
    payment.save()
    case.amount_recovered = case.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    case._change_reason = _("履行金额更新")
    case.save(update_fields=["amount_recovered", "updated_at"])
    log_action(actor=actor, action="mediation.payment.recorded", target=case, amount=str(amount))
    if case.origin_case_id:
        from complaints.services.mediation_link import case_update_mediation_amount

        case_update_mediation_amount(actor=actor, case=case.origin_case, amount_recovered=case.amount_recovered)
    return payment
