"""Drafting an office's quarterly statistics and the branch's roll-up take a fixed number of queries: the same with
N items of every kind the figures count as with 3N (issue 17, docs/performance.md「信访投诉统计」)."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from complaints.models import Authority, Contact, Forwarding, PetitionReview, Transfer
from core.models import Category, User
from core.roles import Role
from laizhou_xiaobao.statistics.figures import report_tables
from laizhou_xiaobao.statistics.models import StatisticsReport
from laizhou_xiaobao.statistics.services import report_draft
from laizhou_xiaobao.statistics.views_branch import branch_overview
from mediation.models import Outcome
from outreach.models import Campaign, Event, GridCell, VenueType
from tests.factories import make_case, make_institution, make_org, make_user, moment
from tests.statistics.conftest import START, _mediation

from .test_files_and_branch import _submit

# Every item gets its own day of the quarter, institution type and category, so that each one adds rows to the
# grouped queries (more groups, not only larger counts).
_serial = itertools.count(1000)


def _add_items(n: int, *, org, clerk) -> None:
    """n of each kind the figures count, in 2026 Q3: received cases (a group one, its repeat by contact and its
    duplicate), closures late and on time, forwardings, transfers to other authorities with acknowledgements,
    复查 and 复核 decided, mediation agreements with amounts, outreach events in grid cells of their own."""
    causes = list(Category.objects.filter(kind=Category.Kind.CAUSE).order_by("pk"))
    type_codes = ["BANK-RURAL", "BANK-STATE", "INS-LIFE", "INS-PROP"]
    common = {"campaign": Campaign.objects.first(), "venue_type": VenueType.objects.first(), "org": org}
    for i in range(n):
        serial = next(_serial)
        day = START + dt.timedelta(days=serial % 80)
        institution = make_institution(org=org, short_name=f"机构{serial}", type_code=type_codes[serial % 4])
        first = make_case(
            owner=clerk,
            org=org,
            institution=institution,
            channel=["12378", "phone", "visit", "letter"][i % 4],
            received_on=day,
            group_size=2 + i % 3,
            cause=causes[serial % len(causes)] if causes else None,
            status="closed",
            closure="resolved",
            closed_at=moment(day + dt.timedelta(days=5)),
            closed_on_time=bool(i % 2),
            satisfaction=["satisfied", "dissatisfied", ""][i % 3],
        )
        make_case(owner=clerk, org=org, received_on=day, duplicate_of=first, status="closed", closure="duplicate")
        Contact.objects.create(
            org=org,
            channel="phone",
            received_at=moment(day),
            summary="再次反映",
            outcome=Contact.Outcome.REPEAT,
            case=first,
            received_by=clerk,
        )
        Forwarding.objects.create(
            case=first,
            institution=institution,
            slip_number=f"ZB-{serial}",
            forwarded_on=day,
            forwarded_by=clerk,
            replied_on=day + dt.timedelta(days=10),
            replied_late=bool(i % 2),
        )
        petition = make_case(
            owner=clerk,
            org=org,
            case_type="petition",
            channel="letter",
            received_on=day,
            status="closed",
            closure="not_our_remit",
            closed_at=moment(day + dt.timedelta(days=1)),
            closed_on_time=True,
        )
        Transfer.objects.create(
            org=org,
            case=petition,
            authority=Authority.POLICE,
            authority_name="莱州市公安局",
            letter_number=f"莱州金融监管支局〔2026〕{serial}号",
            transferred_on=day,
            transferred_by=clerk,
            reason="涉嫌诈骗",
            acknowledged_on=day + dt.timedelta(days=2) if i % 2 else None,
            acknowledged_by="刘警官" if i % 2 else "",
        )
        for kind in PetitionReview.Kind.values:
            PetitionReview.objects.create(
                case=petition,
                kind=kind,
                requested_on=day,
                office="烟台金融监管分局",
                decision=PetitionReview.Decision.values[i % len(PetitionReview.Decision.values)],
                decided_on=day + dt.timedelta(days=3),
                recorded_by=clerk,
            )
        _mediation(
            serial,
            org=org,
            clerk=clerk,
            institution=institution,
            received_on=day,
            outcome=Outcome.AGREEMENT,
            amount_agreed=Decimal("100.00"),
            amount_recovered=Decimal("60.00"),
        )
        cell = GridCell.objects.create(org=org, kind=GridCell.Kind.TOWN, name=f"网格{serial}")
        Event.objects.create(title=f"宣传{serial}", held_on=day, grid_cell=cell, participants=10, **common)


def test_drafting_an_office_takes_the_same_queries_with_n_and_3n_items_of_every_kind(
    quarter, orgs, clerk_a, django_assert_num_queries
):
    laizhou = orgs["laizhou"]
    _add_items(2, org=laizhou, clerk=clerk_a)
    # 6 queries for the figures: received cases grouped (with their repeats and groups), closed cases grouped by
    # closure, timeliness and satisfaction, forwardings with transfers, 复查/复核 with their decisions, mediation
    # sums, outreach sums.
    with django_assert_num_queries(6):
        small = report_tables(laizhou, START, START.replace(month=9, day=30))
    _add_items(4, org=laizhou, clerk=clerk_a)
    with django_assert_num_queries(6):
        large = report_tables(laizhou, START, START.replace(month=9, day=30))
    # The added items were counted: the counts tripled beside the hand-counted quarter's own.
    assert large["headline"]["received"] - 3 == 3 * (small["headline"]["received"] - 3) == 3 * 2 * 3
    assert large["headline"]["mediation"] - 2 == 3 * (small["headline"]["mediation"] - 2)
    assert large["headline"]["events"] - 3 == 3 * (small["headline"]["events"] - 3)


def test_the_draft_service_takes_the_same_queries_with_n_and_3n_items(
    quarter, orgs, clerk_a, django_assert_num_queries
):
    laizhou = orgs["laizhou"]
    _add_items(2, org=laizhou, clerk=clerk_a)
    ContentType.objects.get_for_model(StatisticsReport)  # cached for the process, as in a running server
    # 19 queries: the transaction's savepoint, the clerk's unit and roles, whether the period already has a
    # report, the 6 of the figures, the report and its history row, the audit entry (savepoint, chain head moved
    # and read, the entry, the head's hash) and the two releases.
    # The clerk as each request loads them (the roles are cached on the user object).
    actor = User.objects.get(pk=clerk_a.pk)
    with django_assert_num_queries(19):
        report = report_draft(actor=actor, org=laizhou, year=2026, quarter=3)
    report.delete()
    _add_items(4, org=laizhou, clerk=clerk_a)
    actor = User.objects.get(pk=clerk_a.pk)
    with django_assert_num_queries(19):
        again = report_draft(actor=actor, org=laizhou, year=2026, quarter=3)
    assert again.figures["headline"]["received"] == 3 + 6 * 3


@pytest.fixture
def sub_bureaus(orgs, clerk_a, supervisor, other_clerk, quarter):
    """Laizhou and Zhaoyuan with their supervisors; more sub-bureaus are added by `_more_sub_bureaus`."""
    zy_supervisor = make_user(org=orgs["zhaoyuan"], role=Role.SUPERVISOR)
    return {"laizhou": (clerk_a, supervisor), "zhaoyuan": (other_clerk, zy_supervisor)}


def _submitted(org, clerk, supervisor):
    return _submit(report_draft(actor=clerk, org=org, year=2026, quarter=3), clerk, supervisor)


def _more_sub_bureaus(n: int, *, orgs) -> None:
    """n more sub-bureaus, each with a case in the quarter and a submitted report."""
    for _i in range(n):
        serial = next(_serial)
        org = make_org(f"sb{serial}", name=f"测试{serial}支局", parent=orgs["yantai"])
        office_clerk = make_user(org=org, role=Role.CLERK)
        office_supervisor = make_user(org=org, role=Role.SUPERVISOR)
        make_case(owner=office_clerk, org=org, received_on=START)
        _submitted(org, office_clerk, office_supervisor)


def test_the_roll_up_takes_the_same_queries_with_n_and_3n_submissions_and_items(
    sub_bureaus, orgs, clerk_a, django_assert_num_queries
):
    laizhou = orgs["laizhou"]
    _add_items(2, org=laizhou, clerk=clerk_a)
    _submitted(laizhou, *sub_bureaus["laizhou"])
    _more_sub_bureaus(1, orgs=orgs)
    # 2 queries: the sub-bureaus below the branch, their current submitted or returned reports (with who submitted
    # and who returned them). The roll-up sums the frozen snapshots; it never counts the cases again.
    with django_assert_num_queries(2):
        small = branch_overview(orgs["yantai"], 2026, 3)
    _add_items(4, org=laizhou, clerk=clerk_a)
    _more_sub_bureaus(2, orgs=orgs)
    zhaoyuan = _submitted(orgs["zhaoyuan"], *sub_bureaus["zhaoyuan"])
    with django_assert_num_queries(2):
        large = branch_overview(orgs["yantai"], 2026, 3)
    assert len(small.submissions) + 2 == len(large.submissions)
    assert sum(s.counted for s in large.submissions) == sum(s.counted for s in small.submissions) + 3
    total = {(table, label): value for table, label, _values, value in large.lines}[("受理件数（按来源渠道）", "合计")]
    # Laizhou as submitted (the hand-counted 3 and 2 × 3 added before), three new offices, Zhaoyuan's one.
    assert total == 3 + 2 * 3 + 3 + 1
    assert zhaoyuan.status == StatisticsReport.Status.SUBMITTED
