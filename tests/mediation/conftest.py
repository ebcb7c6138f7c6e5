"""Fixtures of the mediation tests: the workstation's partners and roster, and cases at each stage."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from core.roles import Role
from mediation.models import Mediator, PartnerKind, PartnerOrganisation, Side, Source
from mediation.services import (
    mediation_assign,
    mediation_declare_recusal,
    mediation_record_consent,
    mediation_record_outcome,
    mediation_register,
    session_record,
)
from tests.factories import SHANGHAI, VALID_ID, make_institution, make_user

# A Tuesday in a year whose calendar is loaded.
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def institution(orgs):
    return make_institution(org=orgs["laizhou"], short_name="莱州农商银行", address="山东省莱州市文化东路1号")


@pytest.fixture
def partners(orgs):
    org = orgs["laizhou"]
    return {
        "court": PartnerOrganisation.objects.create(org=org, name="莱州市人民法院", kind=PartnerKind.COURT),
        "banking": PartnerOrganisation.objects.create(
            org=org, name="烟台市银行业协会", kind=PartnerKind.BANKING_ASSOCIATION
        ),
        "insurance": PartnerOrganisation.objects.create(
            org=org, name="烟台市保险行业协会", kind=PartnerKind.INSURANCE_ASSOCIATION
        ),
        "office": PartnerOrganisation.objects.create(org=org, name="莱州金融监管支局", kind=PartnerKind.OFFICE),
    }


@pytest.fixture
def court_mediator(partners, mediator):
    """The `mediator` persona is a court mediator with an account."""
    return Mediator.objects.create(partner=partners["court"], name="高文静", specialities="金融借款", user=mediator)


@pytest.fixture
def other_mediator_user(orgs):
    return make_user(org=orgs["laizhou"], role=Role.MEDIATOR, username="mediator2", name="刘春华")


@pytest.fixture
def association_mediator(partners, other_mediator_user):
    return Mediator.objects.create(partner=partners["banking"], name="刘春华", user=other_mediator_user)


@pytest.fixture
def paper_mediator(partners):
    """A mediator on the roster without an account: the office records their declarations."""
    return Mediator.objects.create(partner=partners["insurance"], name="孔德明")


@pytest.fixture
def make_mediation(clerk_a, institution, partners):
    """Register a mediation and walk it to `stage`: applied, accepted, assigned, mediating, session, agreement."""

    def build(*, stage="applied", source=Source.DIRECT, mediator=None, received_on=None, actor=None, **fields):
        actor = actor or clerk_a
        received_on = received_on or dt.date(2026, 3, 2)
        court = source in (Source.COURT_BEFORE_FILING, Source.COURT_AFTER_FILING)
        data = {
            "applicant_name": "王小明",
            "applicant_id_number": VALID_ID,
            "applicant_phone": "13812345678",
            "applicant_address": "山东省莱州市文昌路街道某小区1号",
            "institution": institution,
            "summary": "信用卡分期手续费争议",
            "facts": "申请人称办理分期时未被告知手续费率。",
            "claims": "退还手续费 3000 元。",
            "disputed_points": "手续费是否已充分告知",
            "amount_claimed": Decimal("3000.00"),
            "referring_partner": partners["court"] if court else None,
            "court_case_number": "（2026）鲁0683民初123号" if source == Source.COURT_AFTER_FILING else "",
        }
        data.update(fields)
        case = mediation_register(actor=actor, org=actor.org, source=source, received_on=received_on, **data)
        if stage == "applied":
            return case
        mediation_record_consent(actor=actor, case=case, side=Side.APPLICANT, consent_on=received_on)
        mediation_record_consent(actor=actor, case=case, side=Side.RESPONDENT, consent_on=received_on)
        if stage == "accepted":
            return case
        mediation_assign(actor=actor, case=case, mediator=mediator, assigned_on=received_on)
        if stage == "assigned":
            return case
        declarer = mediator.user or actor
        mediation_declare_recusal(
            actor=declarer,
            case=case,
            has_conflict=False,
            statement="无利害关系。",
            declared_on=None if mediator.user else received_on,
        )
        if stage == "mediating":
            return case
        session_record(
            actor=actor,
            case=case,
            held_at=dt.datetime.combine(received_on + dt.timedelta(days=1), dt.time(9, 0), tzinfo=SHANGHAI),
            mode="on_site",
            place="莱和州安调解室",
            attendees="申请人、机构代表、调解员",
            minutes="双方陈述。",
        )
        if stage == "session":
            return case
        mediation_record_outcome(
            actor=actor,
            case=case,
            outcome="agreement",
            concluded_on=received_on + dt.timedelta(days=2),
            agreement_terms="被申请人退还手续费 2000 元。",
            performance_method="银行转账",
            performance_due_on=received_on + dt.timedelta(days=20),
            amount_agreed=Decimal("2000.00"),
        )
        return case

    return build
