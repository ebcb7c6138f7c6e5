"""Office work items (工作任务): assign, complete (creating the next occurrence of a recurring one), cancel.

Each open task has one core.Deadline so that it appears in my-work, the dashboard and the reminders.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Deadline, Task, User
from core.roles import Role, has_role

from . import deadlines as deadline_services
from .audit import log_action
from .deadline_counts import deadline_save
from .notifications import notify

TASK_ITEM_KIND = "core.task"


def can_assign_tasks(user: User) -> bool:
    return user.is_superuser or has_role(user, Role.SUPERVISOR, Role.ADMINISTRATOR)


def can_complete_task(user: User, task: Task) -> bool:
    return user.pk in (task.owner_id, task.backup_id) or can_assign_tasks(user)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def next_due_on(task: Task) -> dt.date | None:
    months = {Task.Recurrence.MONTHLY: 1, Task.Recurrence.QUARTERLY: 3}.get(task.recurrence)
    return add_months(task.due_on, months) if months else None


def task_label(task: Task) -> str:
    # Task titles are office work ("报送季度消保工作总结"), never personal data; they go into reminders.
    return (_("工作任务：%(title)s") % {"title": task.title})[:200]


def task_deadline(task: Task) -> Deadline | None:
    return (
        Deadline.objects.open()
        .filter(content_type=ContentType.objects.get_for_model(Task), object_id=task.pk)
        .order_by("id")
        .first()
    )


def _check_people(org, owner: User, backup: User | None) -> None:
    if backup is not None and backup.pk == owner.pk:
        raise ValidationError(_("A岗和B岗不能是同一人。"))
    for person in (owner, backup):
        if person is not None and (person.org_id is None or not person.org.is_within(org)):
            raise ValidationError(_("承办人必须是本单位人员。"))


def _open(task: Task, *, actor: User) -> Task:
    task._change_reason = _("布置工作任务")
    task.save()
    deadline_services.deadline_open_custom(
        item=task,
        due_on=task.due_on,
        label=task_label(task),
        org=task.org,
        owner=task.owner,
        backup=task.backup,
        item_kind=TASK_ITEM_KIND,
        started_on=min(task.due_on, timezone.localdate()),
    )
    log_action(actor=actor, action="core.task.assigned", target=task, due_on=str(task.due_on))
    link = reverse("dashboard:task_detail", args=[task.pk])
    notify(
        user=task.owner,
        title=_("新的工作任务：%(title)s") % {"title": task.title},
        body=_("完成期限：%(due)s") % {"due": task.due_on.isoformat()},
        link=link,
        kind="info",
        key=f"task-assigned:{task.pk}",
    )
    return task


@transaction.atomic
def task_create(
    *,
    actor: User,
    org,
    title: str,
    owner: User,
    due_on: dt.date,
    requirement: str = "",
    backup: User | None = None,
    recurrence: str = Task.Recurrence.ONCE,
) -> Task:
    if not can_assign_tasks(actor):
        raise PermissionDenied(_("只有支局负责人可以布置工作任务。"))
    if not actor.is_superuser and (actor.org_id is None or not org.is_within(actor.org)):
        raise PermissionDenied(_("不能为其他单位布置工作任务。"))
    if not title.strip():
        raise ValidationError(_("请填写任务名称。"))
    if due_on < timezone.localdate():
        raise ValidationError(_("完成期限不能早于今天。"))
    _check_people(org, owner, backup)
    if backup is None:
        backup = owner.backup if owner.backup_id and owner.backup_id != owner.pk else None
    task = Task(
        org=org,
        title=title.strip(),
        requirement=requirement,
        owner=owner,
        backup=backup,
        due_on=due_on,
        recurrence=recurrence,
        created_by=actor,
    )
    return _open(task, actor=actor)


@transaction.atomic
def task_complete(*, actor: User, task: Task, note: str, on: dt.date | None = None) -> tuple[Task, Task | None]:
    """Mark the task done with a note; a recurring task gets its next occurrence (returned second)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("该任务已结束。"))
    if not can_complete_task(actor, task):
        raise PermissionDenied(_("只有A岗、B岗或支局负责人可以办结该任务。"))
    if not note.strip():
        raise ValidationError(_("请填写完成情况。"))
    on = on or timezone.localdate()
    task.status = Task.Status.DONE
    task.done_on = on
    task.done_note = note.strip()
    task.done_by = actor
    task._change_reason = _("任务完成")
    task.save(update_fields=["status", "done_on", "done_note", "done_by"])
    deadline = task_deadline(task)
    if deadline is not None:
        deadline_services.deadline_complete(deadline=deadline, completed_on=on)
    log_action(actor=actor, action="core.task.completed", target=task)
    successor = None
    due = next_due_on(task)
    if due is not None and not Task.objects.filter(previous=task).exists():
        successor = Task(
            org=task.org,
            title=task.title,
            requirement=task.requirement,
            owner=task.owner,
            backup=task.backup,
            due_on=due,
            recurrence=task.recurrence,
            previous=task,
            created_by=task.created_by,
        )
        _open(successor, actor=actor)
    return task, successor


@transaction.atomic
def task_cancel(*, actor: User, task: Task, reason: str) -> Task:
    if not can_assign_tasks(actor):
        raise PermissionDenied(_("只有支局负责人可以撤销工作任务。"))
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("该任务已结束。"))
    if not reason.strip():
        raise ValidationError(_("请说明撤销理由。"))
    task.status = Task.Status.CANCELLED
    task.done_note = reason.strip()
    task._change_reason = _("撤销任务：%(reason)s") % {"reason": reason}
    task.save(update_fields=["status", "done_note"])
    deadline = task_deadline(task)
    if deadline is not None:
        deadline_services.deadline_cancel(deadline=deadline, reason=reason)
    log_action(actor=actor, action="core.task.cancelled", target=task, reason=reason)
    return task


EDITABLE_FIELDS = ("title", "requirement", "owner_id", "backup_id", "due_on", "recurrence")


def task_fingerprint(task: Task) -> str:
    """What the editor saw: a save based on an older state is refused instead of overwriting someone's change."""
    return "|".join(str(getattr(task, name)) for name in (*EDITABLE_FIELDS, "status"))


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    fingerprint: str,
    title: str,
    owner: User,
    due_on: dt.date,
    requirement: str = "",
    backup: User | None = None,
    recurrence: str = Task.Recurrence.ONCE,
) -> Task:
    """Edit or reassign an open task; its deadline follows (new due date, new A/B) and a new A is notified."""
    if not can_assign_tasks(actor):
        raise PermissionDenied(_("只有支局负责人可以修改或改派工作任务。"))
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("该任务已结束，不能修改。"))
    if task_fingerprint(task) != fingerprint:
        raise ValidationError(_("该任务已被他人修改，请刷新页面后重新编辑。"))
    if not title.strip():
        raise ValidationError(_("请填写任务名称。"))
    if due_on != task.due_on and due_on < timezone.localdate():
        raise ValidationError(_("完成期限不能早于今天。"))
    _check_people(task.org, owner, backup)
    reassigned = owner.pk != task.owner_id
    values = dict(
        zip(
            EDITABLE_FIELDS,
            (title.strip(), requirement, owner.pk, backup.pk if backup else None, due_on, recurrence),
            strict=True,
        )
    )
    changes = {
        name: (str(getattr(task, name)), str(value)) for name, value in values.items() if getattr(task, name) != value
    }
    if not changes:
        return task
    for name, value in values.items():
        setattr(task, name, value)
    task._change_reason = _("改派工作任务") if reassigned else _("修改工作任务")
    task.save()
    deadline = task_deadline(task)
    if deadline is not None:
        deadline.label = task_label(task)
        deadline.due_on = due_on
        deadline.rule_days = max(0, (due_on - deadline.started_on).days)
        deadline.owner, deadline.backup = owner, backup
        deadline._change_reason = task._change_reason
        deadline_save(deadline, update_fields=["label", "due_on", "rule_days", "owner", "backup"])
    log_action(actor=actor, action="core.task.updated", target=task, changes=changes)
    if reassigned:
        notify(
            user=owner,
            title=_("改派给您的工作任务：%(title)s") % {"title": task.title},
            body=_("完成期限：%(due)s") % {"due": task.due_on.isoformat()},
            link=reverse("dashboard:task_detail", args=[task.pk]),
            kind="info",
        )
    return task
