"""Mediation sessions, offers and counter-offers, and the mediator's private notes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services.audit import log_action
from mediation.access import is_case_mediator
from mediation.models import MediationCase, Mode, Offer, PrivateNote, Session, Status

from .common import require_mediator_or_office, require_open


def _require_mediating(case: MediationCase) -> None:
    """No session before both parties consented and the mediator declared on recusal."""
    require_open(case)
    if not case.both_consented:
        raise ValidationError(_("双方当事人均同意调解后才能开展调解。"))
    if case.mediator_id is None or case.recusal_declared_at is None:
        raise ValidationError(_("调解员作出回避声明（无回避情形）后才能开展调解。"))
    if case.status != Status.MEDIATING:
        raise ValidationError(_("该案件当前不能登记调解记录。"))


@transaction.atomic
def session_record(
    *,
    actor,
    case: MediationCase,
    held_at: dt.datetime,
    mode: str,
    attendees: str,
    place: str = "",
    minutes: str = "",
) -> Session:
    require_mediator_or_office(actor, case)
    _require_mediating(case)
    if held_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("调解时间不能晚于当前时间：请在调解后登记。"))
    if held_at.date() < case.received_on - dt.timedelta(days=1):
        raise ValidationError(_("调解时间不能早于收案日期。"))
    if mode == Mode.ON_SITE and not place.strip():
        raise ValidationError(_("现场调解请填写地点。"))
    if not attendees.strip():
        raise ValidationError(_("请填写参加人员。"))
    session = Session(
        case=case,
        held_at=held_at,
        mode=mode,
        place=place,
        attendees=attendees,
        minutes=minutes,
        recorded_by=actor,
    )
    session._change_reason = _("登记调解记录")
    session.save()
    log_action(actor=actor, action="mediation.session.recorded", target=case, session=session.pk, mode=mode)
    return session


@transaction.atomic
def offer_record(
    *, actor, session: Session, side: str, amount: Decimal, terms: str = "", is_counter_offer: bool = False
) -> Offer:
    case = session.case
    require_mediator_or_office(actor, case)
    _require_mediating(case)
    if amount is None or amount < 0:
        raise ValidationError(_("金额不能为负数。"))
    offer = Offer(session=session, side=side, amount=amount, terms=terms, is_counter_offer=is_counter_offer)
    offer._change_reason = _("登记调解方案")
    offer.save()
    log_action(actor=actor, action="mediation.offer.recorded", target=case, side=side, amount=str(amount))
    return offer


@transaction.atomic
def private_note_add(*, actor, session: Session, side: str, text: str) -> PrivateNote:
    """A note of a private talk with one party: only the case's mediator writes and reads these."""
    case = session.case
    if not is_case_mediator(actor, case):
        raise PermissionDenied(_("背靠背记录只能由本案调解员本人填写和查看。"))
    require_open(case)
    if not text.strip():
        raise ValidationError(_("请填写记录内容。"))
    note = PrivateNote(session=session, side=side, text=text, author=actor)
    note._change_reason = _("背靠背记录")
    note.save()
    # The log names the session only: the content is for the mediator alone.
    log_action(actor=actor, action="mediation.private_note.added", target=case, session=session.pk)
    return note
