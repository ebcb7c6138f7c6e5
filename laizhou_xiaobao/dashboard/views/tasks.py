from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import get_object_for_user, scope
from core.models import Task, User
from core.roles import is_mediator_only
from core.services.tasks import (
    can_assign_tasks,
    can_complete_task,
    task_cancel,
    task_complete,
    task_create,
    task_fingerprint,
    task_update,
)

from ..forms import TaskCancelForm, TaskCompleteForm, TaskEditForm, TaskForm


def visible_tasks(user):
    """The office's tasks of the user's units; a mediator (court, association) sees only tasks given to them."""
    tasks = Task.objects.all()
    if is_mediator_only(user):
        tasks = tasks.filter(Q(owner=user) | Q(backup=user))
    return tasks


def get_task_for_user(request, pk) -> Task:
    return get_object_for_user(
        visible_tasks(request.user).select_related("org", "owner", "backup", "done_by", "created_by", "previous"),
        request.user,
        pk=pk,
    )


def _office_users(user):
    return User.objects.filter(org_id=user.org_id, is_active=True).order_by("username")


def _error(exc) -> str:
    return exc.messages[0] if hasattr(exc, "messages") else str(exc)


@login_required
def task_list(request):
    """工作任务清单: the office's tasks, open first; `?mine=1` shows only the user's own."""
    status = request.GET.get("status", "open")
    tasks = scope(visible_tasks(request.user), request.user).select_related("org", "owner", "backup")
    if status in Task.Status.values:
        tasks = tasks.filter(status=status)
    if request.GET.get("mine"):
        tasks = tasks.filter(Q(owner=request.user) | Q(backup=request.user))
    tasks = tasks.order_by("due_on", "id")[:500]
    can_assign = can_assign_tasks(request.user) and request.user.org_id is not None
    form = TaskForm(users=_office_users(request.user)) if can_assign else None
    return render(
        request,
        "dashboard/task_list.html",
        {"tasks": tasks, "form": form, "status": status, "statuses": Task.Status.choices, "can_assign": can_assign},
    )


@login_required
@require_POST
def task_add(request):
    if not can_assign_tasks(request.user) or request.user.org_id is None:
        raise PermissionDenied(_("只有支局负责人可以布置工作任务。"))
    form = TaskForm(request.POST, users=_office_users(request.user))
    if form.is_valid():
        try:
            task = task_create(actor=request.user, org=request.user.org, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, _("工作任务已布置，已通知A岗。"))
            return redirect("dashboard:task_detail", pk=task.pk)
    tasks = scope(Task.objects.open(), request.user).select_related("org", "owner", "backup").order_by("due_on")
    return render(
        request,
        "dashboard/task_list.html",
        {"tasks": tasks, "form": form, "status": "open", "statuses": Task.Status.choices, "can_assign": True},
        status=400,
    )


@login_required
def task_detail(request, pk):
    task = get_task_for_user(request, pk)
    return render(
        request,
        "dashboard/task_detail.html",
        {
            "task": task,
            "complete_form": TaskCompleteForm(),
            "cancel_form": TaskCancelForm(),
            "can_complete": task.status == Task.Status.OPEN and can_complete_task(request.user, task),
            "can_cancel": task.status == Task.Status.OPEN and can_assign_tasks(request.user),
            "successor": Task.objects.filter(previous=task).first(),
        },
    )


@login_required
def task_edit(request, pk):
    """修改/改派: a supervisor changes an open task's content, due date or A/B; its deadline follows."""
    task = get_task_for_user(request, pk)
    if not can_assign_tasks(request.user):
        raise PermissionDenied(_("只有支局负责人可以修改或改派工作任务。"))
    if task.status != Task.Status.OPEN:
        messages.error(request, _("该任务已结束，不能修改。"))
        return redirect("dashboard:task_detail", pk=task.pk)
    users = _office_users(request.user)
    if request.method == "POST":
        form = TaskEditForm(request.POST, instance=Task(org=task.org), users=users)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in TaskForm.Meta.fields}
            try:
                task_update(actor=request.user, task=task, fingerprint=form.cleaned_data["fingerprint"], **data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _error(exc))
            else:
                messages.success(request, _("工作任务已更新。"))
                return redirect("dashboard:task_detail", pk=task.pk)
        status = 400
    else:
        form = TaskEditForm(instance=task, users=users, initial={"fingerprint": task_fingerprint(task)})
        status = 200
    return render(request, "dashboard/task_edit.html", {"task": task, "form": form}, status=status)


@login_required
@require_POST
def task_done(request, pk):
    task = get_task_for_user(request, pk)
    form = TaskCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写完成情况。"))
        return redirect("dashboard:task_detail", pk=task.pk)
    try:
        _task, successor = task_complete(actor=request.user, task=task, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("任务已办结。"))
        if successor is not None:
            messages.info(request, _("已生成下一期任务，完成期限 %(due)s。") % {"due": successor.due_on.isoformat()})
    return redirect("dashboard:task_detail", pk=task.pk)


@login_required
@require_POST
def task_cancel_view(request, pk):
    task = get_task_for_user(request, pk)
    form = TaskCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请说明撤销理由。"))
        return redirect("dashboard:task_detail", pk=task.pk)
    try:
        task_cancel(actor=request.user, task=task, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("任务已撤销。"))
    return redirect("dashboard:task_detail", pk=task.pk)
