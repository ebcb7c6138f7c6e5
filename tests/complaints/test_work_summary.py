"""The office summary (docs/domain.md, "工作小结"): the sentence and the figures behind it, on built data."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from complaints.models import Contact, Forwarding
from complaints.work_summary import work_summary_for_orgs
from tests.factories import make_case, make_institution, moment


@pytest.fixture
def year_2025(orgs, clerk_a, other_clerk):
    laizhou = orgs["laizhou"]
    bank = make_institution(org=laizhou, short_name="莱州农商银行")
    in_year = dt.date(2025, 5, 6)
    # Petitions and reports closed in 2025: two on time, one late, one duplicate (not counted).
    make_case(
        org=laizhou,
        owner=clerk_a,
        case_type="petition",
        status="closed",
        closed_on_time=True,
        closed_at=moment(dt.date(2025, 6, 1)),
        received_on=in_year,
        channel="letter",
    )
    make_case(
        org=laizhou,
        owner=clerk_a,
        case_type="report",
        status="closed",
        closed_on_time=True,
        closed_at=moment(dt.date(2025, 12, 31), 23),
        received_on=in_year,
        channel="online",
        is_anonymous=True,
        name="",
    )
    make_case(
        org=laizhou,
        owner=clerk_a,
        case_type="petition",
        status="closed",
        closed_on_time=False,
        closed_at=moment(dt.date(2025, 7, 1)),
        received_on=in_year,
        channel="visit",
    )
    make_case(
        org=laizhou,
        owner=clerk_a,
        case_type="petition",
        status="closed",
        closed_on_time=True,
        closure="duplicate",
        closed_at=moment(dt.date(2025, 7, 2)),
        received_on=in_year,
        channel="visit",
    )
    # Closed in 2026 (outside the period) and a complaint (not a 信访举报件).
    make_case(
        org=laizhou,
        owner=clerk_a,
        case_type="petition",
        status="closed",
        closed_on_time=True,
        closed_at=moment(dt.date(2026, 1, 1), 0),
        received_on=dt.date(2025, 12, 20),
        channel="letter",
    )
    complaint = make_case(
        org=laizhou,
        owner=clerk_a,
        case_type="complaint",
        status="forwarded",
        institution=bank,
        received_on=in_year,
        channel="12378",
    )
    Forwarding.objects.create(
        case=complaint, institution=bank, slip_number="ZB-1", forwarded_on=dt.date(2025, 5, 8), forwarded_by=clerk_a
    )
    # Contacts: a group visit of 5 and a single visit (6 人次), two calls; one call in 2024.
    for channel, size, day in (
        ("visit", 5, dt.date(2025, 3, 1)),
        ("visit", 1, dt.date(2025, 4, 1)),
        ("phone", 1, dt.date(2025, 4, 2)),
        ("phone", 1, dt.date(2025, 9, 9)),
        ("phone", 1, dt.date(2024, 12, 31)),
    ):
        Contact.objects.create(
            org=laizhou,
            channel=channel,
            received_at=moment(day),
            summary="咨询",
            group_size=size,
            outcome=Contact.Outcome.ANSWERED,
            received_by=clerk_a,
        )
    # 招远's work never counts in 莱州's summary.
    make_case(
        org=orgs["zhaoyuan"],
        owner=other_clerk,
        case_type="petition",
        status="closed",
        closed_on_time=True,
        closed_at=moment(dt.date(2025, 6, 1)),
        received_on=in_year,
    )
    return laizhou


def test_summary_figures_on_built_data(year_2025):
    figures = work_summary_for_orgs(org_ids=[year_2025.pk], start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert figures.sentence == "已按时办结信访举报件2件，接待来访群众6人次，接听群众来电2起，转办投诉1件"
    assert (figures.closed_total, figures.visits, figures.received) == (3, 2, 6)
    assert figures.on_time_rate == pytest.approx(2 / 3)
    assert dict(figures.by_type) == {"信访": 4, "举报": 1, "转办投诉": 1}
    assert dict(figures.by_channel)["走访"] == 2 and dict(figures.by_channel)["12378热线"] == 1
    assert figures.by_institution == [("莱州农商银行", 1, 1)]


def test_summary_page_shows_sentence_chart_and_table(client_for, clerk_a, year_2025):
    response = client_for(clerk_a).get(reverse("complaints:summary"), {"from": "2025-01-01", "to": "2025-12-31"})
    body = response.content.decode()
    assert "已按时办结信访举报件2件，接待来访群众6人次，接听群众来电2起，转办投诉1件" in body
    assert "<svg" in body and "莱州农商银行" in body


def test_summary_page_bad_date_is_reported(client_for, clerk_a, orgs):
    response = client_for(clerk_a).get(reverse("complaints:summary"), {"from": "2025-13-01"})
    assert "日期格式应为 YYYY-MM-DD" in response.content.decode()


def test_outsider_summary_leaves_laizhou_out(client_for, other_clerk, year_2025):
    body = (
        client_for(other_clerk)
        .get(reverse("complaints:summary"), {"from": "2025-01-01", "to": "2025-12-31"})
        .content.decode()
    )
    assert "已按时办结信访举报件1件，接待来访群众0人次" in body


def test_summary_requires_login(client):
    assert client.get(reverse("complaints:summary")).status_code == 302


def test_work_summary_command(year_2025, capsys):
    call_command("work_summary", "--from", "2025-01-01", "--to", "2025-12-31", "--org", "laizhou")
    out = capsys.readouterr().out
    assert "已按时办结信访举报件2件，接待来访群众6人次，接听群众来电2起，转办投诉1件" in out
    assert "按时办结率：66.7%（2/3）" in out
