"""The figures against the hand-counted quarter (tests/statistics/conftest.py), their links, and the query count."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from laizhou_xiaobao.statistics.figures import report_tables
from tests.statistics.conftest import END, START, figure

EXPECTED = [
    ("channel", "走访", 1),
    ("channel", "12378热线", 1),
    ("channel", "电话", 1),
    ("channel", "书信", 0),
    ("channel", "合计", 3),
    ("type", "信访", 1),
    ("type", "转办投诉", 2),
    ("type", "举报", 0),
    ("kind", "申诉求决", 1),
    ("institution_type", "人身险", 1),
    ("institution_type", "未涉及具体机构", 1),
    ("business", "未填写业务类别", 2),
    ("matters", "重复件（含被并入的首次件）", 2),
    ("matters", "群体件（2人及以上）", 1),
    ("closing", "办结（不含重复件）", 3),
    ("closing", "按时办结", 2),
    ("closing", "超期办结", 1),
    ("satisfaction", "满意", 1),
    ("satisfaction", "不满意", 1),
    ("satisfaction", "未回访", 1),
    ("transfers", "转办被投诉机构", 1),
    ("transfers", "其中机构超期反馈", 1),
    ("transfers", "转送有权机关", 1),
    ("transfers", "其中接收机关已签收", 1),
    ("reviews", "复查请求", 1),
    ("reviews", "复查决定：维持", 1),
    ("reviews", "复查决定：撤销", 0),
    ("reviews", "复核请求", 0),
    ("mediation", "调解收案（件）", 2),
    ("mediation", "达成调解协议（件）", 1),
    ("mediation", "协议金额（元）", "800.00"),
    ("mediation", "实际履行金额（元）", "500.00"),
    ("outreach", "宣传活动（次）", 3),
    ("outreach", "覆盖人次（现场与线上）", 270),
    ("outreach", "覆盖网格（个）", 2),
]


@pytest.mark.parametrize(("key", "label", "expected"), EXPECTED)
def test_figures_match_the_hand_count(quarter, orgs, key, label, expected):
    figures = report_tables(orgs["laizhou"], START, END)
    assert figure(figures, key, label)[0] == expected


def test_business_and_institution_type_rows_name_the_category(quarter, orgs):
    figures = report_tables(orgs["laizhou"], START, END)
    assert figure(figures, "business", quarter["business"].name)[0] == 1
    assert figure(figures, "institution_type", quarter["bank"].type.name)[0] == 1
    assert figures["headline"] == {
        "received": 3,
        "closed": 3,
        "late": 1,
        "rate": "66.7",
        "mediation": 2,
        "agreements": 1,
        "events": 3,
        "people": 270,
    }


def test_drafting_takes_the_same_queries_however_many_cases(quarter, orgs, clerk_a, django_assert_num_queries):
    from tests.factories import make_case

    # 6 queries: received cases grouped (with their repeats and groups), closed cases grouped by closure,
    # timeliness and satisfaction, forwardings with transfers, 复查/复核 with their decisions, mediation sums,
    # outreach sums.
    with django_assert_num_queries(6):
        report_tables(orgs["laizhou"], START, END)
    for day in (3, 4, 5, 6, 7):
        make_case(owner=clerk_a, org=orgs["laizhou"], received_on=START.replace(day=day), channel="fax")
    with django_assert_num_queries(6):
        report_tables(orgs["laizhou"], START, END)


LINKED = [
    ("channel", "12378热线", "ledger"),
    ("channel", "合计", "ledger"),
    ("kind", "申诉求决", "ledger"),
    ("institution_type", "未涉及具体机构", "ledger"),
    ("business", "未填写业务类别", "ledger"),
    ("matters", "重复件（含被并入的首次件）", "ledger"),
    ("matters", "群体件（2人及以上）", "ledger"),
    ("closing", "办结（不含重复件）", "ledger"),
    ("closing", "超期办结", "ledger"),
    ("satisfaction", "未回访", "ledger"),
    ("transfers", "其中机构超期反馈", "ledger"),
    ("transfers", "转送有权机关", "ledger"),
    ("transfers", "其中接收机关已签收", "ledger"),
    ("reviews", "复查请求", "ledger"),
    ("reviews", "复查决定：维持", "ledger"),
    ("mediation", "达成调解协议（件）", "mediation"),
    ("mediation", "调解收案（件）", "mediation"),
    ("outreach", "宣传活动（次）", "outreach"),
]


def _listed(client, target, params) -> int:
    url = {"ledger": "complaints:index", "mediation": "mediation:index", "outreach": "outreach:index"}[target]
    response = client.get(f"{reverse(url)}?{urlencode(params)}")
    assert response.status_code == 200
    page = response.context["page"]
    return page.total if target == "ledger" else page.paginator.count


@pytest.mark.parametrize(("key", "label", "target"), LINKED)
def test_each_figure_links_to_exactly_its_items(quarter, orgs, supervisor, client_for, key, label, target):
    figures = report_tables(orgs["laizhou"], START, END)
    value, params = figure(figures, key, label)
    client = client_for(supervisor)
    assert _listed(client, target, params) == value


def test_the_ledger_names_the_statistics_filters_it_was_opened_with(quarter, orgs, supervisor, client_for):
    figures = report_tables(orgs["laizhou"], START, END)
    _value, params = figure(figures, "closing", "超期办结")
    page = client_for(supervisor).get(f"{reverse('complaints:index')}?{urlencode(params)}").content.decode()
    assert "统计口径" in page and "办结情况：超期办结" in page and "办结日期自：2026-07-01" in page
