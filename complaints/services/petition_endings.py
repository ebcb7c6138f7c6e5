"""The endings of the three kinds of 信访 (docs/domain.md, "受理渠道与流程"), and the 延期告知书.

申诉求决 ends with the 信访处理意见书 (complaints/services/petition.py); 建议意见 with a reply saying whether and how
the suggestion is adopted; 检举控告 with the handling result, told to the petitioner where the rules allow. Neither
of the last two carries a 支持 / 不予支持 decision.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Case, CaseDocument, ExtensionRequest
from ..models.choices import Adoption, CaseStatus, CaseType, PetitionKind
from .common import (
    begin_transition,
    complete_rule_deadline,
    log_case,
    record_event,
    require_note,
    save_case,
    sync_due_on,
)
from .documents import document_issue

# The document that ends each kind and must reach the petitioner before the case closes.
REPLY_DOCUMENT = {
    PetitionKind.APPEAL: CaseDocument.Kind.PETITION_REPLY,
    PetitionKind.SUGGESTION: CaseDocument.Kind.SUGGESTION_REPLY,
    PetitionKind.ACCUSATION: CaseDocument.Kind.ACCUSATION_RESULT,
}


# The clock of the reply per kind: P-REPLY (条例 Art 34) for 申诉求决, P-SUGGEST (Art 29, 30) for the others.
def reply_rule(case: Case) -> str:
    return "P-REPLY" if case.petition_kind == PetitionKind.APPEAL else "P-SUGGEST"


def _require_kind(case: Case, kind: str, message: str) -> None:
    if case.petition_kind != kind:
        raise ValidationError(message, code="bad_kind")


def _finish_reply(case: Case, *, actor, reason: str, note: str, on) -> None:
    from_status = case.status
    complete_rule_deadline(case, reply_rule(case), on)
    case.status = CaseStatus.REPLIED
    sync_due_on(case)
    save_case(case, reason=reason, fields=["status", "due_on", "result"])
    record_event(case=case, actor=actor, action="replied", from_status=from_status, note=note)


@transaction.atomic
def petition_suggestion_reply(*, actor, case: Case, version: int, adoption: str, content: str) -> Case:
    """建议意见答复书: whether and how the suggestion is adopted (采纳 / 部分采纳 / 不予采纳)."""
    case = begin_transition(actor, case, version, "petition_suggestion_reply")
    _require_kind(case, PetitionKind.SUGGESTION, _("只有建议意见类信访出具建议意见答复书。"))
    if adoption not in Adoption.values:
        raise ValidationError({"adoption": _("请选择采纳、部分采纳或不予采纳。")})
    content = require_note(content, _("请填写采纳情况（如何采纳或不予采纳的理由）。"))
    today = timezone.localdate()
    label = Adoption(adoption).label
    case.result = _("建议%(a)s：%(c)s") % {"a": label, "c": content}
    document = document_issue(
        case=case, kind=CaseDocument.Kind.SUGGESTION_REPLY, actor=actor, body={"adoption": adoption, "content": content}
    )
    _finish_reply(
        case,
        actor=actor,
        reason=_("出具建议意见答复书"),
        note=_("出具建议意见答复书 %(no)s：%(a)s") % {"no": document.number, "a": label},
        on=today,
    )
    log_case(actor, "replied", case, adoption=adoption)
    return case


@transaction.atomic
def petition_accusation_result(
    *, actor, case: Case, version: int, result: str, tell: bool, not_told_reason: str = ""
) -> Case:
    """检举控告办理结果: handled under the rules for the matter; the result is told where those rules allow."""
    case = begin_transition(actor, case, version, "petition_accusation_result")
    _require_kind(case, PetitionKind.ACCUSATION, _("只有检举控告类信访登记检举控告办理结果。"))
    result = require_note(result, _("请填写办理结果。"))
    today = timezone.localdate()
    case.result = result
    if tell:
        document = document_issue(
            case=case, kind=CaseDocument.Kind.ACCUSATION_RESULT, actor=actor, body={"result": result}
        )
        note = _("登记办理结果，出具办理结果告知书 %(no)s") % {"no": document.number}
    else:
        reason = require_note(not_told_reason, _("不告知办理结果时，请写明依据的规定。"))
        note = _("登记办理结果；依规定不告知信访人：%(r)s") % {"r": reason}
    _finish_reply(case, actor=actor, reason=_("登记检举控告办理结果"), note=note, on=today)
    log_case(actor, "replied", case, told=bool(tell))
    return case


def petition_closable(case: Case, issued: set, delivered: set) -> str:
    """Why a 信访 cannot close yet ('' when it can): its kind's reply issued and delivered (检举控告 not told: none)."""
    kind = REPLY_DOCUMENT.get(case.petition_kind, CaseDocument.Kind.PETITION_REPLY)
    if case.status != CaseStatus.REPLIED:
        return _("信访件须出具答复文书（处理意见书、答复书或办理结果）后才能办结。")
    if kind == CaseDocument.Kind.ACCUSATION_RESULT and kind not in issued:
        return ""
    if kind not in issued:
        return _("信访件须出具答复文书后才能办结。")
    if kind not in delivered:
        return _("%(doc)s送达后才能办结。") % {"doc": CaseDocument.Kind(kind).label}
    return ""


def issue_extension_notice(*, case: Case, request: ExtensionRequest, actor) -> CaseDocument | None:
    """延期告知书 to the petitioner or reporter after an approved extension (条例 Art 34: told why); none for an
    anonymous report. A second extension re-issues it with the new date, under the same number."""
    if not case.has_clock or case.case_type not in (CaseType.PETITION, CaseType.REPORT):
        return None
    deadline = request.deadline
    rule = deadline.rule
    return document_issue(
        case=case,
        kind=CaseDocument.Kind.EXTENSION_NOTICE,
        actor=actor,
        body={
            "rule": rule.code,
            "rule_name": rule.name,
            "legal_source": rule.legal_source,
            "days": request.days,
            "total_days": deadline.extension_days,
            "reason": request.reason,
            "due_on": deadline.due_on.isoformat(),
            "provisional": bool(deadline.provisional_years),
        },
    )


__all__ = [
    "REPLY_DOCUMENT",
    "Adoption",
    "ExtensionRequest",
    "issue_extension_notice",
    "petition_accusation_result",
    "petition_closable",
    "petition_suggestion_reply",
    "reply_rule",
]
