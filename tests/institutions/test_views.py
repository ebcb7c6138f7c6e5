"""Pages: access (anonymous → login, outsider → 404, reviewer read-only), ledger links, pinned query counts."""

import datetime as dt

import pytest
import time_machine

from institutions.models import ListItem
from institutions.services import interviews as interview_svc
from institutions.services import lists as svc
from institutions.services.documents import list_generate_files
from institutions.services.surveys import survey_create
from tests.factories import make_institution, make_institution_case


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def draft(orgs, clerk_a, bank, insurer):
    for _n in range(6):
        make_institution_case(institution=bank, received_on=dt.date(2026, 8, 3), owner=clerk_a)
    return svc.list_draft(org=orgs["laizhou"], year=2026, quarter=3, actor=clerk_a)


@pytest.fixture
def interview(clerk_a, bank):
    return interview_svc.interview_create(actor=clerk_a, institution=bank, reason="投诉量上升")


@pytest.fixture
def survey(orgs, clerk_a, bank):
    return survey_create(
        actor=clerk_a,
        org=orgs["laizhou"],
        title="专项调研",
        theme="适当性",
        scope="",
        started_on=dt.date(2026, 9, 1),
        institutions=[bank],
    )


def test_anonymous_is_sent_to_login(client, draft, interview, survey):
    for url in (
        "/institutions/",
        "/institutions/ranking/",
        "/institutions/lists/",
        f"/institutions/lists/{draft.pk}/",
        f"/institutions/interviews/{interview.pk}/",
        f"/institutions/surveys/{survey.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_outsider_gets_404(client_for, other_clerk, draft, interview, survey):
    client = client_for(other_clerk)
    item = ListItem.objects.filter(row__quarterly_list=draft).first()
    for url in (
        f"/institutions/lists/{draft.pk}/",
        f"/institutions/lists/{draft.pk}/status/",
        f"/institutions/interviews/{interview.pk}/",
        f"/institutions/surveys/{survey.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(f"/institutions/lists/{draft.pk}/items/{item.pk}/decide/", {"decision": "accept"}).status_code
        == 404
    )
    assert client.post(f"/institutions/interviews/{interview.pk}/dismiss/", {"dismiss-note": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.state == ListItem.State.SUGGESTED


def test_reviewer_does_not_see_a_draft_and_sees_a_frozen_list_read_only(
    client_for, reviewer, draft, clerk_a, supervisor
):
    assert client_for(reviewer).get(f"/institutions/lists/{draft.pk}/").status_code == 404
    for item in ListItem.objects.filter(row__quarterly_list=draft):
        svc.item_decide(actor=clerk_a, item=item, accept=True)
    svc.list_submit(actor=clerk_a, quarterly_list=draft)
    svc.list_approve(actor=supervisor, quarterly_list=draft)
    list_generate_files(draft.pk)
    draft.refresh_from_db()
    svc.list_freeze(actor=supervisor, quarterly_list=draft)
    client = client_for(reviewer)
    page = client.get(f"/institutions/lists/{draft.pk}/").content.decode()
    assert "东岳银行股份有限公司莱州支行" in page
    assert 'name="decision"' not in page and "提交审批" not in page
    assert client.get(f"/institutions/lists/{draft.pk}/download/pdf/").status_code == 200
    assert f"/institutions/lists/{draft.pk}/" in client.get("/institutions/lists/").content.decode()


def test_clerk_accepts_a_suggestion_from_the_page(client_for, clerk_a, draft):
    item = ListItem.objects.filter(row__quarterly_list=draft, polarity="negative").first()
    response = client_for(clerk_a).post(
        f"/institutions/lists/{draft.pk}/items/{item.pk}/decide/", {"decision": "accept"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ListItem.State.ACCEPTED


def test_submit_with_pending_suggestions_shows_the_chinese_message(client_for, clerk_a, draft):
    response = client_for(clerk_a).post(f"/institutions/lists/{draft.pk}/submit/", follow=True)
    assert "系统建议未确认" in response.content.decode()


def test_ranking_links_every_figure_to_the_ledger(client_for, clerk_a, draft, bank):
    page = client_for(clerk_a).get("/institutions/ranking/?quarter=2026Q3").content.decode()
    assert f"/complaints/?institution={bank.pk}&amp;received_from=2026-07-01&amp;received_to=2026-09-30" in page
    assert "repeat=1" in page
    assert "<svg" in page
    assert "2026年第3季度" in page


def test_ranking_sorts_and_takes_any_period(client_for, clerk_a, draft, bank, insurer):
    client = client_for(clerk_a)
    page = client.get("/institutions/ranking/?sort=name&start=2026-08-01&end=2026-08-31").content.decode()
    assert "2026-08-01～2026-08-31" in page
    assert page.index("东岳银行") < page.index("泰和人寿")
    bad = client.get("/institutions/ranking/?quarter=2026Q9").content.decode()
    assert "季度格式应为" in bad


def _many(orgs, clerk_a, count):
    for n in range(count):
        institution = make_institution(org=orgs["laizhou"], short_name=f"加测机构{n}")
        make_institution_case(institution=institution, received_on=dt.date(2026, 8, 3), owner=clerk_a)


def test_ranking_query_count_is_flat(client_for, clerk_a, orgs, draft, django_assert_num_queries):
    client = client_for(clerk_a)
    client.get("/institutions/ranking/?quarter=2026Q3")
    _many(orgs, clerk_a, 5)
    # session, the user with roles and unit (one query), institutions with type, cases grouped, forwardings
    # grouped, repeat contacts grouped, unread notifications (navigation), sub-bureau choices.
    with django_assert_num_queries(8):
        client.get("/institutions/ranking/?quarter=2026Q3")


def test_list_detail_query_count_is_flat(client_for, clerk_a, orgs, draft, django_assert_num_queries):
    client = client_for(clerk_a)
    url = f"/institutions/lists/{draft.pk}/"
    client.get(url)
    # session, the user with unit and roles (one query), the list with its people, rows with institution and type, their
    # items, unread notifications (navigation), the latest file-generation job (the files card), versions of the
    # quarter.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


def test_list_index_and_interview_list_query_counts(client_for, clerk_a, draft, interview, django_assert_num_queries):
    client = client_for(clerk_a)
    client.get("/institutions/lists/")
    # session, the user with unit and roles (one query), unread notifications (navigation), lists with org and
    # people.
    with django_assert_num_queries(4):
        client.get("/institutions/lists/")
    client.get("/institutions/interviews/")
    # session, the user with unit and roles (one query), unread notifications (navigation), interviews with
    # institution, owner and unit, institutions for the create form.
    with django_assert_num_queries(5):
        client.get("/institutions/interviews/")


def test_landing_page_shows_work_to_do(client_for, clerk_a, draft, interview):
    page = client_for(clerk_a).get("/institutions/").content.decode()
    assert "待确认的约谈建议" in page
    assert "东岳银行" in page
    assert "2026年第3季度" in page


def test_interview_page_walks_the_workflow(client_for, clerk_a, interview):
    client = client_for(clerk_a)
    response = client.post(
        f"/institutions/interviews/{interview.pk}/schedule/",
        {
            "schedule-scheduled_at": "2026-10-20T09:30",
            "schedule-attendees": "行长",
            "schedule-topics": "投诉处理",
            "schedule-location": "会议室",
        },
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "scheduled"
    page = client.get(f"/institutions/interviews/{interview.pk}/").content.decode()
    assert "记录约谈情况" in page
    response = client.post(
        f"/institutions/interviews/{interview.pk}/held/", {"held-held_on": "2026-10-12"}, follow=True
    )
    assert "谈话记录" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == "scheduled"


def test_deadline_item_links_lead_to_the_page_and_hide_it_from_outsiders(client_for, clerk_a, other_clerk, interview):
    from institutions.models import RectificationItem

    item = RectificationItem.objects.create(interview=interview, description="整改", due_on=dt.date(2026, 12, 1))
    response = client_for(clerk_a).get(f"/institutions/rectification/{item.pk}/")
    assert response.status_code == 302 and response.url == f"/institutions/interviews/{interview.pk}/"
    assert client_for(other_clerk).get(f"/institutions/rectification/{item.pk}/").status_code == 404


def test_mediator_sees_no_interviews_lists_or_ranking(client_for, mediator, draft, interview):
    client = client_for(mediator)
    assert client.get(f"/institutions/lists/{draft.pk}/").status_code == 404
    assert client.get(f"/institutions/interviews/{interview.pk}/").status_code == 404
    assert client.get("/institutions/ranking/").status_code == 403
    assert "东岳银行" not in client.get("/institutions/").content.decode()


def selected_quarter(page: str) -> str:
    import re

    select = re.search(r'<select[^>]*name="quarter".*?</select>', page, re.S).group(0)
    return re.search(r"<option[^>]*selected[^>]*>([^<]*)</option>", select).group(1)


def test_ranking_quarter_selector_agrees_with_the_title(client_for, clerk_a, draft):
    client = client_for(clerk_a)
    # No quarter asked for: the page shows the current quarter and the selector says so.
    page = client.get("/institutions/ranking/").content.decode()
    assert '<small class="text-muted">2026年第4季度</small>' in page
    assert selected_quarter(page) == "2026年第4季度"
    # An older quarter: selected, and the newer ones are still offered.
    page = client.get("/institutions/ranking/?quarter=2026Q2").content.decode()
    assert '<small class="text-muted">2026年第2季度</small>' in page and selected_quarter(page) == "2026年第2季度"
    assert 'value="2026Q4"' in page
    # A period of one's own: the selector says so.
    page = client.get("/institutions/ranking/?start=2026-08-01&end=2026-08-31").content.decode()
    assert selected_quarter(page) == "（自定义期间）"
