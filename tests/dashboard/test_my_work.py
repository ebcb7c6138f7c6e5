import datetime as dt

import pytest
from django.urls import reverse

from core.models import Absence
from tests.dashboard.conftest import open_item
from tests.factories import at, make_open_case

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2025, 9, 30)


def _items(response):
    return [(item.label, item.role) for item in response.context["items"]]


def test_home_lists_my_items_overdue_first_then_by_due_date(orgs, clerk_a, clerk_b, client_for):
    case = make_open_case(org=orgs["laizhou"], owner=clerk_a, backup=clerk_b)
    open_item(case, dt.date(2025, 10, 20), label="调查结论")
    open_item(case, dt.date(2025, 9, 26), label="受理告知")
    open_item(case, dt.date(2025, 10, 9), label="书面答复")
    with at(TUESDAY, 9):
        response = client_for(clerk_a).get(reverse("home"))
    assert response.status_code == 200
    number = case.number
    assert _items(response) == [
        (f"{number} 受理告知", "owner"),
        (f"{number} 书面答复", "owner"),
        (f"{number} 调查结论", "owner"),
    ]
    first = response.context["items"][0]
    assert first.state.is_overdue and first.state.css == "danger"
    assert response.context["items"][1].state.is_due_soon  # 10-09 is the first working day after the holiday
    assert response.context["overdue_count"] == 1
    html = response.content.decode()
    assert "我的待办" in html and "超期 3 个工作日" in html  # 09-28 (a worked Sunday), 09-29, 09-30


def test_b_sees_the_items_of_an_absent_a_and_a_present_as_owner_only(orgs, clerk_a, clerk_b, client_for):
    case = make_open_case(org=orgs["laizhou"], owner=clerk_a, backup=clerk_b)
    open_item(case, dt.date(2025, 10, 9), label="书面答复")
    with at(TUESDAY, 9):
        assert _items(client_for(clerk_b).get(reverse("home"))) == []
        Absence.objects.create(user=clerk_a, start_on=TUESDAY, end_on=TUESDAY, kind="leave")
        response = client_for(clerk_b).get(reverse("home"))
    assert _items(response) == [(f"{case.number} 书面答复", "covering")]
    assert "林晓岚" in response.content.decode()  # "A岗：林晓岚"


def test_supervisor_sees_items_of_absent_a_and_b_and_pending_extension_requests(
    orgs, clerk_a, clerk_b, supervisor, client_for
):
    from complaints.models import ExtensionRequest

    case = make_open_case(org=orgs["laizhou"], owner=clerk_a, backup=clerk_b)
    deadline = open_item(case, dt.date(2025, 10, 9), label="书面答复")
    ExtensionRequest.objects.create(case=case, deadline=deadline, days=30, reason="情况复杂", requested_by=clerk_a)
    for user in (clerk_a, clerk_b):
        Absence.objects.create(user=user, start_on=TUESDAY, end_on=TUESDAY, kind="trip")
    with at(TUESDAY, 9):
        response = client_for(supervisor).get(reverse("home"))
    assert _items(response) == [(f"{case.number} 书面答复", "supervising")]
    assert [a.case_id for a in response.context["approvals"]] == [case.pk]
    assert "申请延期 30 天" in response.content.decode()


def test_outsiders_items_and_approvals_never_show(orgs, clerk_a, other_clerk, supervisor, client_for):
    from complaints.models import ExtensionRequest
    from core.roles import Role
    from tests.factories import make_user

    zy_supervisor = make_user(org=orgs["zhaoyuan"], role=Role.SUPERVISOR, username="zy_sup")
    case = make_open_case(org=orgs["laizhou"], owner=clerk_a)
    deadline = open_item(case, dt.date(2025, 10, 9))
    ExtensionRequest.objects.create(case=case, deadline=deadline, days=30, reason="复杂", requested_by=clerk_a)
    with at(TUESDAY, 9):
        assert _items(client_for(other_clerk).get(reverse("home"))) == []
        response = client_for(zy_supervisor).get(reverse("home"))
    assert response.context["approvals"] == []


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_query_count_does_not_grow_with_items(
    orgs, clerk_a, clerk_b, supervisor, client_for, django_assert_num_queries
):
    from complaints.models import ExtensionRequest

    client = client_for(supervisor)
    case = make_open_case(org=orgs["laizhou"], owner=supervisor, backup=clerk_b)
    deadline = open_item(case, dt.date(2025, 10, 9))
    ExtensionRequest.objects.create(case=case, deadline=deadline, days=30, reason="复杂", requested_by=clerk_a)
    with at(TUESDAY, 9):
        client.get(reverse("home"))
        # session, user with roles and org (one query); calendar revisions; own items; covered items; items of absent
        # A and B; which of the cases are major (重大/群体性); their counts; pending extension requests; office
        # tasks; unread notifications.
        with django_assert_num_queries(11):
            client.get(reverse("home"))
        for n in range(5):
            other = make_open_case(org=orgs["laizhou"], owner=supervisor, backup=clerk_b)
            open_item(other, dt.date(2025, 9, 20 + n))
            ExtensionRequest.objects.create(case=other, deadline=deadline, days=30, reason="复杂", requested_by=clerk_a)
        with django_assert_num_queries(11):
            client.get(reverse("home"))


def test_a_long_list_is_cut_in_due_order_with_the_total_and_a_ledger_link(orgs, clerk_a, client_for, monkeypatch):
    from laizhou_xiaobao.dashboard.selectors import mywork

    monkeypatch.setattr(mywork, "MY_WORK_LIMIT", 2)
    case = make_open_case(org=orgs["laizhou"], owner=clerk_a)
    for day in (20, 9, 26, 29):
        open_item(case, dt.date(2025, 9, day), label=f"事项{day}")
    with at(TUESDAY, 9):
        response = client_for(clerk_a).get(reverse("home"))
    assert [item.label for item in response.context["items"]] == [f"{case.number} 事项9", f"{case.number} 事项20"]
    assert response.context["counts"].total == 4 and response.context["overdue_count"] == 4
    assert f"?acting={clerk_a.pk}" in response.content.decode()


def test_a_clerk_pages_through_the_items_by_the_links_on_the_page(orgs, clerk_a, client_for, monkeypatch):
    """Items are read up to MY_WORK_LIMIT and shown MY_WORK_PAGE at a time, most urgent first: the next page is
    reached by the page's own link, and every item is on exactly one page."""
    import re

    from laizhou_xiaobao.dashboard.selectors import mywork

    monkeypatch.setattr(mywork, "MY_WORK_PAGE", 3)
    case = make_open_case(org=orgs["laizhou"], owner=clerk_a)
    for day in (20, 9, 26, 29, 10, 30, 2):
        open_item(case, dt.date(2025, 10 if day == 2 else 9, day), label=f"事项{day}")
    client = client_for(clerk_a)
    seen = []
    with at(TUESDAY, 9):
        response = client.get(reverse("home"))
        while True:
            html = response.content.decode()
            seen.append([item.label.split()[-1] for item in response.context["items"]])
            assert all(item.state is not None and item.link for item in response.context["items"])
            following = re.search(r'href="(\?page=\d+)">下一页', html)
            if not following:
                break
            response = client.get(reverse("home") + following.group(1).replace("&amp;", "&"))
    assert seen == [["事项9", "事项10", "事项20"], ["事项26", "事项29", "事项30"], ["事项2"]]
    assert "第 3 / 3 页" in html and response.context["counts"].total == 7


def test_my_counts_from_the_summary_equal_the_open_deadlines_for_every_role(
    orgs, clerk_a, clerk_b, supervisor, other_clerk
):
    """My work's buckets read core.DeadlineDayCount: as A, as B covering an absent A, as a supervisor for items
    whose A and B are both away or missing — each equal to the aggregate over core.Deadline, paused and
    provisional deadlines included, and nothing of another office."""
    from core.services.deadlines import deadline_open_custom, deadline_pause
    from laizhou_xiaobao.dashboard.selectors import make_horizon
    from laizhou_xiaobao.dashboard.selectors.mywork import my_counts, my_counts_direct

    office = orgs["laizhou"]
    mine = make_open_case(org=office, owner=clerk_a, backup=clerk_b)
    for due in ("2025-09-26", "2025-09-30", "2025-10-09", "2025-11-20", "2027-03-01"):
        open_item(mine, dt.date.fromisoformat(due))
    with at(TUESDAY, 9):
        deadline_pause(
            deadline=open_item(mine, dt.date(2025, 10, 20)), start_on=TUESDAY, actor=supervisor, reason="等待鉴定"
        )
    # An item nobody holds (no A岗, no B岗): the supervisor's.
    deadline_open_custom(
        item=mine,
        due_on=dt.date(2025, 9, 29),
        label="无人承办",
        org=office,
        owner=None,
        backup=None,
        item_kind="case:petition",
        started_on=dt.date(2025, 9, 1),
    )
    open_item(make_open_case(org=orgs["zhaoyuan"], owner=other_clerk), dt.date(2025, 9, 29))
    Absence.objects.create(user=clerk_a, start_on=TUESDAY, end_on=TUESDAY, kind="leave")
    horizon = make_horizon(TUESDAY, 3)

    seen = {}
    for user, supervising in ((clerk_a, False), (clerk_b, False), (supervisor, True), (other_clerk, False)):
        counts = my_counts(user, horizon, supervising=supervising)
        assert counts == my_counts_direct(user, horizon, supervising=supervising), user.username
        seen[user.username] = (counts.overdue, counts.today, counts.soon, counts.on_time, counts.paused)
    # A's own six (one paused); B covers them while A is away; the supervisor sees the
    # unowned one only (B is present); the other office's clerk sees only their own.
    assert seen[clerk_a.username] == (1, 1, 1, 2, 1)
    assert seen[clerk_b.username] == seen[clerk_a.username]
    assert seen[supervisor.username] == (1, 0, 0, 0, 0)
    assert seen[other_clerk.username] == (1, 0, 0, 0, 0)
