"""The dashboard's 暂停 bucket: its count is the office's paused open deadlines, its link lists the paused cases,
and the morning reminders leave paused deadlines out (docs/domain.md「暂停计时」)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from complaints.services.pauses import case_clock_pause
from core.models import Deadline
from core.reminders import build_digests
from tests.dashboard.conftest import open_item
from tests.factories import at, make_open_case

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 9, 30)


def _seed(orgs, clerk_a, clerk_b, institution):
    """Two Laizhou cases paused (one long overdue by its date), one running overdue, one paused in Zhaoyuan."""
    cases = []
    for due in ("2025-09-10", "2025-10-20", "2025-09-26"):
        case = make_open_case(
            org=orgs["laizhou"], owner=clerk_a, backup=clerk_b, institution=institution, received_on=dt.date(2025, 9, 1)
        )
        open_item(case, dt.date.fromisoformat(due))
        cases.append(case)
    with at(TODAY):
        for case in cases[:2]:
            case.refresh_from_db()
            case_clock_pause(
                actor=clerk_a, case=case, version=case.version, kind="appraisal", reason="等待司法鉴定", start_on=TODAY
            )
    return cases


def test_paused_bucket_counts_match_the_database_and_link_to_the_paused_cases(
    orgs, clerk_a, clerk_b, supervisor, institution, client_for, django_assert_num_queries
):
    paused_a, paused_b, running = _seed(orgs, clerk_a, clerk_b, institution)
    client = client_for(supervisor)
    with at(TODAY, 9):
        client.get(reverse("dashboard:board"))  # warm the calendar cache
        # Unchanged by the 暂停 bucket (it is one more conditional count of the one grouped deadline query):
        # session, user with groups and org (one query); calendar; deadlines; absences, supervisors, handler and
        # institution names (one query); closure rates; intake; top institutions and their names; open major cases;
        # unread notifications.
        with django_assert_num_queries(11):
            response = client.get(reverse("dashboard:board"))
    totals = response.context["offices"][0]["figures"].totals
    direct = Deadline.objects.open().filter(org=orgs["laizhou"])
    assert totals.paused == direct.filter(paused_since__isnull=False).count() == 2
    assert totals.overdue == direct.filter(paused_since__isnull=True, due_on__lt=TODAY).count() == 1
    html = response.content.decode()
    link = re.search(r'href="([^"]*)"[^>]*data-testid="total-laizhou-paused"', html).group(1)
    assert link.endswith("?bucket=paused")

    with at(TODAY, 9):
        listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert paused_a.number in listed and paused_b.number in listed and running.number not in listed
    assert "暂停计时" in listed and "共 2 项" in listed


def test_reminders_skip_paused_deadlines(orgs, clerk_a, clerk_b, institution):
    paused_a, paused_b, running = _seed(orgs, clerk_a, clerk_b, institution)
    digests, _warnings = build_digests(TODAY, dt.date(2025, 10, 31))
    labels = [label for digest in digests for label, *_rest in digest.own + digest.supervised_overdue]
    assert any(running.number in label for label in labels)
    assert not any(paused_a.number in label or paused_b.number in label for label in labels)
