"""复查 / 复核 at the higher office, after the petition was closed (docs/domain.md, "复查、复核").

The office records the petitioner's request (date, office), whether it came late, and the higher office's decision
(维持 / 撤销 / 变更) with its date. P-REVIEW is the higher office's clock: it runs from the request of a request made
in time. After a 复核 decision the same matter is not accepted again (`reviewed_matter`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Case, CaseDocument, PetitionReview
from ..models.choices import CaseType, Closure, PetitionKind
from .common import begin_transition, complete_rule_deadline, log_case, open_rule_deadline, record_event, save_case

# The petitioner asks within 30 days of receiving the reply (复核: the 复查 decision) — 条例 Art 35, 36.
REQUEST_WINDOW_DAYS = 30


def _reply_delivered_on(case: Case) -> dt.date | None:
    reply = case.documents.filter(kind=CaseDocument.Kind.PETITION_REPLY).first()
    return reply.delivered_on if reply else None


def _check_date(on, *, not_before: dt.date, not_before_text: str, field: str) -> dt.date:
    if on is None:
        raise ValidationError({field: _("请填写日期。")})
    if on > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})
    if on < not_before:
        raise ValidationError({field: not_before_text % {"on": not_before}})
    return on


def _check_reviewable(case: Case) -> dt.date:
    """A 复查 follows a 申诉求决 reply that reached the petitioner; returns the delivery date."""
    if case.case_type != CaseType.PETITION or case.petition_kind != PetitionKind.APPEAL:
        raise ValidationError(_("只有申诉求决类信访可以请求复查、复核。"))
    delivered_on = _reply_delivered_on(case)
    if case.closure != Closure.RESOLVED or delivered_on is None:
        raise ValidationError(_("信访处理意见书送达并办结后，信访人才能请求复查。"))
    return delivered_on


def _window_start(case: Case, kind: str, reviews: dict) -> tuple[dt.date, str]:
    """The day the petitioner's 30 days start from, and the refusal for a request dated before it."""
    if kind == PetitionReview.Kind.RECHECK:
        if PetitionReview.Kind.RECHECK in reviews:
            raise ValidationError(_("本件已登记复查请求。"))
        return _check_reviewable(case), _("请求日期不能早于信访处理意见书送达日期（%(on)s）。")
    recheck = reviews.get(PetitionReview.Kind.RECHECK)
    if recheck is None or not recheck.decision:
        raise ValidationError(_("复核须在复查决定之后：请先登记复查请求及复查机关的决定。"))
    if PetitionReview.Kind.REVIEW in reviews:
        raise ValidationError(_("本件已登记复核请求。"))
    return recheck.decided_on, _("请求日期不能早于复查决定日期（%(on)s）。")


@transaction.atomic
def petition_review_request(
    *, actor, case: Case, version: int, kind: str, requested_on: dt.date, office: str, note: str = ""
) -> PetitionReview:
    """登记复查/复核请求: the petitioner asked the higher office; the P-REVIEW clock starts unless asked late."""
    case = begin_transition(actor, case, version, "review")
    if kind not in PetitionReview.Kind.values:
        raise ValidationError({"kind": _("请选择复查或复核。")})
    office = (office or "").strip()
    if not office:
        raise ValidationError({"office": _("请填写受理复查/复核的机关。")})
    reviews = {r.kind: r for r in case.reviews.all()}
    start, before_text = _window_start(case, kind, reviews)
    requested_on = _check_date(requested_on, not_before=start, not_before_text=before_text, field="requested_on")
    late = requested_on > start + dt.timedelta(days=REQUEST_WINDOW_DAYS)
    review = PetitionReview(
        case=case, kind=kind, requested_on=requested_on, office=office, late=late, recorded_by=actor
    )
    review._change_reason = _("登记复查/复核请求")
    review.save()
    label = review.get_kind_display()
    if not late:
        open_rule_deadline(
            case,
            rule_code="P-REVIEW",
            started_on=requested_on,
            label=_("%(kind)s决定（%(office)s）") % {"kind": label, "office": office},
            actor=actor,
        )
        text = _("信访人于 %(on)s 向%(office)s请求%(kind)s。") % {"on": requested_on, "office": office, "kind": label}
    else:
        text = _("信访人于 %(on)s 向%(office)s请求%(kind)s，已超过30日的请求期限（逾期请求，不计复查复核期限）。") % {
            "on": requested_on,
            "office": office,
            "kind": label,
        }
    save_case(case, reason=_("登记复查/复核请求"), fields=[])
    record_event(case=case, actor=actor, action=f"review_{kind}", from_status=case.status, note=f"{text}{note}".strip())
    log_case(actor, "review_requested", case, kind=kind, late=late)
    return review


@transaction.atomic
def petition_review_decide(
    *, actor, case: Case, version: int, decision: str, decided_on: dt.date, note: str = ""
) -> PetitionReview:
    """登记复查/复核决定: the higher office upheld, revoked or varied the decision; P-REVIEW is done."""
    case = begin_transition(actor, case, version, "review_decide")
    review = case.reviews.select_for_update().filter(decision="").first()
    if review is None:
        raise ValidationError(_("没有待登记决定的复查或复核请求。"))
    if decision not in PetitionReview.Decision.values:
        raise ValidationError({"decision": _("请选择决定：维持、撤销或变更。")})
    decided_on = _check_date(
        decided_on,
        not_before=review.requested_on,
        not_before_text=_("决定日期不能早于请求日期（%(on)s）。"),
        field="decided_on",
    )
    review.decision = decision
    review.decided_on = decided_on
    review.decision_note = (note or "").strip()
    review._change_reason = _("登记复查/复核决定")
    review.save(update_fields=["decision", "decided_on", "decision_note"])
    complete_rule_deadline(case, "P-REVIEW", decided_on)
    text = _("%(office)s于 %(on)s 作出%(kind)s决定：%(decision)s。") % {
        "office": review.office,
        "on": decided_on,
        "kind": review.get_kind_display(),
        "decision": review.get_decision_display(),
    }
    save_case(case, reason=_("登记复查/复核决定"), fields=[])
    record_event(
        case=case,
        actor=actor,
        action=f"review_{review.kind}_decided",
        from_status=case.status,
        note=f"{text}{review.decision_note}",
    )
    log_case(actor, "review_decided", case, kind=review.kind, decision=decision)
    return review


def reviewed_matter_q() -> Exists:
    """Whether a case has a 复核 decision: after it, the same matter is not accepted again (条例 Art 36)."""
    return Exists(
        PetitionReview.objects.filter(case=OuterRef("pk"), kind=PetitionReview.Kind.REVIEW).exclude(decision="")
    )


def reviewed_matter(case: Case) -> Case | None:
    """An earlier petition of the same person about the same institution that has been through 复核, if any."""
    person = Q()
    if case.id_number_hash:
        person |= Q(id_number_hash=case.id_number_hash)
    if case.phone_hash:
        person |= Q(phone_hash=case.phone_hash)
    if not person:
        return None
    return (
        Case.objects.filter(person, org_id=case.org_id, case_type=CaseType.PETITION, institution_id=case.institution_id)
        .exclude(pk=case.pk)
        .filter(reviewed_matter_q())
        .order_by("received_at")
        .first()
    )


def refuse_reviewed_matter(case: Case) -> None:
    """受理 refused for a matter already through 复核; the page offers linking it as a repeat instead."""
    first = reviewed_matter(case)
    if first is not None:
        raise ValidationError(
            _(
                "同一信访人就同一事项的信访件 %(n)s 已经复核，以同一事实和理由再次提出的不再受理"
                "（《信访工作条例》第三十六条）：请作为重复件并入 %(n)s，或出具不予受理告知。"
            )
            % {"n": first.number},
            code="reviewed",
        )
