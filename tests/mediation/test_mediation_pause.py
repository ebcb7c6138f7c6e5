"""Referring a forwarded complaint to mediation pauses the institution's clock; the outcome resumes it."""

import datetime as dt
from decimal import Decimal

import pytest

from complaints.models import CaseEvent, Contact
from complaints.models.choices import CaseStatus, Closure
from complaints.services import complaint_forward, complaint_institution_acknowledge, contact_register
from core.models import Deadline, DeadlinePause
from mediation.models import Outcome, Side
from mediation.services import (
    mediation_assign,
    mediation_declare_recusal,
    mediation_record_consent,
    mediation_record_outcome,
    mediation_refer_from_case,
    session_record,
)

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def forwarded(frozen, clerk_a, institution):
    """A complaint forwarded on 2026-03-10: C-INST runs 15 calendar days, to 03-25."""
    contact = contact_register(
        actor=clerk_a,
        channel="visit",
        summary="车险理赔金额争议",
        outcome=Contact.Outcome.OPENED_CASE,
        case_type="complaint",
        name="李华",
        phone="13912345678",
        institution=institution,
        content="保险公司定损金额低于维修费用。",
    )
    case = contact.case
    complaint_forward(actor=clerk_a, case=case, version=case.version, told_via="phone", told_on=case.received_on)
    # The institution signs for it the same day: its 15 days (C-INST) start at the 签收.
    case.refresh_from_db()
    complaint_institution_acknowledge(
        actor=clerk_a,
        case=case,
        version=case.version,
        acknowledged_on=case.forwarding.forwarded_on,
        acknowledged_by="王经理",
    )
    case.refresh_from_db()
    return case


def institution_clock(case):
    return Deadline.objects.get(object_id=case.pk, content_type__app_label="complaints", rule__code="C-INST")


def test_referral_pauses_the_institution_clock_with_mediation_as_the_reason(frozen, clerk_a, forwarded):
    mediation = mediation_refer_from_case(actor=clerk_a, case=forwarded)
    clock = institution_clock(forwarded)
    assert clock.paused_since == D("2026-03-10")
    pause = DeadlinePause.objects.get(deadline=clock)
    assert pause.kind == "mediation" and mediation.number in pause.reason
    forwarded.refresh_from_db()
    assert forwarded.clock_paused is True and forwarded.is_open
    assert CaseEvent.objects.filter(case=forwarded, action="clock_paused").exists()


def test_a_failed_mediation_resumes_the_clock_and_leaves_the_complaint_open(frozen, clerk_a, forwarded):
    mediation = mediation_refer_from_case(actor=clerk_a, case=forwarded)
    frozen.move_to(dt.datetime(2026, 3, 20, 9, 0, tzinfo=SHANGHAI))
    mediation_record_outcome(actor=clerk_a, case=mediation, outcome=Outcome.WITHDRAWAL, note="申请人撤回调解申请")
    clock = institution_clock(forwarded)
    # 03-10..03-20 paused (the referral day is the start day, not counted anyway): 15 days counted from 03-21
    # end on 04-04, a Saturday of the 清明 holiday (04-04..04-06), so the deadline is Tuesday 04-07.
    assert clock.status == "open" and clock.paused_since is None and clock.due_on == D("2026-04-07")
    assert DeadlinePause.objects.get(deadline=clock).end_on == D("2026-03-20")
    forwarded.refresh_from_db()
    assert forwarded.status == CaseStatus.INSTITUTION_ACKNOWLEDGED and forwarded.clock_paused is False
    assert forwarded.due_on == D("2026-04-07")
    assert CaseEvent.objects.filter(case=forwarded, action="clock_resumed", note__contains="2026-04-07").exists()


def test_an_agreement_ends_the_pause_and_closes_the_complaint(frozen, clerk_a, mediator, court_mediator, forwarded):
    mediation = mediation_refer_from_case(actor=clerk_a, case=forwarded)
    for side in (Side.APPLICANT, Side.RESPONDENT):
        mediation_record_consent(actor=clerk_a, case=mediation, side=side, consent_on=D("2026-03-10"))
    mediation_assign(actor=clerk_a, case=mediation, mediator=court_mediator)
    mediation_declare_recusal(actor=mediator, case=mediation, has_conflict=False, statement="无利害关系")
    session_record(
        actor=mediator,
        case=mediation,
        held_at=dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI),
        mode="online",
        attendees="双方",
    )
    mediation_record_outcome(
        actor=mediator,
        case=mediation,
        outcome=Outcome.AGREEMENT,
        agreement_terms="保险公司补足差额 4200 元。",
        performance_method="转账",
        performance_due_on=D("2026-03-20"),
        amount_agreed=Decimal("4200.00"),
    )
    forwarded.refresh_from_db()
    assert forwarded.status == CaseStatus.CLOSED and forwarded.closure == Closure.RESOLVED
    assert forwarded.clock_paused is False
    clock = institution_clock(forwarded)
    assert clock.status == "done" and clock.paused_since is None
    assert DeadlinePause.objects.get(deadline=clock).end_on == D("2026-03-10")


def test_a_complaint_not_yet_forwarded_is_referred_without_a_pause(frozen, clerk_a, institution):
    contact = contact_register(
        actor=clerk_a,
        channel="visit",
        summary="车险理赔金额争议",
        outcome=Contact.Outcome.OPENED_CASE,
        case_type="complaint",
        name="李华",
        phone="13912345678",
        institution=institution,
    )
    mediation_refer_from_case(actor=clerk_a, case=contact.case)
    assert not DeadlinePause.objects.exists()
