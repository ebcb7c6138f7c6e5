"""M-ADR / M-COURT / M-CONF deadlines, and extension only with both parties' consent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Deadline
from mediation.models import ExtensionConsent, Outcome, Side, Source
from mediation.services import (
    mediation_extend,
    mediation_record_confirmation,
    mediation_record_consent,
    mediation_record_outcome,
)
from tests.factories import at

pytestmark = pytest.mark.django_db


def _deadlines(case, code):
    return Deadline.objects.filter(object_id=case.pk, content_type__app_label="mediation", rule__code=code)


def test_acceptance_opens_the_30_day_adr_deadline(make_mediation, clerk_a):
    with at("2026-03-10"):
        case = make_mediation(stage="applied", received_on=dt.date(2026, 3, 9))
        mediation_record_consent(actor=clerk_a, case=case, side=Side.APPLICANT, consent_on=dt.date(2026, 3, 9))
        assert not _deadlines(case, "M-ADR").exists()
        mediation_record_consent(actor=clerk_a, case=case, side=Side.RESPONDENT, consent_on=dt.date(2026, 3, 10))
    deadline = _deadlines(case, "M-ADR").get()
    # Day 1 is 03-11; 30 calendar days end on Thursday 2026-04-09.
    assert deadline.started_on == dt.date(2026, 3, 10)
    assert deadline.due_on == dt.date(2026, 4, 9)
    case.refresh_from_db()
    assert case.accepted_on == dt.date(2026, 3, 10) and case.due_on == dt.date(2026, 4, 9)


def test_adr_deadline_landing_on_a_holiday_moves_to_the_next_working_day(make_mediation, clerk_a):
    # 2025-09-01 + 30 days = 2025-10-01 (National Day): the deadline is the next working day, 2025-10-09.
    with at("2025-09-01"):
        case = make_mediation(stage="accepted", received_on=dt.date(2025, 9, 1))
    assert _deadlines(case, "M-ADR").get().due_on == dt.date(2025, 10, 9)


def test_court_referral_clock_starts_when_the_mediator_signs_for_the_papers(make_mediation, court_mediator):
    with at("2026-03-02"):
        case = make_mediation(stage="assigned", source=Source.COURT_BEFORE_FILING, mediator=court_mediator)
        assert not Deadline.objects.filter(object_id=case.pk, content_type__app_label="mediation").exists()
    with at("2026-03-04"):
        from mediation.services import mediation_declare_recusal

        mediation_declare_recusal(actor=court_mediator.user, case=case, has_conflict=False, statement="无")
    deadline = _deadlines(case, "M-COURT").get()
    assert deadline.started_on == dt.date(2026, 3, 4)
    assert deadline.due_on == dt.date(2026, 4, 3)


def test_extension_needs_both_parties_consent(make_mediation, clerk_a):
    with at("2026-03-20"):
        case = make_mediation(stage="accepted")
        deadline = _deadlines(case, "M-ADR").get()
        original = deadline.due_on
        with pytest.raises(ValidationError, match="双方当事人同意"):
            mediation_extend(
                actor=clerk_a,
                case=case,
                days=15,
                reason="需调取维修票据",
                applicant_consent_on=dt.date(2026, 3, 19),
                respondent_consent_on=None,
            )
    deadline.refresh_from_db()
    assert deadline.due_on == original and deadline.extension_days == 0
    assert not ExtensionConsent.objects.exists()


def test_extension_with_both_consents_adds_to_the_original_deadline(make_mediation, clerk_a):
    with at("2026-03-20"):
        case = make_mediation(stage="accepted")
        mediation_extend(
            actor=clerk_a,
            case=case,
            days=15,
            reason="需调取维修票据",
            applicant_consent_on=dt.date(2026, 3, 19),
            respondent_consent_on=dt.date(2026, 3, 20),
        )
    deadline = _deadlines(case, "M-ADR").get()
    # 03-02 + 45 days = 2026-04-16 (Thursday).
    assert deadline.extension_days == 15 and deadline.due_on == dt.date(2026, 4, 16)
    case.refresh_from_db()
    assert case.due_on == dt.date(2026, 4, 16)
    consent = ExtensionConsent.objects.get()
    assert (consent.applicant_consent_on, consent.respondent_consent_on) == (dt.date(2026, 3, 19), dt.date(2026, 3, 20))


def test_extension_beyond_the_rule_maximum_is_refused(make_mediation, clerk_a):
    with at("2026-03-20"):
        case = make_mediation(stage="accepted")
        with pytest.raises(ValidationError, match="最长延期"):
            mediation_extend(
                actor=clerk_a,
                case=case,
                days=31,
                reason="复杂",
                applicant_consent_on=dt.date(2026, 3, 19),
                respondent_consent_on=dt.date(2026, 3, 19),
            )
    assert not ExtensionConsent.objects.exists()


def test_agreement_completes_the_period_and_opens_the_confirmation_reminder(make_mediation, clerk_a, paper_mediator):
    with at("2026-03-10"):
        case = make_mediation(stage="agreement", mediator=paper_mediator)
    assert _deadlines(case, "M-ADR").get().status == Deadline.Status.DONE
    confirmation = _deadlines(case, "M-CONF").get()
    # Agreement on 03-04; 30 days later is Friday 2026-04-03.
    assert confirmation.status == Deadline.Status.OPEN and confirmation.due_on == dt.date(2026, 4, 3)
    case.refresh_from_db()
    assert case.due_on == dt.date(2026, 4, 3)
    with at("2026-03-20"):
        mediation_record_confirmation(
            actor=clerk_a,
            case=case,
            applied_on=dt.date(2026, 3, 18),
            court="莱州市人民法院",
            case_number="（2026）鲁0683民特12号",
        )
    confirmation.refresh_from_db()
    assert confirmation.status == Deadline.Status.DONE and confirmation.completed_on == dt.date(2026, 3, 18)
    case.refresh_from_db()
    assert case.due_on is None


def test_confirmation_deadline_shows_as_due_soon_on_the_case_page(make_mediation, client_for, clerk_a, paper_mediator):
    with at("2026-03-10"):
        case = make_mediation(stage="agreement", mediator=paper_mediator)
    with at("2026-04-01"):
        response = client_for(clerk_a).get(reverse("mediation:detail", args=[case.pk]))
    assert "即将到期" in response.content.decode()


def test_consent_into_a_year_not_verified_opens_a_provisional_clock(make_mediation, client_for, clerk_a):
    with at("2026-12-20"):
        case = make_mediation(stage="applied", received_on=dt.date(2026, 12, 18))
        client = client_for(clerk_a)
        client.post(
            reverse("mediation:case_action", args=[case.pk, "consent"]),
            {"side": "applicant", "consent_on": "2026-12-18"},
        )
        response = client.post(
            reverse("mediation:case_action", args=[case.pk, "consent"]),
            {"side": "respondent", "consent_on": "2026-12-20"},
            follow=True,
        )
    body = response.content.decode()
    assert "工作日历尚未维护" not in body and "暂定" in body
    case.refresh_from_db()
    # M-ADR: 30 days after 2026-12-20 is 2027-01-19 (Tuesday) over the 2027 draft.
    assert case.respondent_consent_on == dt.date(2026, 12, 20)
    assert (case.due_on, case.due_provisional) == (dt.date(2027, 1, 19), True)


def test_outcome_after_extension_completes_the_extended_deadline(make_mediation, clerk_a, paper_mediator):
    with at("2026-03-20"):
        case = make_mediation(stage="session", mediator=paper_mediator)
        mediation_extend(
            actor=clerk_a,
            case=case,
            days=10,
            reason="协商",
            applicant_consent_on=dt.date(2026, 3, 20),
            respondent_consent_on=dt.date(2026, 3, 20),
        )
        mediation_record_outcome(actor=clerk_a, case=case, outcome=Outcome.TERMINATION, note="被申请人拒绝继续调解")
    assert _deadlines(case, "M-ADR").get().status == Deadline.Status.DONE
    assert not _deadlines(case, "M-CONF").exists()
    case.refresh_from_db()
    assert case.due_on is None and case.amount_agreed is None and case.amount_claimed == Decimal("3000.00")
