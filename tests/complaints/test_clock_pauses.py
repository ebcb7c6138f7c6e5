"""暂停计时 / 恢复计时 from the case page (docs/domain.md「暂停计时」): who may, what shows, how the due date moves."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from complaints.models import Case, CaseEvent
from complaints.services import complaint_forward, complaint_institution_acknowledge
from core.models import AuditEntry, Deadline, DeadlinePause
from core.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def detail(case):
    return reverse("complaints:case_detail", args=[case.pk])


@pytest.fixture
def forwarded(register, clerk_a, frozen):
    """A complaint forwarded on Tuesday 2026-03-10: the institution's clock C-INST runs 15 days, to 03-25."""
    case = register("complaint")
    complaint_forward(actor=clerk_a, case=case, version=case.version, told_via="phone", told_on=case.received_on)
    # The institution signs for it the same day: its 15 days (C-INST) start at the 签收.
    case.refresh_from_db()
    complaint_institution_acknowledge(
        actor=clerk_a,
        case=case,
        version=case.version,
        acknowledged_on=case.forwarding.forwarded_on,
        acknowledged_by="王经理",
    )
    case.refresh_from_db()
    return case


def institution_clock(case) -> Deadline:
    return Deadline.objects.get(object_id=case.pk, content_type__app_label="complaints", rule__code="C-INST")


def rendered_form(html: str, form_id: str) -> dict:
    """The fields the page renders in one form (hidden version and the initial dates), as the browser sends them."""
    block = html[html.index(f'id="{form_id}"') :]
    block = block[: block.index("</form>")]
    fields = dict(re.findall(r'name="(version|start_on|end_on)"[^>]*?value="([^"]*)"', block))
    return fields


def pause_data(client, case, **overrides):
    html = client.get(detail(case)).content.decode()
    assert 'id="clock-pause"' in html
    data = rendered_form(html, "clock-pause")
    data.update({"kind": "materials", "reason": "等待投诉人补充银行流水"})
    data.update(overrides)
    return data


def test_handler_pauses_from_the_page_and_the_clock_shows_paused_not_overdue(client_for, clerk_a, forwarded, frozen):
    client = client_for(clerk_a)
    data = pause_data(client, forwarded)
    assert data["start_on"] == "2026-03-10" and data["version"] == str(forwarded.version)
    response = client.post(reverse("complaints:clock_pause", args=[forwarded.pk]), data)
    assert response.status_code == 302

    deadline = institution_clock(forwarded)
    assert deadline.paused_since == D("2026-03-10")
    pause = DeadlinePause.objects.get(deadline=deadline)
    assert (pause.kind, pause.reason, pause.started_by) == ("materials", "等待投诉人补充银行流水", clerk_a)
    forwarded.refresh_from_db()
    assert forwarded.clock_paused is True
    assert CaseEvent.objects.filter(case=forwarded, action="clock_paused").exists()
    assert AuditEntry.objects.filter(action="complaints.case.clock_paused").exists()

    # Weeks later the due date has passed, yet the paused case is not overdue anywhere.
    frozen.move_to(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC))
    client = client_for(clerk_a)  # signed in again: the session of three weeks ago has expired
    html = client.get(detail(forwarded)).content.decode()
    assert "暂停（材料待补）" in html and "等待投诉人补充银行流水" in html
    assert "超期" not in html.split('id="deadlines"')[1].split("</section>")[0]
    assert Case.objects.overdue(D("2026-04-01")).count() == 0
    ledger = client.get(reverse("complaints:index"), {"overdue": 1}).content.decode()
    assert forwarded.number not in ledger
    ledger = client.get(reverse("complaints:index"), {"paused": 1}).content.decode()
    assert forwarded.number in ledger


def test_resume_recomputes_the_due_date_with_the_paused_days_added_back(client_for, clerk_b, forwarded, frozen):
    frozen.move_to(dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC))
    client = client_for(clerk_b)  # B works the case as A does
    response = client.post(reverse("complaints:clock_pause", args=[forwarded.pk]), pause_data(client, forwarded))
    assert institution_clock(forwarded).paused_since == D("2026-03-12")
    frozen.move_to(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC))
    client = client_for(clerk_b)
    html = client.get(detail(forwarded)).content.decode()
    data = rendered_form(html, "clock-resume")
    assert data["end_on"] == "2026-03-20"
    data["end_on"] = "2026-03-19"
    response = client.post(reverse("complaints:clock_resume", args=[forwarded.pk]), data)
    assert response.status_code == 302

    deadline = institution_clock(forwarded)
    # 15 calendar days from 03-10 with 03-12..03-19 (8 days) not counted: day 15 is 04-02 (Thursday, working).
    assert deadline.paused_since is None and deadline.due_on == D("2026-04-02")
    forwarded.refresh_from_db()
    assert forwarded.clock_paused is False and forwarded.due_on == D("2026-04-02")
    assert DeadlinePause.objects.get(deadline=deadline).ended_by == clerk_b
    event = CaseEvent.objects.get(case=forwarded, action="clock_resumed")
    assert "2026-04-02" in event.note


def test_supervisor_may_pause(client_for, supervisor, forwarded):
    client = client_for(supervisor)
    client.post(reverse("complaints:clock_pause", args=[forwarded.pk]), pause_data(client, forwarded, kind="hearing"))
    assert institution_clock(forwarded).paused_since == D("2026-03-10")


def test_someone_of_another_office_is_refused_and_nothing_changes(client_for, clerk_a, other_clerk, forwarded):
    data = pause_data(client_for(clerk_a), forwarded)
    response = client_for(other_clerk).post(reverse("complaints:clock_pause", args=[forwarded.pk]), data)
    assert response.status_code == 404
    assert institution_clock(forwarded).paused_since is None
    assert not DeadlinePause.objects.exists()


def test_a_colleague_who_is_neither_a_nor_b_is_refused(client_for, clerk_a, orgs, forwarded):
    colleague = make_user(org=orgs["laizhou"], role=Role.CLERK, username="colleague", name="许一鸣")
    data = pause_data(client_for(clerk_a), forwarded)
    client = client_for(colleague)
    assert 'id="clock-pause"' not in client.get(detail(forwarded)).content.decode()
    response = client.post(reverse("complaints:clock_pause", args=[forwarded.pk]), data, follow=True)
    assert "只有本案件的A岗、B岗或支局负责人" in response.content.decode()
    assert not DeadlinePause.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": "  "}, "具体原因"),
        ({"start_on": "2026-03-11"}, "不能晚于今天"),
        ({"start_on": "2026-03-01"}, "不能早于接收日期"),
        ({"kind": "holiday"}, "选择一个有效的选项"),
    ],
)
def test_bad_pause_input_changes_nothing(client_for, clerk_a, forwarded, overrides, message):
    client = client_for(clerk_a)
    data = pause_data(client, forwarded, **overrides)
    response = client.post(reverse("complaints:clock_pause", args=[forwarded.pk]), data, follow=True)
    assert message in response.content.decode()
    assert institution_clock(forwarded).paused_since is None
    assert not DeadlinePause.objects.exists()


def test_resume_before_the_pause_started_is_refused(client_for, clerk_a, forwarded, frozen):
    client = client_for(clerk_a)
    client.post(reverse("complaints:clock_pause", args=[forwarded.pk]), pause_data(client, forwarded))
    data = rendered_form(client.get(detail(forwarded)).content.decode(), "clock-resume")
    data["end_on"] = "2026-03-09"
    response = client.post(reverse("complaints:clock_resume", args=[forwarded.pk]), data, follow=True)
    assert "恢复日期不能早于暂停开始日期" in response.content.decode()
    assert institution_clock(forwarded).paused_since == D("2026-03-10")


def test_a_second_pause_while_paused_is_refused(client_for, clerk_a, forwarded):
    client = client_for(clerk_a)
    data = pause_data(client, forwarded)
    client.post(reverse("complaints:clock_pause", args=[forwarded.pk]), data)
    forwarded.refresh_from_db()
    data["version"] = str(forwarded.version)
    response = client.post(reverse("complaints:clock_pause", args=[forwarded.pk]), data, follow=True)
    assert "没有正在计时的期限" in response.content.decode()
    assert DeadlinePause.objects.count() == 1
