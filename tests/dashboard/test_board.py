import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from core.models import Absence
from core.roles import Role
from laizhou_xiaobao.dashboard import selectors
from tests.complaints.page_forms import page_form
from tests.dashboard.conftest import open_item
from tests.factories import at, make_open_case, make_user

pytestmark = pytest.mark.django_db

# 2025 National Day: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are 调休 working days.
TUESDAY_BEFORE_HOLIDAY = dt.date(2025, 9, 30)


def _query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_due_soon_window_skips_the_holiday_and_ends_on_the_shifted_saturday(orgs):
    horizon = selectors.make_horizon(TUESDAY_BEFORE_HOLIDAY, 3)
    # Working days after 09-30: 10-09 (Thu), 10-10 (Fri), 10-11 (Sat, 调休上班).
    assert horizon.soon_end == dt.date(2025, 10, 11)
    assert horizon.bucket_of(dt.date(2025, 9, 29)) == "overdue"
    assert horizon.bucket_of(dt.date(2025, 9, 30)) == "today"
    assert horizon.bucket_of(dt.date(2025, 10, 8)) == "soon"
    assert horizon.bucket_of(dt.date(2025, 10, 11)) == "soon"
    assert horizon.bucket_of(dt.date(2025, 10, 12)) == "on_time"


def test_due_soon_window_from_a_shifted_sunday_counts_the_sunday_as_today(orgs):
    # Sunday 2025-09-28 is a working day: three working days later is Thursday 10-09.
    horizon = selectors.make_horizon(dt.date(2025, 9, 28), 3)
    assert horizon.soon_end == dt.date(2025, 10, 9)


def test_office_buckets_around_the_holiday(orgs, clerk_a, supervisor):
    case = make_open_case(org=orgs["laizhou"], owner=clerk_a, received_on=dt.date(2025, 9, 1))
    for due in ("2025-09-26", "2025-09-29", "2025-09-30", "2025-10-08", "2025-10-11", "2025-10-12", "2025-11-03"):
        open_item(case, dt.date.fromisoformat(due))
    horizon = selectors.make_horizon(TUESDAY_BEFORE_HOLIDAY, 3)
    figures = selectors.deadline_figures([orgs["laizhou"]], horizon)[orgs["laizhou"].pk]
    totals = figures.totals
    assert (totals.overdue, totals.today, totals.soon, totals.on_time) == (2, 1, 2, 2)


def test_paused_and_closed_deadlines_stay_out_of_the_buckets(orgs, clerk_a):
    from core.services.deadlines import deadline_complete, deadline_pause

    case = make_open_case(org=orgs["laizhou"], owner=clerk_a, received_on=dt.date(2025, 9, 1))
    paused = open_item(case, dt.date(2025, 9, 29))
    deadline_pause(deadline=paused, start_on=dt.date(2025, 9, 20), reason="等待补充材料", actor=clerk_a)
    done = open_item(case, dt.date(2025, 9, 29))
    deadline_complete(deadline=done, completed_on=dt.date(2025, 9, 28))
    open_item(case, dt.date(2025, 9, 29))
    horizon = selectors.make_horizon(TUESDAY_BEFORE_HOLIDAY, 3)
    totals = selectors.deadline_figures([orgs["laizhou"]], horizon)[orgs["laizhou"].pk].totals
    assert totals.overdue == 1
    assert totals.paused == 1
    assert totals.total == 2


def test_items_of_an_absent_a_count_for_b_and_link_to_bs_list(orgs, clerk_a, clerk_b, supervisor):
    case = make_open_case(org=orgs["laizhou"], owner=clerk_a, backup=clerk_b)
    open_item(case, dt.date(2025, 9, 29))
    Absence.objects.create(user=clerk_a, start_on=dt.date(2025, 9, 29), end_on=dt.date(2025, 10, 10), kind="leave")
    horizon = selectors.make_horizon(TUESDAY_BEFORE_HOLIDAY, 3)
    rows = selectors.deadline_figures([orgs["laizhou"]], horizon)[orgs["laizhou"].pk].by_handler
    assert [(r.key, r.counts.overdue) for r in rows] == [(clerk_b.pk, 1)]
    assert "代" in rows[0].note
    assert _query(rows[0].counts.links["overdue"]) == {"acting": str(clerk_b.pk), "bucket": "overdue"}


def test_items_go_to_the_supervisor_when_a_and_b_are_both_absent(orgs, clerk_a, clerk_b, supervisor):
    case = make_open_case(org=orgs["laizhou"], owner=clerk_a, backup=clerk_b)
    open_item(case, dt.date(2025, 10, 9))
    for user in (clerk_a, clerk_b):
        Absence.objects.create(user=user, start_on=dt.date(2025, 9, 30), end_on=dt.date(2025, 9, 30), kind="trip")
    horizon = selectors.make_horizon(TUESDAY_BEFORE_HOLIDAY, 3)
    rows = selectors.deadline_figures([orgs["laizhou"]], horizon)[orgs["laizhou"].pk].by_handler
    assert [(r.key, r.counts.soon) for r in rows] == [(supervisor.pk, 1)]
    assert "均不在岗" in rows[0].note


def test_the_people_and_names_of_the_board_come_from_one_query(
    orgs, clerk_a, clerk_b, institution, django_assert_num_queries
):
    """Absences today, the office's supervisor on duty (the first active one by id), the handlers' and the
    institutions' names: one query after the grouped sum, whatever the number of rows."""
    left = make_user(org=orgs["laizhou"], role=Role.SUPERVISOR, name="离任负责人", is_active=False)
    on_duty = make_user(org=orgs["laizhou"], role=Role.SUPERVISOR, name="在任负责人")
    later = make_user(org=orgs["laizhou"], role=Role.SUPERVISOR, name="后任负责人")
    assert left.pk < on_duty.pk < later.pk
    both_away = make_open_case(org=orgs["laizhou"], owner=clerk_a, backup=clerk_b, institution=institution)
    open_item(both_away, dt.date(2025, 10, 9))
    for user in (clerk_a, clerk_b):
        Absence.objects.create(user=user, start_on=dt.date(2025, 9, 30), end_on=dt.date(2025, 9, 30), kind="trip")
    # Back since yesterday: an absence that is over does not count.
    back = make_user(org=orgs["laizhou"], role=Role.CLERK, name="休假归来")
    open_item(make_open_case(org=orgs["laizhou"], owner=back), dt.date(2025, 10, 9))
    Absence.objects.create(user=back, start_on=dt.date(2025, 9, 1), end_on=dt.date(2025, 9, 29), kind="leave")
    horizon = selectors.make_horizon(TUESDAY_BEFORE_HOLIDAY, 3)
    with django_assert_num_queries(2):
        figures = selectors.deadline_figures([orgs["laizhou"]], horizon)[orgs["laizhou"].pk]
    handlers = {r.key: (r.label, r.counts.soon) for r in figures.by_handler}
    assert handlers == {on_duty.pk: ("在任负责人", 1), back.pk: ("休假归来", 1)}
    labels = {r.key: r.label for r in figures.by_institution}
    assert labels == {institution.pk: institution.short_name, None: "未涉及机构"}


def test_breakdowns_by_institution_and_type_link_to_the_filtered_deadline_list(orgs, clerk_a, institution):
    petition = make_open_case(org=orgs["laizhou"], owner=clerk_a, institution=institution)
    report = make_open_case(org=orgs["laizhou"], owner=clerk_a, case_type="report")
    open_item(petition, dt.date(2025, 9, 29))
    open_item(report, dt.date(2025, 10, 20))
    horizon = selectors.make_horizon(TUESDAY_BEFORE_HOLIDAY, 3)
    figures = selectors.deadline_figures([orgs["laizhou"]], horizon)[orgs["laizhou"].pk]
    by_institution = {r.key: r for r in figures.by_institution}
    assert by_institution[institution.pk].counts.overdue == 1
    assert _query(by_institution[institution.pk].counts.links["overdue"]) == {
        "institution": str(institution.pk),
        "bucket": "overdue",
    }
    assert _query(by_institution[institution.pk].counts.links["total"]) == {
        "institution": str(institution.pk),
        "bucket": "total",
    }
    by_type = {r.key: r for r in figures.by_type}
    assert by_type["case:report"].label == "举报"
    # Each bucket links to the list of exactly the deadlines it counts.
    assert _query(by_type["case:report"].counts.links["on_time"]) == {
        "kind": "case:report",
        "bucket": "on_time",
    }


def test_case_statistics_rates_intake_and_top_institutions(orgs, clerk_a, institution):
    laizhou = orgs["laizhou"]
    today = dt.date(2025, 11, 20)
    closed = dt.datetime(2025, 10, 15, 10, tzinfo=dt.UTC)
    make_open_case(org=laizhou, owner=clerk_a, received_on=dt.date(2025, 10, 1), closed_at=closed, closed_on_time=True)
    make_open_case(org=laizhou, owner=clerk_a, received_on=dt.date(2025, 10, 2), closed_at=closed, closed_on_time=False)
    make_open_case(
        org=laizhou,
        owner=clerk_a,
        received_on=dt.date(2025, 3, 2),
        closed_at=dt.datetime(2025, 3, 20, tzinfo=dt.UTC),
        closed_on_time=True,
    )
    make_open_case(
        org=laizhou, owner=clerk_a, received_on=dt.date(2025, 8, 2), channel="phone", institution=institution
    )
    make_open_case(
        org=laizhou, owner=clerk_a, received_on=dt.date(2025, 11, 2), channel="phone", institution=institution
    )
    make_open_case(
        org=laizhou, owner=clerk_a, received_on=dt.date(2025, 11, 3), channel="12378", institution=institution
    )
    rates = selectors.closure_rates([laizhou.pk], today)[laizhou.pk]
    assert (rates["quarter_closed"], rates["quarter_rate"]) == (2, 50.0)
    assert (rates["year_closed"], rates["year_rate"]) == (3, 66.7)
    intake = selectors.intake_by_month([laizhou.pk], today)[laizhou.pk]
    assert intake["months"][0] == "2024-12" and intake["months"][-1] == "2025-11"
    assert intake["series"]["电话"][-1] == 1 and intake["series"]["12378热线"][-1] == 1
    assert intake["totals"][-2] == 2  # October: two visits
    top = selectors.top_institutions([laizhou.pk], today)[laizhou.pk]
    assert [(r["name"], r["this_quarter"], r["last_quarter"], r["change"]) for r in top] == [("莱州农商银行", 2, 1, 1)]


# --- The page ---------------------------------------------------------------------------------------


def _seed_board(orgs, clerk_a, clerk_b, institution):
    for n in range(3):
        case = make_open_case(
            org=orgs["laizhou"], owner=clerk_a, backup=clerk_b, institution=institution, received_on=dt.date(2025, 9, 1)
        )
        open_item(case, dt.date(2025, 9, 26) + dt.timedelta(days=n * 14))
    other = make_user(org=orgs["zhaoyuan"], role=Role.CLERK, username="zy_a")
    open_item(make_open_case(org=orgs["zhaoyuan"], owner=other, case_type="complaint"), dt.date(2025, 9, 29))


def test_supervisor_sees_the_board_with_linked_counts_in_constant_queries(
    orgs, clerk_a, clerk_b, supervisor, institution, client_for, django_assert_num_queries
):
    _seed_board(orgs, clerk_a, clerk_b, institution)
    client = client_for(supervisor)
    with at(TUESDAY_BEFORE_HOLIDAY, 9):
        client.get(reverse("dashboard:board"))  # warm the calendar cache
        # session, user with roles (groups) and org (one query); calendar revisions; one grouped deadline query;
        # absences, supervisors, handler and institution names (one query); closure rates; intake; top
        # institutions and their names; open major (重大/群体性) cases; unread notifications for the bell.
        with django_assert_num_queries(11):
            response = client.get(reverse("dashboard:board"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "督办看板" in html and "莱州农商银行" in html
    assert f"?acting={clerk_a.pk}&amp;bucket=overdue" in html
    assert "<svg" in html
    figures = response.context["offices"][0]["figures"]
    assert (figures.totals.overdue, figures.totals.soon, figures.totals.on_time) == (1, 1, 1)
    # Zhaoyuan's item is not Laizhou's business.
    assert figures.totals.total == 3

    more = make_open_case(org=orgs["laizhou"], owner=clerk_b, institution=institution)
    for n in range(5):
        open_item(more, dt.date(2025, 9, 1) + dt.timedelta(days=n))
    with at(TUESDAY_BEFORE_HOLIDAY, 9), django_assert_num_queries(11):
        client.get(reverse("dashboard:board"))


def test_branch_reviewer_sees_each_sub_bureau_side_by_side(orgs, clerk_a, clerk_b, reviewer, institution, client_for):
    _seed_board(orgs, clerk_a, clerk_b, institution)
    with at(TUESDAY_BEFORE_HOLIDAY, 9):
        response = client_for(reviewer).get(reverse("dashboard:board"))
    assert response.status_code == 200
    offices = {office["org"].code: office["figures"].totals for office in response.context["offices"]}
    assert offices["laizhou"].total == 3 and offices["zhaoyuan"].total == 1
    assert response.context["side_by_side"]
    assert 'data-testid="comparison"' in response.content.decode()


def test_reviewer_can_focus_one_sub_bureau_but_not_an_outside_one(orgs, reviewer, supervisor, client_for):
    client = client_for(reviewer)
    response = client.get(reverse("dashboard:board"), {"org": orgs["laizhou"].pk})
    assert [o["org"].code for o in response.context["offices"]] == ["laizhou"]
    # A sub-bureau's supervisor cannot look at another sub-bureau.
    assert client_for(supervisor).get(reverse("dashboard:board"), {"org": orgs["zhaoyuan"].pk}).status_code == 404


def test_board_is_for_supervisors_reviewers_and_administrators_only(client, clerk_a, mediator, client_for):
    response = client.get(reverse("dashboard:board"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(clerk_a).get(reverse("dashboard:board")).status_code == 403
    assert client_for(mediator).get(reverse("dashboard:board")).status_code == 403


def test_board_counts_over_a_year_not_verified_and_marks_provisional_deadlines(orgs, supervisor, clerk_a, client_for):
    from core.services.deadlines import deadline_open

    # 2026-12-30 + 3 working days reaches into 2027, which is drafted by rule; the board works on.
    with at(dt.date(2026, 12, 30), 9):
        deadline_open(
            item=orgs["laizhou"], rule_code="P-REPLY", started_on=dt.date(2026, 12, 30), label="XF-2026-0009 书面答复",
            org=orgs["laizhou"], owner=clerk_a,
        )  # fmt: skip
        response = client_for(supervisor).get(reverse("dashboard:board"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "工作日历尚未维护" not in body
    assert 'data-testid="provisional-laizhou"' in body and "bucket=provisional" in body
    assert response.context["horizon"].soon_end == dt.date(2027, 1, 5)


def test_branch_reviewer_follows_each_offices_number_to_that_offices_cases_only(
    orgs, clerk_a, clerk_b, reviewer, institution, client_for
):
    """On the branch's board each sub-bureau's 在办合计 links to its own cases (it once linked every office to the
    same unfiltered ledger, so Laizhou's 3 opened a list of 4), also when the reviewer focuses one sub-bureau."""
    import html
    import re

    _seed_board(orgs, clerk_a, clerk_b, institution)
    client = client_for(reviewer)

    def followed(board, code):
        link = re.search(rf'href="([^"]+)"[^>]*data-testid="total-{code}-total"', board.content.decode())
        listed = client.get(html.unescape(link.group(1)))
        return int(re.search(r"共 (\d+) 项", listed.content.decode()).group(1))

    with at(TUESDAY_BEFORE_HOLIDAY, 9):
        board = client.get(reverse("dashboard:board"))
        assert (followed(board, "laizhou"), followed(board, "zhaoyuan")) == (3, 1)
        focused = client.get(reverse("dashboard:board"), {"org": orgs["laizhou"].pk})
        assert followed(focused, "laizhou") == 3


def test_every_number_on_the_board_lists_exactly_the_items_it_counts(
    orgs, clerk_a, clerk_b, supervisor, institution, client_for
):
    """A new user clicked each number and found the ledger listing other counts (tasks, steps and mediation are
    counted but are not cases; 在办合计 listed cases with no running clock). Every number now opens 期限清单 with
    exactly its items: cases of several handlers, a task, a paused clock, an absent A and an open case without a
    deadline, followed link by link."""
    import html
    import re

    from core.services.deadlines import deadline_pause
    from core.services.tasks import task_create

    _seed_board(orgs, clerk_a, clerk_b, institution)
    covered = make_open_case(org=orgs["laizhou"], owner=clerk_b, backup=clerk_a)
    open_item(covered, dt.date(2025, 9, 30))
    Absence.objects.create(user=clerk_b, start_on=dt.date(2025, 9, 29), end_on=dt.date(2025, 10, 3), kind="leave")
    paused = open_item(make_open_case(org=orgs["laizhou"], owner=clerk_a), dt.date(2025, 10, 20))
    deadline_pause(deadline=paused, start_on=dt.date(2025, 9, 15), reason="等待司法鉴定", actor=supervisor)
    make_open_case(org=orgs["laizhou"], owner=clerk_a)  # open, but no running clock: counted nowhere
    with at(TUESDAY_BEFORE_HOLIDAY, 9):
        task_create(
            actor=supervisor, org=orgs["laizhou"], title="报送季度总结", owner=clerk_a, due_on=TUESDAY_BEFORE_HOLIDAY
        )
    client = client_for(supervisor)
    with at(TUESDAY_BEFORE_HOLIDAY, 9):
        board = client.get(reverse("dashboard:board")).content.decode()
        numbers = re.findall(r'<a href="([^"]+)" data-testid="([^"]+)">(\d+)</a>', board)
        assert len(numbers) >= 15
        for link, testid, shown in numbers:
            listed = client.get(html.unescape(link)).content.decode()
            assert f"共 {shown} 项" in listed, (testid, link)
            assert listed.count("data-deadline=") == int(shown), testid
    assert re.search(r'data-testid="total-laizhou-total">(\d+)<', board).group(1) == "6"
    # The 未涉及机构 row (the task, the cases about no institution) links too: a new user found it the only row
    # of the institution table without links.
    assert any("institution=0" in html.unescape(link) for link, _testid, _shown in numbers)


def test_deadline_list_refuses_bad_filters_and_other_offices(orgs, clerk_a, supervisor, reviewer, client_for):
    client = client_for(supervisor)
    url = reverse("dashboard:deadline_list")
    response = client.get(url, {"bucket": "forever", "acting": "x"})
    assert response.status_code == 400 and "筛选条件无效" in response.content.decode()
    assert client.get(url, {"org": orgs["zhaoyuan"].pk}).status_code == 404
    assert client_for(clerk_a).get(url).status_code == 403
    assert client_for(reviewer).get(url, {"org": orgs["zhaoyuan"].pk}).status_code == 200


def test_a_rows_bucket_links_are_the_links_built_one_by_one():
    """The board encodes a row's common filters once for its eight numbers: the same URLs as one by one."""
    from laizhou_xiaobao.dashboard.links import deadline_list_url, deadline_list_urls

    for base in [{}, {"acting": 3}, {"org": 4, "institution": 0, "kind": "core.task"}, {"org": 4, "acting": None}]:
        for within in (None, "", 5):
            links = deadline_list_urls(base, ["overdue", "today", "total"], within=within)
            assert links == {b: deadline_list_url(**base, bucket=b, within=within) for b in links}


def test_the_boards_tables_read_as_the_page_shows_them(orgs, clerk_a, supervisor, reviewer, institution, client_for):
    """Heads and cards follow the 即将到期 window submitted with the page's own form; a covering B's row carries the
    代岗 badge and its name escaped; an office without open items says so in each of its tables."""
    covering = make_user(org=orgs["laizhou"], role=Role.CLERK, name="<b>王</b>")
    open_item(
        make_open_case(org=orgs["laizhou"], owner=clerk_a, backup=covering, institution=institution),
        dt.date(2025, 9, 29),
    )
    Absence.objects.create(user=clerk_a, start_on=dt.date(2025, 9, 30), end_on=dt.date(2025, 9, 30), kind="leave")
    with at(TUESDAY_BEFORE_HOLIDAY, 9):
        first = client_for(supervisor).get(reverse("dashboard:board"))
        form = page_form(first.text, method="get")
        html = client_for(supervisor).get(reverse("dashboard:board"), form.fill(within="5")).text
        branch = client_for(reviewer).get(reverse("dashboard:board")).text
    assert html.count('<th class="text-end">5个工作日内</th>') == 3  # by handler, institution, type
    assert '<div class="small text-muted">5个工作日内</div>' in html
    row = re.search(rf'<tr data-testid="handler-row-{covering.pk}">(.*?)</tr>', html).group(1)
    assert "<td>&lt;b&gt;王&lt;/b&gt; " in row and 'title="含代缺岗A岗办理的事项">代岗</span>' in row
    link = rf'href="[^"]*acting={covering.pk}&amp;bucket=overdue[^"]*"'
    assert re.search(rf'{link} data-testid="handler-laizhou-{covering.pk}-overdue">1</a>', row)
    assert 'data-testid="total-laizhou-overdue">1</a>' in html
    zhaoyuan = branch.split('data-testid="office-zhaoyuan"')[1]
    assert zhaoyuan.count('<td colspan="7" class="text-muted">没有在办事项。</td>') == 3
    # The cards link every number, nought included.
    assert 'class="text-decoration-none" data-testid="total-zhaoyuan-overdue">0</a>' in zhaoyuan
