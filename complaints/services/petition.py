"""信访 (petition): acknowledgement and route, not-our-remit, handling, written reply, delivery."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Case, CaseDocument
from ..models.choices import CaseStatus, Channel, Closure, Decision, PetitionKind
from .common import (
    any_deadline,
    begin_transition,
    cancel_rule_deadline,
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
from .petition_endings import REPLY_DOCUMENT, reply_rule
from .review import refuse_reviewed_matter


@transaction.atomic
def petition_accept(*, actor, case: Case, version: int, route: str, note: str = "") -> Case:
    """受理告知: accept and tell the petitioner how the matter will be handled; the reply clock starts."""
    case = begin_transition(actor, case, version, "petition_accept")
    route = require_note(route, _("请填写办理途径（告知信访人如何办理）。"))
    refuse_reviewed_matter(case)
    today = timezone.localdate()
    from_status = case.status
    complete_rule_deadline(case, "P-ACK", today)
    cancel_rule_deadline(case, "P-OBJ", _("属本机关职责，已受理"))
    # 申诉求决 runs P-REPLY to its 意见书; 建议意见 and 检举控告 run P-SUGGEST to their reply
    # (docs/domain.md, "期限规则").
    label = _("出具信访处理意见书") if case.petition_kind == PetitionKind.APPEAL else _("答复办理结果")
    open_rule_deadline(case, rule_code=reply_rule(case), started_on=today, label=label, actor=actor)
    case.status = CaseStatus.ACCEPTED
    case.accepted_on = today
    sync_due_on(case)
    save_case(case, reason=_("受理"), fields=["status", "accepted_on", "due_on"])
    document_issue(case=case, kind=CaseDocument.Kind.ACCEPTANCE, actor=actor, body={"route": route, "note": note})
    record_event(case=case, actor=actor, action="accepted", from_status=from_status, note=route)
    log_case(actor, "accepted", case)
    return case


@transaction.atomic
def petition_not_accept(*, actor, case: Case, version: int, reason: str, legal_basis: str = "") -> Case:
    """不予受理告知: tell the petitioner why the matter is not accepted, and close."""
    case = begin_transition(actor, case, version, "petition_not_accept")
    reason = require_note(reason, _("请填写不予受理的理由。"))
    today = timezone.localdate()
    from_status = case.status
    complete_rule_deadline(case, "P-ACK", today)
    cancel_rule_deadline(case, "P-OBJ", _("不予受理"))
    document_issue(
        case=case,
        kind=CaseDocument.Kind.NON_ACCEPTANCE,
        actor=actor,
        body={"reason": reason, "legal_basis": legal_basis.strip()},
    )
    fields = finish_case(case, closure=Closure.NOT_ACCEPTED, result=_("不予受理：%(r)s") % {"r": reason})
    save_case(case, reason=_("不予受理"), fields=fields)
    record_event(case=case, actor=actor, action="not_accepted", from_status=from_status, note=reason)
    log_case(actor, "not_accepted", case)
    return case


@transaction.atomic
def petition_not_our_remit(*, actor, case: Case, version: int, mode: str, body: str, note: str = "") -> Case:
    """Not our remit: redirect the petitioner to the competent body (`mode="redirect"`), or, for an item sent
    down by a higher office, raise an objection to that office within P-OBJ (`mode="objection"`)."""
    case = begin_transition(actor, case, version, "petition_not_our_remit")
    body = require_note(body, _("请填写告知的有权处理机关或异议理由。"))
    today = timezone.localdate()
    from_status = case.status
    if mode == "objection":
        if case.channel != Channel.SENT_DOWN:
            raise ValidationError(_("只有上级转送/交办的信访件可以提出异议。"))
        deadline = any_deadline(case, "P-OBJ")
        if deadline is None or deadline.status != "open":
            raise ValidationError(_("该件没有进行中的异议期限。"))
        if today > deadline.due_on:
            raise ValidationError(
                _("提出异议的期限已于 %(due)s 届满（收到之日起5个工作日），不能再提出异议。") % {"due": deadline.due_on}
            )
        complete_rule_deadline(case, "P-OBJ", today)
        text = _("向交办机关提出异议：%(body)s") % {"body": body}
    elif mode == "redirect":
        cancel_rule_deadline(case, "P-OBJ", _("已告知向有权机关提出"))
        text = _("告知信访人向有权处理的机关提出：%(body)s") % {"body": body}
    else:
        raise ValidationError(_("请选择告知或提出异议。"))
    complete_rule_deadline(case, "P-ACK", today)
    fields = finish_case(case, closure=Closure.NOT_OUR_REMIT, result=text)
    save_case(case, reason=_("非本机关职责"), fields=fields)
    record_event(
        case=case, actor=actor, action=f"not_our_remit_{mode}", from_status=from_status, note=f"{text} {note}".strip()
    )
    log_case(actor, "not_our_remit", case, mode=mode)
    return case


@transaction.atomic
def petition_reply(
    *, actor, case: Case, version: int, request: str, facts: str, decision: str, legal_basis: str
) -> Case:
    """信访处理意见书: the petitioner's request, the facts found, the decision and its legal basis."""
    case = begin_transition(actor, case, version, "petition_reply")
    if case.petition_kind != PetitionKind.APPEAL:
        raise ValidationError(
            _("建议意见、检举控告类信访不作支持或不予支持的处理意见：请出具建议意见答复书或登记检举控告办理结果。"),
            code="bad_kind",
        )
    request = require_note(request, _("请填写信访人的请求。"))
    facts = require_note(facts, _("请填写查明的事实。"))
    legal_basis = require_note(legal_basis, _("请填写处理依据。"))
    if decision not in Decision.values:
        raise ValidationError(_("请选择处理意见：支持、解释说明或不予支持。"))
    today = timezone.localdate()
    from_status = case.status
    complete_rule_deadline(case, "P-REPLY", today)
    case.status = CaseStatus.REPLIED
    case.decision = decision
    sync_due_on(case)
    save_case(case, reason=_("出具信访处理意见书"), fields=["status", "decision", "due_on"])
    document = document_issue(
        case=case,
        kind=CaseDocument.Kind.PETITION_REPLY,
        actor=actor,
        body={"request": request, "facts": facts, "decision": decision, "legal_basis": legal_basis},
    )
    record_event(
        case=case,
        actor=actor,
        action="replied",
        from_status=from_status,
        note=_("出具信访处理意见书 %(no)s，处理意见：%(d)s") % {"no": document.number, "d": Decision(decision).label},
    )
    log_case(actor, "replied", case, decision=decision)
    return case


@transaction.atomic
def petition_deliver(*, actor, case: Case, version: int, delivered_on=None, note: str = "") -> Case:
    """送达: the written reply of the petition's kind (意见书, 答复书, 办理结果告知书) reached the petitioner."""
    case = begin_transition(actor, case, version, "petition_deliver")
    kind = REPLY_DOCUMENT.get(case.petition_kind, CaseDocument.Kind.PETITION_REPLY)
    label = CaseDocument.Kind(kind).label
    document = case.documents.filter(kind=kind).first()
    if document is None:
        raise ValidationError(_("尚未出具%(doc)s。") % {"doc": label})
    if document.delivered_on:
        raise ValidationError(_("%(doc)s已登记送达。") % {"doc": label})
    delivered_on = delivered_on or timezone.localdate()
    if delivered_on > timezone.localdate() or delivered_on < document.issued_on:
        raise ValidationError(_("送达日期应在出具日期和今天之间。"))
    document.delivered_on = delivered_on
    document._change_reason = _("送达")
    document.save(update_fields=["delivered_on"])
    save_case(case, reason=_("送达"), fields=[])
    record_event(
        case=case,
        actor=actor,
        action="delivered",
        from_status=case.status,
        note=_("%(doc)s于 %(on)s 送达。%(note)s") % {"doc": label, "on": delivered_on, "note": note},
    )
    log_case(actor, "delivered", case)
    return case
