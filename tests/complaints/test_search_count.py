"""A broad search alone is counted on the search text (complaints.models.CaseSearchText), not on the cases
(docs/performance.md「2026-12-06 第九轮」): the same cases, per unit, through the ledger's own form. PostgreSQL only:
whether a word is broad comes from PostgreSQL's statistics."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import search
from complaints.models import Case, CaseSearchText
from complaints.search import case_reindex, reindex_cases, search_count, search_filter, search_text
from tests.complaints.test_ledger_form import URL, controls
from tests.factories import VALID_ID, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TEXT_TABLE = CaseSearchText._meta.db_table


@pytest.fixture
def analysed(orgs, clerk_a, other_clerk):
    laizhou, zhaoyuan = orgs["laizhou"], orgs["zhaoyuan"]
    for n in range(9):
        make_case(org=laizhou, owner=clerk_a, number=f"LZ-{n:02}", summary="车险理赔拖延", content="", status="closed")
    make_case(org=laizhou, owner=clerk_a, number="LZ-NAME", name="理赔拖延", summary="", content="")
    make_case(org=laizhou, owner=clerk_a, number="LZ-CONTENT", summary="", content="反映理赔拖延三个月")
    # Upper case in the text, lower case in the word (words are lower-cased, so is the text).
    make_case(org=laizhou, owner=clerk_a, number="LZ-LATIN", summary="ETC理赔拖延", content="")
    # Every trigram of 理赔拖延 but not adjacent: not a match.
    make_case(org=laizhou, owner=clerk_a, number="LZ-APART", summary="理赔拖欠，赔拖延误", content="")
    for n in range(5):
        make_case(org=zhaoyuan, owner=other_clerk, number=f"ZY-{n:02}", summary="理赔拖延", content="")
    for n in range(150):
        make_case(org=laizhou, owner=clerk_a, number=f"OTHER-{n:03}", summary="贷款利率", content="")
    make_case(org=laizhou, owner=clerk_a, number="RARE", summary="征信异议", content="")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_casesearchindex")
    cache.delete(search.frequencies_cache_key())
    yield
    cache.delete(search.frequencies_cache_key())


def _found(org_ids, query):
    cases = Case.objects.all() if org_ids is None else Case.objects.filter(org_id__in=org_ids)
    return set(search_filter(cases, query).values_list("pk", flat=True))


@pytest.mark.parametrize("query", ["理赔拖延", "理赔", "拖延 理赔", "理赔拖延 车险"])
def test_the_search_text_holds_the_cases_the_search_finds_in_each_unit(analysed, orgs, query):
    for org_ids in ([orgs["laizhou"].pk], [orgs["zhaoyuan"].pk], [orgs["laizhou"].pk, orgs["zhaoyuan"].pk], None):
        rows = search_count(query, org_ids)
        assert rows is not None, query
        assert set(rows.values_list("pk", flat=True)) == _found(org_ids, query), (query, org_ids)
    assert _found(None, query)


@pytest.mark.parametrize(
    "query",
    ["征信异议", "理赔 征信异议", "ts-2026-0001", VALID_ID, "13912345678", "理", ""],
)
def test_a_rare_word_a_case_number_or_a_personal_number_is_counted_on_the_cases(analysed, orgs, query):
    assert search_count(query, [orgs["laizhou"].pk]) is None


def _page(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    counted_on_text = any(TEXT_TABLE in query["sql"] for query in queries.captured_queries)
    return response, counted_on_text


def test_the_ledger_form_counts_a_broad_search_on_the_search_text(analysed, client_for, clerk_a, orgs, monkeypatch):
    client = client_for(clerk_a)
    blank = controls(client.get(URL)).submission()
    response, counted_on_text = _page(client, {**blank, "q": "理赔拖延"})
    expected = _found([orgs["laizhou"].pk], "理赔拖延")
    page = response.context["page"]
    assert counted_on_text
    assert (page.total, page.total_is_exact) == (len(expected), True) == (12, True)
    assert {row.case.pk for row in response.context["rows"]} == expected
    assert "共 12 件" in response.text

    monkeypatch.setattr("complaints.views.ledger.BROAD_COUNT_LIMIT", 5)
    response, counted_on_text = _page(client, {**blank, "q": "理赔拖延"})
    page = response.context["page"]
    assert counted_on_text and (page.total, page.total_is_lower_bound) == (5, True)
    assert "超过 5 件" in response.text


def test_a_broad_search_counted_on_the_text_keeps_the_ledgers_six_queries(
    analysed, client_for, clerk_a, django_assert_num_queries
):
    # The budget of tests/complaints/test_ledger.py: the count on the search text is a scalar subquery of the
    # page's one query, not a query of its own.
    client = client_for(clerk_a)
    blank = controls(client.get(URL)).submission()  # the work calendar, cached per process
    search.bigram_frequencies()  # PostgreSQL's search statistics, kept a few minutes in the shared cache
    with django_assert_num_queries(6) as queries:
        response = client.get(URL, {**blank, "q": "理赔拖延"})
    assert any(TEXT_TABLE in query["sql"] for query in queries.captured_queries)
    assert "共 12 件" in response.text


def test_a_branch_reviewer_counts_both_units(analysed, client_for, reviewer, orgs):
    client = client_for(reviewer)
    response, counted_on_text = _page(client, {**controls(client.get(URL)).submission(), "q": "理赔拖延"})
    assert counted_on_text and response.context["page"].total == 17 == len(_found(None, "理赔拖延"))


def test_a_search_with_another_filter_is_counted_on_the_cases(analysed, client_for, clerk_a):
    client = client_for(clerk_a)
    blank = controls(client.get(URL)).submission()
    response, counted_on_text = _page(client, {**blank, "q": "理赔拖延", "status": "open"})
    assert not counted_on_text
    assert response.context["page"].total == 3  # LZ-NAME, LZ-CONTENT, LZ-LATIN: the nine LZ-0n are closed
    response, counted_on_text = _page(client, {**blank, "q": "征信异议"})
    assert not counted_on_text and response.context["page"].total == 1


def test_the_search_text_follows_the_case_and_is_rebuilt_with_the_index(analysed, orgs):
    case = Case.objects.get(number="RARE")
    case.summary = "理赔拖延已解决"
    case.save()
    case_reindex(case)
    stored = CaseSearchText.objects.get(case_id=case.pk)
    assert (stored.org_id, stored.text) == (orgs["laizhou"].pk, "rare\n王小明\n理赔拖延已解决\n")
    assert stored.text == search_text([case.number, case.name, case.summary, case.content])
    CaseSearchText.objects.all().delete()
    assert reindex_cases() == Case.objects.count()
    assert set(CaseSearchText.objects.values_list("case_id", "org_id")) == set(Case.objects.values_list("pk", "org_id"))
    assert set(search_count("理赔拖延", None).values_list("pk", flat=True)) == _found(None, "理赔拖延")
