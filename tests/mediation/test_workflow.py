"""Workflow guards and the flow of the outcome back to the ledger case."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.models import CaseEvent
from complaints.models.choices import CaseStatus, Closure
from core.models import AuditEntry, Deadline
from mediation.models import MediationCase, Outcome, PrivateNote, Session, Side, Source, Status
from mediation.services import (
    mediation_assign,
    mediation_declare_recusal,
    mediation_record_confirmation,
    mediation_record_consent,
    mediation_record_outcome,
    mediation_refer_from_case,
    mediation_register,
    offer_record,
    payment_record,
    private_note_add,
    session_record,
)

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db

HELD_AT = dt.datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI)


def _session(actor, case):
    return session_record(actor=actor, case=case, held_at=HELD_AT, mode="phone", attendees="双方及调解员")


def test_no_session_before_both_parties_consent(frozen, make_mediation, clerk_a):
    case = make_mediation(stage="applied")
    mediation_record_consent(actor=clerk_a, case=case, side=Side.APPLICANT, consent_on=dt.date(2026, 3, 2))
    with pytest.raises(ValidationError, match="双方当事人均同意"):
        _session(clerk_a, case)
    assert not Session.objects.exists()


def test_no_mediator_before_both_parties_consent(frozen, make_mediation, clerk_a, paper_mediator):
    case = make_mediation(stage="applied")
    with pytest.raises(ValidationError, match="双方当事人均同意"):
        mediation_assign(actor=clerk_a, case=case, mediator=paper_mediator)
    case.refresh_from_db()
    assert case.mediator is None


def test_no_session_before_recusal_declaration(frozen, make_mediation, clerk_a, court_mediator):
    case = make_mediation(stage="assigned", mediator=court_mediator)
    with pytest.raises(ValidationError, match="回避声明"):
        _session(clerk_a, case)
    assert not Session.objects.exists()


def test_recusal_is_declared_by_the_mediator_in_person(frozen, make_mediation, clerk_a, court_mediator):
    case = make_mediation(stage="assigned", mediator=court_mediator)
    with pytest.raises(PermissionDenied):
        mediation_declare_recusal(actor=clerk_a, case=case, has_conflict=False, statement="无")
    case.refresh_from_db()
    assert case.recusal_declared_at is None and case.status == Status.ASSIGNED


def test_declared_conflict_removes_the_mediator(frozen, make_mediation, mediator, court_mediator):
    case = make_mediation(stage="assigned", mediator=court_mediator)
    mediation_declare_recusal(actor=mediator, case=case, has_conflict=True, statement="申请人系本人亲属。")
    case.refresh_from_db()
    assert case.mediator is None and case.status == Status.ACCEPTED
    assert AuditEntry.objects.filter(action="mediation.case.recused").exists()


def test_office_records_the_paper_declaration_of_a_mediator_without_account(
    frozen, make_mediation, clerk_a, paper_mediator
):
    case = make_mediation(stage="assigned", mediator=paper_mediator)
    mediation_declare_recusal(
        actor=clerk_a, case=case, has_conflict=False, statement="无利害关系。", declared_on=dt.date(2026, 3, 3)
    )
    case.refresh_from_db()
    assert case.status == Status.MEDIATING
    assert case.papers_received_on == dt.date(2026, 3, 3)


def test_no_agreement_without_a_session(frozen, make_mediation, clerk_a, paper_mediator):
    case = make_mediation(stage="mediating", mediator=paper_mediator)
    with pytest.raises(ValidationError, match="尚无调解记录"):
        mediation_record_outcome(
            actor=clerk_a,
            case=case,
            outcome=Outcome.AGREEMENT,
            agreement_terms="退还",
            performance_method="转账",
            performance_due_on=dt.date(2026, 3, 20),
            amount_agreed=Decimal("100"),
        )
    case.refresh_from_db()
    assert case.status == Status.MEDIATING and case.outcome == ""


def test_agreement_needs_terms_and_performance(frozen, make_mediation, clerk_a, paper_mediator):
    case = make_mediation(stage="session", mediator=paper_mediator)
    with pytest.raises(ValidationError, match="履行方式"):
        mediation_record_outcome(
            actor=clerk_a, case=case, outcome=Outcome.AGREEMENT, agreement_terms="退还", amount_agreed=Decimal("1")
        )
    case.refresh_from_db()
    assert case.is_open


def test_no_confirmation_without_agreement(frozen, make_mediation, clerk_a, paper_mediator):
    case = make_mediation(stage="session", mediator=paper_mediator)
    mediation_record_outcome(actor=clerk_a, case=case, outcome=Outcome.FAILURE, note="金额分歧大")
    with pytest.raises(ValidationError, match="只有达成调解协议"):
        mediation_record_confirmation(actor=clerk_a, case=case, applied_on=dt.date(2026, 3, 9), court="莱州市人民法院")
    with pytest.raises(ValidationError, match="只有达成调解协议"):
        payment_record(actor=clerk_a, case=case, paid_on=dt.date(2026, 3, 9), amount=Decimal("10"))
    case.refresh_from_db()
    assert case.confirmation_applied_on is None and case.amount_recovered == 0


def test_failed_court_referral_is_returned_to_the_court(frozen, make_mediation, clerk_a, paper_mediator):
    case = make_mediation(stage="session", source=Source.COURT_BEFORE_FILING, mediator=paper_mediator)
    mediation_record_outcome(actor=clerk_a, case=case, outcome=Outcome.FAILURE, note="被申请人不同意赔付")
    case.refresh_from_db()
    assert case.outcome == Outcome.RETURNED_TO_COURT
    assert case.get_outcome_display() == "调解不成，退回法院"


def test_entrusted_court_referral_needs_the_court_case_number(frozen, clerk_a, institution, partners):
    with pytest.raises(ValidationError, match="法院案号"):
        mediation_register(
            actor=clerk_a,
            org=clerk_a.org,
            source=Source.COURT_AFTER_FILING,
            referring_partner=partners["court"],
            applicant_name="王小明",
            institution=institution,
            summary="纠纷",
        )
    assert not MediationCase.objects.exists()


def test_invalid_applicant_id_is_refused_in_chinese(frozen, clerk_a, institution):
    with pytest.raises(ValidationError, match="身份证号码"):
        mediation_register(
            actor=clerk_a,
            org=clerk_a.org,
            source=Source.DIRECT,
            applicant_name="王小明",
            applicant_id_number="370683199001011234",
            institution=institution,
            summary="纠纷",
        )
    assert not MediationCase.objects.exists()


def test_private_notes_are_written_only_by_the_cases_mediator(
    frozen, make_mediation, clerk_a, mediator, court_mediator
):
    case = make_mediation(stage="session", mediator=court_mediator)
    session = case.sessions.get()
    with pytest.raises(PermissionDenied):
        private_note_add(actor=clerk_a, session=session, side=Side.APPLICANT, text="底线 1500 元")
    note = private_note_add(actor=mediator, session=session, side=Side.APPLICANT, text="底线 1500 元")
    assert PrivateNote.objects.get() == note
    entry = AuditEntry.objects.get(action="mediation.private_note.added")
    assert "1500" not in str(entry.data)


def test_offers_and_counter_offers_are_recorded_with_amounts(frozen, make_mediation, mediator, court_mediator):
    case = make_mediation(stage="session", mediator=court_mediator)
    session = case.sessions.get()
    offer_record(actor=mediator, session=session, side=Side.RESPONDENT, amount=Decimal("1000"), terms="退一半")
    offer_record(actor=mediator, session=session, side=Side.APPLICANT, amount=Decimal("2500"), is_counter_offer=True)
    assert [(o.side, o.amount, o.is_counter_offer) for o in session.offers.order_by("id")] == [
        ("respondent", Decimal("1000.00"), False),
        ("applicant", Decimal("2500.00"), True),
    ]


def test_an_unassigned_mediator_cannot_record_a_session(frozen, make_mediation, court_mediator, other_mediator_user):
    case = make_mediation(stage="mediating", mediator=court_mediator)
    with pytest.raises(PermissionDenied):
        _session(other_mediator_user, case)


def _ledger_case(clerk_a, institution):
    from complaints.models import Contact
    from complaints.services import contact_register

    contact = contact_register(
        actor=clerk_a,
        channel="visit",
        summary="车险理赔金额争议",
        outcome=Contact.Outcome.OPENED_CASE,
        case_type="complaint",
        name="李华",
        id_number="370683199001011237",
        phone="13912345678",
        address="山东省莱州市城港路街道某村",
        institution=institution,
        content="保险公司定损金额低于维修费用。",
    )
    return contact.case


def test_referral_carries_parties_and_facts_over(frozen, clerk_a, institution):
    ledger_case = _ledger_case(clerk_a, institution)
    mediation = mediation_refer_from_case(actor=clerk_a, case=ledger_case)
    assert mediation.source == Source.REFERRED
    assert mediation.origin_case == ledger_case
    assert (mediation.applicant_name, mediation.applicant_id_number, mediation.applicant_phone) == (
        "李华",
        "370683199001011237",
        "13912345678",
    )
    assert mediation.institution == institution
    assert mediation.facts == "保险公司定损金额低于维修费用。"
    assert CaseEvent.objects.filter(case=ledger_case, action="mediation_referred").exists()
    with pytest.raises(ValidationError, match="已有进行中的调解"):
        mediation_refer_from_case(actor=clerk_a, case=ledger_case)


def test_agreement_closes_the_originating_case_with_its_result_and_amount(
    frozen, clerk_a, institution, mediator, court_mediator
):
    ledger_case = _ledger_case(clerk_a, institution)
    ledger_deadlines = Deadline.objects.filter(content_type__app_label="complaints", object_id=ledger_case.pk)
    assert ledger_deadlines.open().exists()
    mediation = mediation_refer_from_case(actor=clerk_a, case=ledger_case)
    for side in (Side.APPLICANT, Side.RESPONDENT):
        mediation_record_consent(actor=clerk_a, case=mediation, side=side, consent_on=dt.date(2026, 3, 10))
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
        performance_due_on=dt.date(2026, 3, 20),
        amount_agreed=Decimal("4200.00"),
    )
    ledger_case.refresh_from_db()
    assert ledger_case.status == CaseStatus.CLOSED
    assert ledger_case.closure == Closure.RESOLVED
    assert ledger_case.amount_recovered == Decimal("4200.00")
    assert "达成调解协议" in ledger_case.result and "4,200.00" in ledger_case.result
    assert ledger_case.closed_at is not None and ledger_case.closed_on_time is True
    assert ledger_case.due_on is None
    assert not ledger_deadlines.open().exists()
    assert CaseEvent.objects.filter(case=ledger_case, action="mediation_outcome", to_status="closed").exists()
    assert ledger_case.history.first().history_change_reason == "调解结果回填并办结"
    assert AuditEntry.objects.filter(action="complaints.case.closed_by_mediation").exists()

    # Performance later updates the amount actually recovered on the ledger case.
    payment_record(actor=clerk_a, case=mediation, paid_on=dt.date(2026, 3, 10), amount=Decimal("4000.00"))
    ledger_case.refresh_from_db()
    assert ledger_case.amount_recovered == Decimal("4000.00")


def test_withdrawal_closes_the_originating_case_as_withdrawn(frozen, clerk_a, institution):
    ledger_case = _ledger_case(clerk_a, institution)
    mediation = mediation_refer_from_case(actor=clerk_a, case=ledger_case)
    mediation_record_outcome(actor=clerk_a, case=mediation, outcome=Outcome.WITHDRAWAL, note="申请人撤回申请")
    ledger_case.refresh_from_db()
    assert ledger_case.status == CaseStatus.CLOSED and ledger_case.closure == Closure.WITHDRAWN
    assert ledger_case.amount_recovered is None


def test_performance_sums_payments(frozen, make_mediation, clerk_a, paper_mediator):
    case = make_mediation(stage="agreement", mediator=paper_mediator)
    payment_record(actor=clerk_a, case=case, paid_on=dt.date(2026, 3, 5), amount=Decimal("500"))
    payment_record(actor=clerk_a, case=case, paid_on=dt.date(2026, 3, 9), amount=Decimal("1500"))
    case.refresh_from_db()
    assert case.amount_recovered == Decimal("2000.00")
    with pytest.raises(ValidationError, match="大于零"):
        payment_record(actor=clerk_a, case=case, paid_on=dt.date(2026, 3, 9), amount=Decimal("0"))


def test_assigned_mediator_with_an_account_is_notified_without_personal_data(
    frozen, make_mediation, mediator, court_mediator
):
    from core.models.notifications import Notification

    case = make_mediation(stage="assigned", mediator=court_mediator)
    notification = Notification.objects.get(recipient=mediator)
    assert case.number in notification.title and notification.link == f"/mediation/{case.pk}/recusal/"
    assert "王小明" not in notification.title + notification.body
