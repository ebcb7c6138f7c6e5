"""Filtered ledger pages count only up to a limit (超过 1000 件), as a broad search does; the unfiltered ledger
keeps its own count (docs/performance.md「台账计数」)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.complaints.page_forms import page_form
from tests.factories import SHANGHAI, make_case

pytestmark = pytest.mark.django_db

URL = reverse("complaints:index")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def ledger(orgs, clerk_a, clerk_b, monkeypatch):
    monkeypatch.setattr("complaints.views.ledger.BROAD_COUNT_LIMIT", 5)
    for day in range(1, 9):
        make_case(org=orgs["laizhou"], owner=clerk_b, received_on=dt.date(2026, 2, day))
    for day in range(1, 4):
        make_case(org=orgs["laizhou"], owner=clerk_a, received_on=dt.date(2026, 2, day))


def total_line(response) -> str:
    return response.text.split('data-testid="ledger-total">')[1].split("</p>")[0]


def test_a_filter_matching_more_than_the_limit_is_shown_as_more_than(client_for, clerk_a, clerk_b, ledger):
    client = client_for(clerk_a)
    form = page_form(client.get(URL).text, role="search")
    response = client.get(URL, form.fill(handler=str(clerk_b.pk)))
    page = response.context["page"]
    assert (page.total, page.total_is_exact, page.total_is_lower_bound) == (5, False, True)
    assert len(page.rows) == 8
    assert "超过 5 件（可再加条件缩小范围）" in total_line(response)
    assert "检索词" not in total_line(response)


def test_a_filter_matching_fewer_is_counted_exactly(client_for, clerk_a, ledger):
    client = client_for(clerk_a)
    form = page_form(client.get(URL).text, role="search")
    response = client.get(URL, form.fill(handler=str(clerk_a.pk)))
    assert "共 3 件" in total_line(response)


def test_the_unfiltered_ledger_and_the_untouched_form_keep_the_exact_count(client_for, clerk_a, ledger):
    client = client_for(clerk_a)
    first = client.get(URL)
    assert "共 11 件" in total_line(first)
    untouched = client.get(URL, page_form(first.text, role="search").fill())
    assert "共 11 件" in total_line(untouched)
