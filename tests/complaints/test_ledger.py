"""The ledger (台账): scope, filters, sorting, pagination, search, masking and its query budget."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Case, Contact
from complaints.search import bigram_frequencies, bigrams_of, case_bigrams, query_grams, search_filter
from complaints.selectors import ledger_page, ledger_scope
from core.models import Absence
from core.workcalendar import get_calendar
from tests.factories import SHANGHAI, make_case, make_institution

URL = reverse("complaints:index")
TODAY = dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def bank(orgs):
    return make_institution(org=orgs["laizhou"], short_name="莱州农商银行")


@pytest.fixture
def insurer(orgs):
    return make_institution(org=orgs["laizhou"], short_name="泰和人寿", type_code="INS-LIFE")


def numbers(response):
    return [row.case.number for row in response.context["rows"]]


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_outsider_sees_none_of_laizhous_cases(client_for, orgs, clerk_a, other_clerk):
    make_case(org=orgs["laizhou"], owner=clerk_a, number="TS-2026-0001")
    own = make_case(org=orgs["zhaoyuan"], owner=other_clerk, number="TS-2026-0900")
    response = client_for(other_clerk).get(URL)
    assert numbers(response) == [own.number]
    assert "TS-2026-0001" not in response.content.decode()


def test_branch_reviewer_sees_both_sub_bureaus(client_for, orgs, clerk_a, other_clerk, reviewer):
    make_case(org=orgs["laizhou"], owner=clerk_a)
    make_case(org=orgs["zhaoyuan"], owner=other_clerk)
    response = client_for(reviewer).get(URL)
    assert len(response.context["rows"]) == 2


def test_scope_matches_case_for_user(orgs, clerk_a, other_clerk, reviewer, administrator):
    make_case(org=orgs["laizhou"], owner=clerk_a)
    make_case(org=orgs["zhaoyuan"], owner=other_clerk)
    for user in (clerk_a, other_clerk, reviewer, administrator):
        assert set(ledger_scope(user).cases().values_list("pk", flat=True)) == set(
            Case.objects.for_user(user).values_list("pk", flat=True)
        )


def test_list_shows_the_ledger_columns_with_the_petitioner_masked(client_for, orgs, clerk_a, clerk_b, bank):
    make_case(
        org=orgs["laizhou"],
        owner=clerk_a,
        backup=clerk_b,
        institution=bank,
        status="forwarded",
        due_on=dt.date(2026, 3, 25),
        number="TS-2026-0042",
    )
    body = client_for(clerk_a).get(URL).content.decode()
    for text in (
        "TS-2026-0042",
        "2026-03-02 09:00",
        "走访",
        "转办投诉",
        "莱州农商银行",
        "信用卡分期手续费争议",
        "林晓岚 / 周明远",
        "已转机构",
        "2026-03-25",
        "15天",
    ):
        assert text in body
    assert "王*" in body
    assert "王小明" not in body
    assert "13812345678" not in body and "370683199001011237" not in body


def test_reporter_identity_is_withheld_and_anonymous_shown_as_such(client_for, orgs, clerk_a):
    make_case(org=orgs["laizhou"], owner=clerk_a, case_type="report", name="李举报")
    make_case(org=orgs["laizhou"], owner=clerk_a, case_type="report", name="", is_anonymous=True)
    body = client_for(clerk_a).get(URL).content.decode()
    assert "李" not in body.split("ledger-table")[1]
    assert "举报人（保密）" in body and "匿名" in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "petition"}, {"P"}),
        ({"channel": "phone"}, {"PH"}),
        ({"status": "open"}, {"P", "PH", "OD", "R"}),
        ({"status": "closed"}, {"C"}),
        ({"received_from": "2026-02-01", "received_to": "2026-02-28"}, {"PH"}),
        ({"overdue": "1"}, {"OD"}),
        ({"repeat": "1"}, {"R", "C"}),
    ],
)
def test_each_filter(client_for, orgs, clerk_a, params, expected):
    laizhou = orgs["laizhou"]
    make_case(org=laizhou, owner=clerk_a, number="P", case_type="petition", due_on=dt.date(2026, 3, 20))
    make_case(org=laizhou, owner=clerk_a, number="PH", channel="phone", received_on=dt.date(2026, 2, 10))
    make_case(org=laizhou, owner=clerk_a, number="OD", due_on=dt.date(2026, 3, 9))
    first = make_case(org=laizhou, owner=clerk_a, number="C", status="closed")
    make_case(org=laizhou, owner=clerk_a, number="R", duplicate_of=first)
    response = client_for(clerk_a).get(URL, params)
    assert set(numbers(response)) == expected


def test_institution_and_handler_filters(client_for, orgs, clerk_a, clerk_b, supervisor, bank, insurer):
    laizhou = orgs["laizhou"]
    make_case(org=laizhou, owner=clerk_a, backup=clerk_b, institution=bank, number="A1")
    make_case(org=laizhou, owner=clerk_b, backup=supervisor, institution=insurer, number="B1")
    client = client_for(clerk_a)
    assert numbers(client.get(URL, {"institution": insurer.pk})) == ["B1"]
    assert set(numbers(client.get(URL, {"handler": clerk_b.pk}))) == {"A1", "B1"}
    assert numbers(client.get(URL, {"handler": supervisor.pk})) == ["B1"]


def test_acting_filter_follows_absences(client_for, orgs, clerk_a, clerk_b):
    laizhou = orgs["laizhou"]
    make_case(org=laizhou, owner=clerk_a, backup=clerk_b, number="A1")
    make_case(org=laizhou, owner=clerk_b, backup=clerk_a, number="B1")
    client = client_for(clerk_a)
    assert numbers(client.get(URL, {"acting": clerk_b.pk})) == ["B1"]
    Absence.objects.create(user=clerk_a, start_on=dt.date(2026, 3, 9), end_on=dt.date(2026, 3, 12))
    assert set(numbers(client.get(URL, {"acting": clerk_b.pk}))) == {"A1", "B1"}
    assert numbers(client.get(URL, {"acting": clerk_a.pk})) == []


def test_due_within_counts_working_days(client_for, orgs, clerk_a):
    # 2026-03-10 is a Tuesday: 3 working days later is Friday 03-13; Monday 03-16 is the 4th.
    laizhou = orgs["laizhou"]
    make_case(org=laizhou, owner=clerk_a, number="FRI", due_on=dt.date(2026, 3, 13))
    make_case(org=laizhou, owner=clerk_a, number="MON", due_on=dt.date(2026, 3, 16))
    make_case(org=laizhou, owner=clerk_a, number="DONE", status="closed", due_on=None)
    assert numbers(client_for(clerk_a).get(URL, {"due_within": "3"})) == ["FRI"]
    assert set(numbers(client_for(clerk_a).get(URL, {"due_within": "4"}))) == {"FRI", "MON"}


def test_due_within_over_a_year_not_verified_counts_over_its_draft(client_for, orgs, clerk_a):
    make_case(org=orgs["laizhou"], owner=clerk_a, number="SOON", due_on=dt.date(2026, 3, 13))
    make_case(org=orgs["laizhou"], owner=clerk_a, number="NEXT", due_on=dt.date(2027, 2, 1), due_provisional=True)
    response = client_for(clerk_a).get(URL, {"due_within": "365"})
    assert set(numbers(response)) == {"SOON", "NEXT"}
    body = response.content.decode()
    assert "工作日历尚未维护" not in body and "暂定" in body


def test_provisional_filter_lists_open_cases_with_a_provisional_deadline(client_for, orgs, clerk_a):
    make_case(org=orgs["laizhou"], owner=clerk_a, number="FIRM", due_on=dt.date(2026, 3, 13))
    make_case(org=orgs["laizhou"], owner=clerk_a, number="DRAFT", due_on=dt.date(2027, 2, 1), due_provisional=True)
    assert numbers(client_for(clerk_a).get(URL, {"provisional": "1"})) == ["DRAFT"]


def test_invalid_filter_value_is_reported_not_applied(client_for, orgs, clerk_a):
    make_case(org=orgs["laizhou"], owner=clerk_a)
    response = client_for(clerk_a).get(URL, {"type": "bogus"})
    assert response.status_code == 200
    assert "bogus" in response.content.decode()  # the choice error names the value


def test_sorting(client_for, orgs, clerk_a):
    laizhou = orgs["laizhou"]
    make_case(org=laizhou, owner=clerk_a, number="OLD", received_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 3, 30))
    make_case(org=laizhou, owner=clerk_a, number="NEW", received_on=dt.date(2026, 3, 5), due_on=dt.date(2026, 3, 12))
    make_case(org=laizhou, owner=clerk_a, number="MID", received_on=dt.date(2026, 2, 5), due_on=None)
    client = client_for(clerk_a)
    assert numbers(client.get(URL)) == ["NEW", "MID", "OLD"]
    assert numbers(client.get(URL, {"sort": "received"})) == ["OLD", "MID", "NEW"]
    assert numbers(client.get(URL, {"sort": "due"})) == ["NEW", "OLD", "MID"]
    assert numbers(client.get(URL, {"sort": "number"})) == ["MID", "NEW", "OLD"]


def test_pagination_keeps_the_filters(client_for, orgs, clerk_a):
    for day in range(1, 26):
        make_case(org=orgs["laizhou"], owner=clerk_a, number=f"N{day:02d}", received_on=dt.date(2026, 1, day))
    client = client_for(clerk_a)
    first = client.get(URL, {"per_page": 20, "channel": "visit"})
    assert numbers(first) == [f"N{d:02d}" for d in range(25, 5, -1)]
    assert first.context["page"].total == 25 and first.context["page"].has_next
    assert "per_page=20&amp;channel=visit&amp;page=2" in first.content.decode()
    second = client.get(URL, {"per_page": 20, "channel": "visit", "page": 2})
    assert numbers(second) == [f"N{d:02d}" for d in range(5, 0, -1)]
    assert not second.context["page"].has_next
    past = client.get(URL, {"per_page": 20, "page": 9})
    assert past.context["rows"] == [] and past.context["page"].total == 25


@pytest.mark.parametrize("per_page", [20, 200])
def test_ledger_query_budget_does_not_grow_with_page_size(
    client_for, orgs, clerk_a, clerk_b, bank, django_assert_num_queries, per_page
):
    for day in range(1, 29):
        make_case(
            org=orgs["laizhou"], owner=clerk_a, backup=clerk_b, institution=bank, received_on=dt.date(2026, 2, day)
        )
    client = client_for(clerk_a)
    get_calendar()  # the calendar's days are cached per process; only its revision check remains per request
    # 6 queries: the session, the user, the visible units with the institution and staff choices and the
    # user's roles (one UNION ALL), the navigation's unread-notification count, the work calendar's revision
    # check, and the page's rows with their count (one query, the count as a scalar subquery).
    bigram_frequencies()  # PostgreSQL's search statistics, kept a few minutes in the shared cache
    with django_assert_num_queries(6):
        response = client.get(URL, {"per_page": per_page, "status": "open", "q": "分期", "handler": clerk_b.pk})
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(per_page, 28)


# --- Search -------------------------------------------------------------------------------------------


def test_bigrams_of_chinese_and_latin_text():
    assert bigrams_of("保险理赔") == {"保险", "险理", "理赔"}
    assert bigrams_of("TS-2026") == {"ts", "s-", "-2", "20", "02", "26"}
    assert bigrams_of("a b") == set()
    assert case_bigrams(["理赔", "退保"]) == " 理赔 退保 "
    assert case_bigrams(["保险理赔"]) == " 保险 保险理 理赔 险理 险理赔 "
    assert query_grams("理赔") == {"理赔"} and query_grams("保险理赔") == {"保险理", "险理赔"}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("理赔", {"CLAIM"}),
        ("退保", {"SURRENDER"}),
        ("王大", {"NAME"}),
        ("ts-2026-07", {"NUMBER"}),
        ("ts-2026-0777", {"NUMBER"}),  # a whole case number: looked up by number
        ("ts-2026-0778", set()),
        ("保险理赔款", {"CLAIM"}),
        ("理赔 拖延", {"CLAIM"}),
        ("理款", set()),
        ("赔理", set()),
    ],
)
def test_search_matches_two_character_chinese_terms_and_longer_ones(orgs, clerk_a, term, expected):
    laizhou = orgs["laizhou"]
    make_case(org=laizhou, owner=clerk_a, number="CLAIM", summary="车险理赔拖延", content="保险理赔款迟迟未到账")
    make_case(org=laizhou, owner=clerk_a, number="SURRENDER", summary="退保手续费争议", content="要求全额退还")
    make_case(org=laizhou, owner=clerk_a, number="NAME", name="王大海", summary="贷款利率", content="")
    make_case(org=laizhou, owner=clerk_a, number="TS-2026-0777", summary="银行卡盗刷", content="")
    result = set(search_filter(Case.objects.all(), term).values_list("number", flat=True))
    assert result == {"TS-2026-0777" if n == "NUMBER" else n for n in expected}


def test_search_through_the_page_never_shows_the_name(client_for, orgs, clerk_a):
    make_case(org=orgs["laizhou"], owner=clerk_a, name="王大海", summary="贷款利率")
    response = client_for(clerk_a).get(URL, {"q": "大海"})
    assert len(response.context["rows"]) == 1
    body = response.content.decode().split("ledger-table")[1]
    assert "王大海" not in body and "王**" in body


def test_count_in_the_page_query_is_exact_on_sqlite(orgs, clerk_a):
    for day in range(1, 8):
        make_case(org=orgs["laizhou"], owner=clerk_a, received_on=dt.date(2026, 1, day))
    page = ledger_page(Case.objects.order_by("-received_at"), page=2, per_page=3)
    assert (page.total, page.total_is_exact, len(page.rows), page.has_next) == (7, True, 3, True)


def test_repeat_filter_includes_cases_with_repeated_contacts(client_for, orgs, clerk_a):
    case = make_case(org=orgs["laizhou"], owner=clerk_a, number="FIRST")
    make_case(org=orgs["laizhou"], owner=clerk_a, number="OTHER")
    Contact.objects.create(
        org=orgs["laizhou"],
        channel="phone",
        received_at=TODAY,
        summary="再次来电",
        outcome=Contact.Outcome.REPEAT,
        case=case,
        received_by=clerk_a,
    )
    assert numbers(client_for(clerk_a).get(URL, {"repeat": "1"})) == ["FIRST"]


def test_due_from_and_due_to_list_open_cases_whose_deadline_is_in_the_range(client_for, clerk_a, orgs):
    """The dashboard's bucket links: today's or due-soon cases, without overdue or closed ones."""
    import datetime as dt

    from django.utils import timezone

    from tests.factories import make_case

    today = timezone.localdate()
    laizhou = orgs["laizhou"]
    make_case(org=laizhou, owner=clerk_a, number="TS-X-0001", due_on=today - dt.timedelta(days=1))
    make_case(org=laizhou, owner=clerk_a, number="TS-X-0002", due_on=today)
    make_case(org=laizhou, owner=clerk_a, number="TS-X-0003", due_on=today + dt.timedelta(days=2))
    make_case(org=laizhou, owner=clerk_a, number="TS-X-0004", due_on=today + dt.timedelta(days=30))
    make_case(org=laizhou, owner=clerk_a, number="TS-X-0005", due_on=today, status="closed")

    def numbers(**params):
        body = client_for(clerk_a).get("/complaints/", params).content.decode()
        return sorted(n for n in ("TS-X-0001", "TS-X-0002", "TS-X-0003", "TS-X-0004", "TS-X-0005") if n in body)

    assert numbers(due_from=today.isoformat(), due_to=today.isoformat()) == ["TS-X-0002"]
    soon = {
        "due_from": (today + dt.timedelta(days=1)).isoformat(),
        "due_to": (today + dt.timedelta(days=5)).isoformat(),
    }
    assert numbers(**soon) == ["TS-X-0003"]
    assert numbers(due_from=(today + dt.timedelta(days=6)).isoformat()) == ["TS-X-0004"]
