"""When the case page offers a petition's endings, its 复查/复核 and its transfer's follow-up: the `offered` tests of
the petition rows of the transition table (complaints/transitions.py; docs/domain.md, "复查、复核")."""

from __future__ import annotations

_PETITION_REPLY = "petition_reply"  # CaseDocument.Kind values, spelt here to keep the models out of the rows
# The document ending each kind of 信访 (complaints/services/petition_endings.py REPLY_DOCUMENT).
_REPLY_OF_KIND = {"appeal": _PETITION_REPLY, "suggestion": "suggestion_reply", "accusation": "accusation_result"}


def kind_is(kind):
    return lambda case, facts: case.petition_kind == kind


def _reply_kind(case):
    return _REPLY_OF_KIND.get(case.petition_kind, _PETITION_REPLY)


def reply_not_delivered(case, facts):
    kind = _reply_kind(case)
    return kind in facts.issued and kind not in facts.delivered


def reply_done(case, facts):
    """The kind's reply reached the petitioner; a 检举控告 result the rules keep untold has no document."""
    kind = _reply_kind(case)
    return kind in facts.delivered or (kind == "accusation_result" and kind not in facts.issued)


def review_can_be_requested(case, facts):
    """After closure and a delivered 申诉求决 reply: a 复查 first, a 复核 only after its decision (条例 Art 35, 36)."""
    if case.petition_kind != "appeal" or case.closure != "resolved" or _PETITION_REPLY not in facts.delivered:
        return False
    kinds = {review.kind: review for review in facts.reviews}
    if any(not review.decision for review in facts.reviews):
        return False
    return "review" not in kinds


def review_pending(case, facts):
    return any(not review.decision for review in facts.reviews)


def transferred(attribute):
    return lambda case, facts: facts.transfer is not None and not getattr(facts.transfer, attribute)
