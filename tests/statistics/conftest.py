"""A hand-counted quarter (2026 Q3) for Laizhou, with one case outside the period on each side and one of another
sub-bureau; what each figure must be is written beside the records that make it."""

import datetime as dt
from decimal import Decimal

import pytest

from complaints.models import Authority, Forwarding, PetitionReview, Transfer
from core.models import Category
from mediation.models import MediationCase, Outcome, Source, Status
from outreach.models import Campaign, Event, GridCell, VenueType
from tests.factories import at, make_case, make_institution, moment

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


@pytest.fixture(autouse=True)
def _private_files(private_files):
    """Generated reports go to the test's own folder (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _today():
    with at("2026-10-12"):
        yield


def _mediation(n, *, org, clerk, institution, received_on, outcome="", **amounts):
    case = MediationCase(
        org=org,
        number=f"TJ-S-{n:04d}",
        source=Source.DIRECT,
        received_on=received_on,
        applicant_name="王小明",
        institution=institution,
        summary="纠纷",
        status=Status.CONCLUDED if outcome else Status.MEDIATING,
        outcome=outcome,
        concluded_on=received_on + dt.timedelta(days=5) if outcome else None,
        created_by=clerk,
        **amounts,
    )
    case.save()
    return case


@pytest.fixture
def quarter(orgs, clerk_a, other_clerk):
    laizhou = orgs["laizhou"]
    bank = make_institution(org=laizhou, short_name="东岳银行")
    insurer = make_institution(org=laizhou, short_name="泰和人寿", type_code="INS-LIFE")
    business = Category.objects.filter(kind=Category.Kind.BUSINESS).order_by("pk").first()
    # c1: a petition by visit about the bank, closed on time, satisfied; 复查 asked in August and upheld in
    # September; a 复核 asked in Q4 (outside).
    c1 = make_case(
        owner=clerk_a,
        org=laizhou,
        institution=bank,
        case_type="petition",
        channel="visit",
        received_on=dt.date(2026, 7, 5),
        business=business,
        status="closed",
        closure="resolved",
        closed_at=moment("2026-07-20"),
        closed_on_time=True,
        satisfaction="satisfied",
    )
    PetitionReview.objects.create(
        case=c1,
        kind=PetitionReview.Kind.RECHECK,
        requested_on=dt.date(2026, 8, 14),
        office="烟台金融监管分局",
        decision=PetitionReview.Decision.UPHELD,
        decided_on=dt.date(2026, 9, 11),
        recorded_by=clerk_a,
    )
    PetitionReview.objects.create(
        case=c1, kind=PetitionReview.Kind.REVIEW, requested_on=dt.date(2026, 10, 9), office="省局", recorded_by=clerk_a
    )
    # c2: a group complaint from 12378 about the insurer, forwarded, replied late, closed late, dissatisfied.
    c2 = make_case(
        owner=clerk_a,
        org=laizhou,
        institution=insurer,
        channel="12378",
        received_on=dt.date(2026, 8, 3),
        group_size=3,
        status="closed",
        closure="resolved",
        closed_at=moment("2026-09-10"),
        closed_on_time=False,
        satisfaction="dissatisfied",
    )
    Forwarding.objects.create(
        case=c2,
        institution=insurer,
        slip_number="ZB-1",
        forwarded_on=dt.date(2026, 8, 5),
        forwarded_by=clerk_a,
        replied_on=dt.date(2026, 8, 30),
        replied_late=True,
    )
    # c3: a repeat by phone on the last day, closed as a duplicate of c2 (not counted among closures).
    make_case(
        owner=clerk_a,
        org=laizhou,
        channel="phone",
        received_on=dt.date(2026, 9, 30),
        duplicate_of=c2,
        status="closed",
        closure="duplicate",
        closed_at=moment("2026-09-30", 16),
    )
    # c4: a petition received in Q2, transferred to the police and closed in Q3 as not our remit, acknowledged;
    # not followed up.
    c4 = make_case(
        owner=clerk_a,
        org=laizhou,
        case_type="petition",
        channel="letter",
        received_on=dt.date(2026, 6, 30),
        status="closed",
        closure="not_our_remit",
        closed_at=moment("2026-07-02"),
        closed_on_time=True,
    )
    Transfer.objects.create(
        org=laizhou,
        case=c4,
        authority=Authority.POLICE,
        authority_name="莱州市公安局",
        letter_number="莱州金融监管支局〔2026〕31号",
        transferred_on=dt.date(2026, 7, 2),
        transferred_by=clerk_a,
        reason="涉嫌诈骗",
        acknowledged_on=dt.date(2026, 7, 6),
        acknowledged_by="刘警官",
    )
    # Outside: received on 1 October; and a case of Zhaoyuan.
    make_case(owner=clerk_a, org=laizhou, received_on=dt.date(2026, 10, 1))
    make_case(owner=other_clerk, org=orgs["zhaoyuan"], received_on=dt.date(2026, 8, 1))
    # Mediation: two in Q3 (one agreement 800 agreed, 500 recovered), one in Q2.
    _mediation(
        1,
        org=laizhou,
        clerk=clerk_a,
        institution=bank,
        received_on=dt.date(2026, 7, 10),
        outcome=Outcome.AGREEMENT,
        amount_agreed=Decimal("800.00"),
        amount_recovered=Decimal("500.00"),
    )
    _mediation(2, org=laizhou, clerk=clerk_a, institution=bank, received_on=dt.date(2026, 9, 1))
    _mediation(
        3,
        org=laizhou,
        clerk=clerk_a,
        institution=bank,
        received_on=dt.date(2026, 6, 1),
        outcome=Outcome.AGREEMENT,
        amount_agreed=Decimal("99.00"),
    )
    # Outreach: three events in Q3 in two cells (150 + 20 online, 60, 40 people), one in June.
    town = GridCell.objects.create(org=laizhou, kind=GridCell.Kind.TOWN, name="沙河镇")
    village = GridCell.objects.create(org=laizhou, parent=town, kind=GridCell.Kind.VILLAGE, name="沙河村")
    common = {"campaign": Campaign.objects.first(), "venue_type": VenueType.objects.first(), "org": laizhou}
    Event.objects.create(
        title="宣传一", held_on=dt.date(2026, 7, 8), grid_cell=village, participants=150, online_reach=20, **common
    )
    Event.objects.create(title="宣传二", held_on=dt.date(2026, 8, 8), grid_cell=village, participants=60, **common)
    Event.objects.create(title="宣传三", held_on=dt.date(2026, 9, 9), grid_cell=town, participants=40, **common)
    Event.objects.create(title="宣传四", held_on=dt.date(2026, 6, 9), grid_cell=town, participants=999, **common)
    return {"bank": bank, "insurer": insurer, "business": business, "c1": c1, "c2": c2}


def figure(report_or_figures, key: str, label: str, column: int = 0):
    figures = getattr(report_or_figures, "figures", report_or_figures)
    table = next(t for t in figures["tables"] if t["key"] == key)
    row = next(r for r in table["rows"] if r["label"] == label)
    return row["values"][column], row["params"][column]
