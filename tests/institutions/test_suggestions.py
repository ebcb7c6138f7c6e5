"""The rules of docs/domain.md, "正负面清单" and "约谈督导" on built data: which items and interviews they suggest."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from institutions.models import Institution, Interview, InterviewTriggerRule, ListItem, ListSuggestionRule
from institutions.periods import quarter_period
from institutions.selectors import complaint_figures, mediation_cooperation
from institutions.services.lists import list_draft
from institutions.services.triggers import interviews_propose
from tests.factories import make_institution, make_institution_case

from .conftest import make_forwarding, make_repeat_contact

Q3 = dt.date(2026, 8, 3)
Q2 = dt.date(2026, 5, 6)


@pytest.fixture
def built(orgs, clerk_a, bank, insurer):
    """東岳: 6 complaints in Q3 (3 in Q2), one late forward, a repeat, a substantiated report.
    泰和: nothing at all. 海岱: two forwards, both on time."""
    for _n in range(5):
        make_institution_case(institution=bank, received_on=Q3, owner=clerk_a)
    first = make_institution_case(institution=bank, received_on=Q3, owner=clerk_a)
    make_forwarding(case=first, late=True)
    make_institution_case(institution=bank, received_on=Q3, owner=clerk_a, duplicate_of=first)
    make_repeat_contact(institution=bank, received_on=Q3, user=clerk_a, case=first)
    make_institution_case(institution=bank, received_on=Q3, owner=clerk_a, case_type="report", finding="substantiated")
    for _n in range(3):
        make_institution_case(institution=bank, received_on=Q2, owner=clerk_a)
    on_time = make_institution(org=orgs["laizhou"], short_name="海岱银行", type_code="BANK-JOINT", outlets=4)
    for _n in range(2):
        make_forwarding(case=make_institution_case(institution=on_time, received_on=Q3, owner=clerk_a), late=False)
    return {"bank": bank, "insurer": insurer, "on_time": on_time}


def _items(quarterly_list, institution):
    row = quarterly_list.rows.get(institution=institution)
    return {item.rule.code: item for item in row.items.select_related("rule")}


def test_complaint_figures_count_each_kind_apart(built):
    period = quarter_period(2026, 3)
    figures = {f.name: f for f in complaint_figures(Institution.objects.all(), period)}
    bank = figures["东岳银行"]
    # 6 complaints + 1 report; the linked repeat is not counted twice.
    assert (bank.complaints, bank.previous, bank.change) == (7, 3, 4)
    assert bank.per_outlet == Decimal("3.50")
    assert bank.change_percent == Decimal("133.3")
    assert (bank.late_forwards, bank.forwards) == (1, 1)
    assert bank.repeat == 2  # the duplicate case and the repeat contact
    assert bank.substantiated == 1
    assert bank.links["complaints"] == (
        f"/complaints/?institution={bank.institution_id}&received_from=2026-07-01&received_to=2026-09-30"
    )
    assert "repeat=1" in bank.links["repeat"]
    assert "received_from=2026-04-01&received_to=2026-06-30" in bank.links["previous"]
    assert figures["泰和人寿"].complaints == 0


@time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC))
def test_rules_suggest_the_expected_items(built, orgs):
    quarterly_list = list_draft(org=orgs["laizhou"], year=2026, quarter=3)
    bank = _items(quarterly_list, built["bank"])
    assert set(bank) == {
        "neg-complaints",
        "neg-per-outlet",
        "neg-growth",
        "neg-late-forwards",
        "neg-repeat",
        "neg-substantiated",
    }
    assert bank["neg-complaints"].description == "本季度被投诉7件，达到5件的关注线。"
    assert bank["neg-complaints"].polarity == "negative"
    assert bank["neg-complaints"].state == ListItem.State.SUGGESTED
    assert len(bank["neg-complaints"].evidence) == 7
    assert {e["kind"] for e in bank["neg-late-forwards"].evidence} == {"case"}
    assert set(_items(quarterly_list, built["insurer"])) == {"pos-no-complaints"}
    assert set(_items(quarterly_list, built["on_time"])) == {"pos-forwards-on-time"}
    assert quarterly_list.rows.get(institution=built["bank"]).figures["complaints"] == 7


@time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC))
def test_thresholds_are_data(built, orgs):
    ListSuggestionRule.objects.filter(code="neg-complaints").update(threshold=8)
    ListSuggestionRule.objects.filter(code="neg-growth").update(minimum_base=4)
    ListSuggestionRule.objects.filter(code="pos-no-complaints").update(active=False)
    quarterly_list = list_draft(org=orgs["laizhou"], year=2026, quarter=3)
    bank = _items(quarterly_list, built["bank"])
    assert "neg-complaints" not in bank
    assert "neg-growth" not in bank
    assert _items(quarterly_list, built["insurer"]) == {}


@time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC))
def test_interview_not_rectified_on_time_is_suggested(built, orgs, clerk_a):
    from institutions.models import RectificationItem

    interview = Interview.objects.create(
        org=orgs["laizhou"], institution=built["insurer"], reason="测试", status=Interview.Status.RECTIFYING
    )
    RectificationItem.objects.create(interview=interview, description="整改双录", due_on=dt.date(2026, 9, 1))
    quarterly_list = list_draft(org=orgs["laizhou"], year=2026, quarter=3)
    items = _items(quarterly_list, built["insurer"])
    assert "neg-interview" in items
    assert items["neg-interview"].evidence == [{"kind": "interview", "id": interview.pk, "label": ""}]


@time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC))
def test_trigger_rules_propose_interviews_once(built, orgs):
    created = interviews_propose(org=orgs["laizhou"], year=2026, quarter=3)
    proposals = {(i.institution.short_name, i.trigger_rule.code) for i in created}
    # 7 complaints < 10; a rise of 133% on a base of 3 < 4; one late forward < 2; one substantiated report.
    assert proposals == {("东岳银行", "substantiated-report")}
    assert created[0].status == Interview.Status.PROPOSED
    assert "查实" in created[0].reason
    InterviewTriggerRule.objects.filter(code="complaints-10").update(threshold=7)
    again = interviews_propose(org=orgs["laizhou"], year=2026, quarter=3)
    assert {(i.institution.short_name, i.trigger_rule.code) for i in again} == {("东岳银行", "complaints-10")}
    assert interviews_propose(org=orgs["laizhou"], year=2026, quarter=3) == []


def test_mediation_cooperation_is_empty_without_mediations(orgs):
    assert mediation_cooperation(orgs["laizhou"], Q3, Q3) == {}


@pytest.mark.parametrize("figure", ["forwards", "late_forwards", "substantiated"])
def test_each_ranking_figure_links_to_a_ledger_listing_exactly_its_cases(built, supervisor, client_for, figure):
    period = quarter_period(2026, 3)
    figures = {f.name: f for f in complaint_figures(Institution.objects.all(), period)}
    client = client_for(supervisor)
    for name in ("东岳银行", "海岱银行"):
        response = client.get(figures[name].links[figure])
        assert response.status_code == 200
        assert response.context["page"].total == getattr(figures[name], figure), (name, figure)
