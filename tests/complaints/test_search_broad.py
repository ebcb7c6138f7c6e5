"""A common search term (every bigram in ≥ 1% of the cases) walks the ledger instead of its index candidates,
and the ledger counts it only up to a limit. PostgreSQL only: the choice reads PostgreSQL's statistics."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection

from complaints import search
from complaints.models import Case
from complaints.search import is_broad, search_filter
from tests.factories import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

URL = "/complaints/"


@pytest.fixture
def analysed(orgs, clerk_a):
    laizhou = orgs["laizhou"]
    for n in range(12):
        make_case(org=laizhou, owner=clerk_a, number=f"DELAY-{n:02}", summary="车险理赔拖延", content="")
    # Every bigram of 理赔拖延 but not adjacent: not a match.
    make_case(org=laizhou, owner=clerk_a, number="APART", summary="理赔款到账后又赔拖欠的利息，拖延", content="")
    # Enough other cases that one holding a term is under 1% of them.
    for n in range(120):
        make_case(org=laizhou, owner=clerk_a, number=f"OTHER-{n:03}", summary="贷款利率", content="")
    make_case(org=laizhou, owner=clerk_a, number="RARE", name="欧阳明", summary="征信异议", content="")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_casesearchindex")
    cache.delete(search.frequencies_cache_key())
    yield
    cache.delete(search.frequencies_cache_key())


def test_a_common_term_is_broad_and_a_rare_one_is_not(analysed):
    assert is_broad("理赔拖延") and is_broad("理赔")
    assert not is_broad("征信异议") and not is_broad("欧阳") and not is_broad("ts-2026-0001")


@pytest.mark.parametrize("term", ["理赔拖延", "理赔", "征信异议", "欧阳", "车险 理赔", "拖延 理赔 车险"])
def test_both_paths_find_exactly_what_icontains_finds(analysed, term):
    found = set(search_filter(Case.objects.all(), term).values_list("number", flat=True))
    expected = set(Case.objects.all().values_list("number", flat=True))
    for word in term.split():
        expected &= {
            case.number
            for case in Case.objects.all()
            if any(word in (getattr(case, field) or "").lower() for field in ("number", "name", "summary", "content"))
        }
    assert found == expected and found


def test_the_ledger_counts_a_broad_search_only_up_to_its_limit(analysed, client_for, clerk_a, monkeypatch):
    monkeypatch.setattr("complaints.views.ledger.BROAD_COUNT_LIMIT", 5)
    response = client_for(clerk_a).get(URL, {"q": "理赔拖延"})
    page = response.context["page"]
    assert (page.total, page.total_is_exact, page.total_is_lower_bound) == (5, False, True)
    assert len(page.rows) == 12
    assert "超过 5 件" in response.text
    rare = client_for(clerk_a).get(URL, {"q": "征信异议"}).context["page"]
    assert (rare.total, rare.total_is_exact, rare.total_is_lower_bound) == (1, True, False)


@pytest.mark.parametrize("term", ["司马", "司马光"])
def test_a_rare_word_finds_its_case_however_far_down_the_ledger(analysed, client_for, clerk_a, orgs, term):
    """The ledger reads a page's ids first (a subquery in which the case table has an alias): the index condition
    must name that subquery's case, or it only filters the office's newest page of cases (134 here, 51 a page)."""
    make_case(
        org=orgs["laizhou"], owner=clerk_a, number="OLD-RARE", name="司马光", summary="", content="",
        received_on=dt.date(2020, 1, 6),
    )  # fmt: skip
    page = client_for(clerk_a).get(URL, {"q": term}).context["page"]
    assert [row.number for row in page.rows] == ["OLD-RARE"]
    assert (page.total, page.total_is_exact) == (1, True)
