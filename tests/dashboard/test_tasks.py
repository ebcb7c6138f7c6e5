import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Deadline, Notification, Task
from core.services.tasks import add_months, task_complete, task_create, task_deadline
from laizhou_xiaobao.dashboard import selectors
from tests.factories import at

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2025, 9, 30)


@pytest.fixture
def frozen():
    with at(TUESDAY, 9):
        yield


def _task(supervisor, clerk_a, **overrides):
    fields = {
        "actor": supervisor,
        "org": supervisor.org,
        "title": "报送季度消保工作总结",
        "owner": clerk_a,
        "due_on": dt.date(2025, 10, 10),
    }
    return task_create(**(fields | overrides))


def test_assigning_a_task_opens_a_deadline_and_notifies_a(frozen, supervisor, clerk_a, clerk_b):
    task = _task(supervisor, clerk_a, requirement="汇总本季度投诉情况")
    deadline = task_deadline(task)
    assert deadline.due_on == dt.date(2025, 10, 10) and deadline.item_kind == "core.task"
    assert (deadline.owner, deadline.backup) == (clerk_a, clerk_b)  # B defaults to A's backup
    assert deadline.label == "工作任务：报送季度消保工作总结"
    assert Notification.objects.get(recipient=clerk_a).link == reverse("dashboard:task_detail", args=[task.pk])


def test_a_task_appears_on_the_dashboard_and_in_my_work(frozen, orgs, supervisor, clerk_a, client_for):
    _task(supervisor, clerk_a, due_on=TUESDAY)
    horizon = selectors.make_horizon(TUESDAY, 3)
    figures = selectors.deadline_figures([orgs["laizhou"]], horizon)[orgs["laizhou"].pk]
    [row] = figures.by_type
    assert (row.label, row.counts.today) == ("工作任务", 1)
    assert row.counts.links["today"] == reverse("dashboard:deadline_list") + "?kind=core.task&bucket=today"
    response = client_for(clerk_a).get(reverse("home"))
    assert [i.kind_label for i in response.context["items"]] == ["工作任务"]
    assert response.context["items"][0].link == reverse("dashboard:task_detail", args=[response.context["tasks"][0].pk])


def test_only_supervisors_assign_tasks(frozen, clerk_a, clerk_b):
    with pytest.raises(PermissionDenied):
        _task(clerk_a, clerk_b, org=clerk_a.org)


def test_a_and_b_must_differ_and_due_date_not_past(frozen, supervisor, clerk_a):
    with pytest.raises(ValidationError):
        _task(supervisor, clerk_a, backup=clerk_a)
    with pytest.raises(ValidationError):
        _task(supervisor, clerk_a, due_on=dt.date(2025, 9, 1))
    assert Task.objects.count() == 0


def test_completing_a_quarterly_task_creates_the_next_occurrence_once(frozen, supervisor, clerk_a):
    task = _task(supervisor, clerk_a, recurrence=Task.Recurrence.QUARTERLY, due_on=dt.date(2025, 10, 31))
    done, successor = task_complete(actor=clerk_a, task=task, note="已报送")
    assert done.status == Task.Status.DONE and done.done_note == "已报送"
    assert successor.due_on == dt.date(2026, 1, 31) and successor.previous == task
    assert task_deadline(task) is None
    assert Deadline.objects.get(object_id=task.pk, content_type__model="task").status == "done"
    assert task_deadline(successor).due_on == dt.date(2026, 1, 31)
    with pytest.raises(ValidationError):
        task_complete(actor=clerk_a, task=task, note="再次")
    assert Task.objects.count() == 2


def test_monthly_recurrence_clamps_to_the_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


def test_completion_needs_a_note_and_a_or_b(frozen, supervisor, clerk_a, other_clerk):
    task = _task(supervisor, clerk_a)
    with pytest.raises(ValidationError):
        task_complete(actor=clerk_a, task=task, note=" ")
    with pytest.raises(PermissionDenied):
        task_complete(actor=other_clerk, task=task, note="完成")
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


# --- Pages ------------------------------------------------------------------------------------------


def test_supervisor_assigns_a_task_through_the_page(frozen, supervisor, clerk_a, client_for):
    client = client_for(supervisor)
    response = client.post(
        reverse("dashboard:task_add"),
        {"title": "开展金融知识进社区", "owner": clerk_a.pk, "due_on": "2025-10-15", "recurrence": "monthly"},
    )
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:task_detail", args=[task.pk])
    assert task.recurrence == "monthly" and task.created_by == supervisor


def test_bad_task_input_shows_a_chinese_message_and_saves_nothing(frozen, supervisor, clerk_a, client_for):
    response = client_for(supervisor).post(
        reverse("dashboard:task_add"),
        {"title": "x", "owner": clerk_a.pk, "due_on": "2025-09-01", "recurrence": "once"},
    )
    assert response.status_code == 400
    assert "完成期限不能早于今天" in response.content.decode()
    assert Task.objects.count() == 0


def test_clerk_cannot_assign_but_completes_own_task_on_the_page(frozen, supervisor, clerk_a, client_for):
    task = _task(supervisor, clerk_a, recurrence="monthly")
    client = client_for(clerk_a)
    assert client.post(reverse("dashboard:task_add"), {"title": "x"}).status_code == 403
    page = client.get(reverse("dashboard:task_detail", args=[task.pk]))
    assert page.context["can_complete"] and not page.context["can_cancel"]
    client.post(reverse("dashboard:task_done", args=[task.pk]), {"note": "已完成"})
    task.refresh_from_db()
    assert task.status == "done"
    assert Task.objects.get(previous=task).due_on == dt.date(2025, 11, 10)


def test_supervisor_cancels_a_task_and_its_deadline(frozen, supervisor, clerk_a, client_for):
    task = _task(supervisor, clerk_a)
    client_for(supervisor).post(reverse("dashboard:task_cancel", args=[task.pk]), {"reason": "工作调整"})
    task.refresh_from_db()
    assert task.status == "cancelled"
    assert Deadline.objects.get(object_id=task.pk, content_type__model="task").status == "cancelled"


def test_outsider_gets_404_and_anonymous_is_sent_to_login(frozen, supervisor, clerk_a, other_clerk, client, client_for):
    task = _task(supervisor, clerk_a)
    url = reverse("dashboard:task_detail", args=[task.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    outsider = client_for(other_clerk)
    assert outsider.get(url).status_code == 404
    assert outsider.post(reverse("dashboard:task_done", args=[task.pk]), {"note": "x"}).status_code == 404
    assert task.title not in outsider.get(reverse("dashboard:task_list")).content.decode()


def test_task_list_query_count_is_constant(frozen, supervisor, clerk_a, client_for, django_assert_num_queries):
    client = client_for(supervisor)
    _task(supervisor, clerk_a)
    client.get(reverse("dashboard:task_list"))
    # session, user with org and roles (one query), unread count, tasks with A/B, office users for the A and the B
    # selects of the form.
    with django_assert_num_queries(6):
        client.get(reverse("dashboard:task_list"))
    for n in range(5):
        _task(supervisor, clerk_a, title=f"任务{n}")
    with django_assert_num_queries(6):
        client.get(reverse("dashboard:task_list"))
