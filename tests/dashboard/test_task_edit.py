"""修改/改派工作任务: a supervisor edits or reassigns an open task; the deadline follows; stale edits are refused."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEntry, Notification, Task
from core.services.tasks import task_create, task_deadline, task_fingerprint
from tests.factories import at

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2025, 9, 30)


@pytest.fixture
def task(supervisor, clerk_a):
    with at(TUESDAY, 9):
        yield task_create(
            actor=supervisor,
            org=supervisor.org,
            title="报送季度消保工作总结",
            owner=clerk_a,
            due_on=dt.date(2025, 10, 10),
        )


def _post(client, task, **overrides):
    data = {
        "title": task.title,
        "requirement": task.requirement,
        "owner": task.owner_id,
        "backup": task.backup_id or "",
        "due_on": task.due_on.isoformat(),
        "recurrence": task.recurrence,
        "fingerprint": task_fingerprint(task),
    } | overrides
    return client.post(reverse("dashboard:task_edit", args=[task.pk]), data)


def test_supervisor_reassigns_a_task_and_its_deadline_follows(task, supervisor, clerk_a, clerk_b, client_for):
    client = client_for(supervisor)
    with at(TUESDAY, 9):
        page = client.get(reverse("dashboard:task_edit", args=[task.pk]))
        assert page.status_code == 200 and "修改/改派工作任务" in page.text
        response = _post(client, task, owner=clerk_b.pk, backup=clerk_a.pk, due_on="2025-10-20", title="报送三季度总结")
    assert response.status_code == 302
    task.refresh_from_db()
    deadline = task_deadline(task)
    assert (task.owner, task.backup, task.due_on, task.title) == (
        clerk_b,
        clerk_a,
        dt.date(2025, 10, 20),
        "报送三季度总结",
    )
    assert (deadline.owner, deadline.backup, deadline.due_on) == (clerk_b, clerk_a, dt.date(2025, 10, 20))
    assert deadline.label == "工作任务：报送三季度总结"
    assert Notification.objects.filter(recipient=clerk_b, title__startswith="改派给您的工作任务").count() == 1
    entry = AuditEntry.objects.get(action="core.task.updated")
    assert entry.data["changes"]["owner_id"] == [str(clerk_a.pk), str(clerk_b.pk)]
    assert task.history.first().history_change_reason == "改派工作任务"


def test_a_stale_edit_is_refused_and_changes_nothing(task, supervisor, clerk_a, clerk_b, client_for):
    client = client_for(supervisor)
    seen = task_fingerprint(task)
    with at(TUESDAY, 9):
        _post(client, task, due_on="2025-10-15")  # someone else saves first
        response = _post(client, task, owner=clerk_b.pk, backup=clerk_a.pk, fingerprint=seen)
    assert response.status_code == 400
    assert "该任务已被他人修改，请刷新页面后重新编辑。" in response.text
    task.refresh_from_db()
    assert task.owner.username == "clerk_a" and task.due_on == dt.date(2025, 10, 15)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"due_on": "2025-09-01"}, "完成期限不能早于今天。"),
        ({"title": "  "}, "这个字段是必填项。"),
        ({"due_on": "明天"}, "输入一个有效的日期。"),
    ],
)
def test_bad_edit_shows_a_chinese_message_and_saves_nothing(task, supervisor, client_for, overrides, message):
    with at(TUESDAY, 9):
        response = _post(client_for(supervisor), task, **overrides)
    assert response.status_code == 400 and message in response.text
    assert Task.objects.get(pk=task.pk).due_on == dt.date(2025, 10, 10)
    assert task_deadline(task).due_on == dt.date(2025, 10, 10)


def test_a_clerk_cannot_edit_and_another_office_gets_404(task, clerk_a, other_clerk, client_for, client):
    assert client_for(clerk_a).get(reverse("dashboard:task_edit", args=[task.pk])).status_code == 403
    assert _post(client_for(clerk_a), task, title="改名").status_code == 403
    client.logout()
    assert client_for(other_clerk).get(reverse("dashboard:task_edit", args=[task.pk])).status_code == 404
    assert Task.objects.get(pk=task.pk).title == "报送季度消保工作总结"


def test_a_finished_task_cannot_be_edited(task, supervisor, clerk_a, client_for):
    from core.services.tasks import task_complete

    with at(TUESDAY, 9):
        task_complete(actor=clerk_a, task=task, note="已报送")
        response = client_for(supervisor).get(reverse("dashboard:task_edit", args=[task.pk]), follow=True)
    assert "该任务已结束，不能修改。" in response.text
