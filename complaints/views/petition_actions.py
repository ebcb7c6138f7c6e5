"""The case actions of a petition's endings, its 复查/复核 and its transfer (docs/domain.md, "复查、复核",
"转送其他机关"): key → (form, style, call(user, case, data)), merged into `ACTIONS` (complaints/views/cases.py)."""

from __future__ import annotations

from .. import petition_forms
from .. import services as svc
from ..services import review as review_svc
from ..services import transfers as transfer_svc

PETITION_LIFE_ACTIONS = {
    "petition_suggestion_reply": (petition_forms.SuggestionReplyForm, "success",
                                  lambda u, c, d: svc.petition_suggestion_reply(
                                      actor=u, case=c, version=d["version"], adoption=d["adoption"],
                                      content=d["content"])),
    "petition_accusation_result": (petition_forms.AccusationResultForm, "success",
                                   lambda u, c, d: svc.petition_accusation_result(
                                       actor=u, case=c, version=d["version"], result=d["result"], tell=d["tell"],
                                       not_told_reason=d["not_told_reason"])),
    "review": (petition_forms.ReviewRequestForm, "secondary",
               lambda u, c, d: review_svc.petition_review_request(
                   actor=u, case=c, version=d["version"], kind=d["kind"], requested_on=d["requested_on"],
                   office=d["office"], note=d["note"])),
    "review_decide": (petition_forms.ReviewDecisionForm, "secondary",
                      lambda u, c, d: review_svc.petition_review_decide(
                          actor=u, case=c, version=d["version"], decision=d["decision"],
                          decided_on=d["decided_on"], note=d["note"])),
    "petition_transfer": (petition_forms.TransferForm, "warning",
                          lambda u, c, d: transfer_svc.petition_transfer(
                              actor=u, case=c, version=d["version"], authority=d["authority"],
                              authority_name=d["authority_name"], reason=d["reason"])),
    "transfer_acknowledge": (petition_forms.TransferAcknowledgeForm, "secondary",
                             lambda u, c, d: transfer_svc.transfer_acknowledge(
                                 actor=u, case=c, version=d["version"], acknowledged_on=d["on"],
                                 acknowledged_by=d["acknowledged_by"])),
    "transfer_tell": (petition_forms.TransferTellForm, "secondary",
                      lambda u, c, d: transfer_svc.transfer_tell_petitioner(
                          actor=u, case=c, version=d["version"], told_on=d["on"], told_how=d["how"])),
}  # fmt: skip
