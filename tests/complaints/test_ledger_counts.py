"""Filtered ledger pages count only up to a limit (超过 1000 件), as a broad search does; the unfiltered ledger's
exact total is read from the case month summary (docs/performance.md「台账的总数」)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from tests.complaints.page_forms import page_form
from tests.factories import SHANGHAI, make_case, make_user

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


def test_the_unfiltered_total_is_exact_beyond_the_exact_count_limit_and_past_the_last_page(
    client_for, clerk_a, ledger, settings
):
    """The unfiltered ledger's total comes from the case month summary: exact at any size (PostgreSQL used to show
    the planner's estimate above LEDGER_EXACT_COUNT_LIMIT), on every page and sort."""
    settings.LEDGER_EXACT_COUNT_LIMIT = 3
    client = client_for(clerk_a)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(URL)
    page_query = next(q["sql"] for q in queries.captured_queries if "complaints_casemonthcount" in q["sql"])
    assert "COUNT(" not in page_query.upper()  # the rows and the summed summary, nothing counted
    assert (first.context["page"].total, first.context["page"].total_is_exact) == (11, True)
    form = page_form(first.text, role="search")
    sorted_ledger = client.get(URL, form.fill(sort=form.selects["sort"][-1]))
    assert "共 11 件" in total_line(sorted_ledger)
    past_the_end = client.get(URL, {"page": "9"})
    assert past_the_end.context["page"].rows == [] and "共 11 件" in total_line(past_the_end)


def test_the_branch_reviewer_total_adds_the_offices_and_a_new_case_counts_at_once(
    client_for, orgs, clerk_a, ledger, reviewer
):
    zhaoyuan_clerk = make_user(org=orgs["zhaoyuan"], role=Role.CLERK, username="zy_clerk")
    make_case(org=orgs["zhaoyuan"], owner=zhaoyuan_clerk, received_on=dt.date(2026, 3, 2))
    assert "共 12 件" in total_line(client_for(reviewer).get(URL))
    make_case(org=orgs["laizhou"], owner=clerk_a, received_on=dt.date(2026, 3, 9))
    assert "共 12 件" in total_line(client_for(clerk_a).get(URL))


@pytest.mark.postgres
def test_the_bounded_count_runs_with_sequential_scans_off_on_postgresql():
    """A bounded sequential scan starts where the last scan of the table stopped (synchronized scans): the same
    count took 2 ms or 250 ms by turns. The count function walks an index instead (migration complaints/0022)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT proconfig FROM pg_proc WHERE proname = 'complaints_ledger_count'")
        assert cursor.fetchone()[0] == ["enable_seqscan=off"]


@pytest.mark.postgres
def test_the_bounded_count_also_runs_with_sequential_scans_off_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT proconfig FROM pg_proc WHERE proname = 'complaints_bounded_count'")
        assert cursor.fetchone()[0] == ["enable_seqscan=off"]


@pytest.mark.postgres
def test_a_filtered_page_counts_without_asking_the_planner_for_an_estimate(client_for, clerk_a, clerk_b, ledger):
    """Above the limit a filtered page shows "超过 N 件", never an estimate: its count is the bounded function's
    (migration complaints/0024), which does not plan the query a second time; the unfiltered ledger counts nothing."""
    client = client_for(clerk_a)
    form = page_form(client.get(URL).text, role="search")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, form.fill(handler=str(clerk_b.pk)))
    page_query = next(q["sql"] for q in queries.captured_queries if "ledger_total" in q["sql"])
    assert "complaints_bounded_count(" in page_query and "complaints_ledger_count(" not in page_query
    assert "超过 5 件" in total_line(response)


@pytest.mark.postgres
def test_the_bounded_count_is_exact_up_to_the_limit_and_negated_one_past_it(orgs, clerk_a, clerk_b, ledger):
    from complaints.models import Case
    from complaints.selectors import count_rows

    eight = Case.objects.filter(owner=clerk_b)
    assert count_rows(eight, 8) == (8, True)
    assert count_rows(eight, 7) == (8, False)  # limit + 1: "more than 7"
    assert count_rows(eight, 3) == (4, False)
    assert count_rows(Case.objects.filter(owner=clerk_a), 3) == (3, True)
