"""重大/群体性 cases are shown first: a list at the top of the board, first among my running items."""

import datetime as dt

import pytest
from django.urls import reverse

from complaints.models import Case
from tests.dashboard.conftest import open_item
from tests.factories import at, make_open_case

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 9, 30)


def _major(case, reason="涉及 25 人（群体性，20 人及以上）"):
    case.is_major, case.major_reason, case.group_size = True, reason, 25
    case.save(update_fields=["is_major", "major_reason", "group_size"])
    return case


def test_board_lists_the_open_major_cases_first_and_matches_the_database(orgs, clerk_a, supervisor, client_for):
    major = _major(make_open_case(org=orgs["laizhou"], owner=clerk_a, summary="理财产品到期未兑付"))
    make_open_case(org=orgs["laizhou"], owner=clerk_a)
    _major(make_open_case(org=orgs["zhaoyuan"], owner=clerk_a))  # another office's: not on Laizhou's board
    with at(TODAY, 9):
        response = client_for(supervisor).get(reverse("dashboard:board"))
    html = response.content.decode()
    listed = response.context["major_cases"]
    direct = Case.objects.open().filter(org=orgs["laizhou"], is_major=True)
    assert [row["pk"] for row in listed] == list(direct.values_list("pk", flat=True)) == [major.pk]
    assert html.index('data-testid="major-cases"') < html.index('data-testid="office-laizhou"')
    assert "涉及 25 人" in html and major.number in html


def test_my_work_lists_major_items_before_earlier_due_ones(orgs, clerk_a, client_for):
    ordinary = make_open_case(org=orgs["laizhou"], owner=clerk_a)
    early = open_item(ordinary, dt.date(2025, 9, 10))
    major = _major(make_open_case(org=orgs["laizhou"], owner=clerk_a))
    late = open_item(major, dt.date(2025, 10, 20))
    with at(TODAY, 9):
        html = client_for(clerk_a).get(reverse("home")).content.decode()
    assert f'data-testid="major-{late.pk}"' in html
    assert html.index(f'data-testid="item-{late.pk}"') < html.index(f'data-testid="item-{early.pk}"')
