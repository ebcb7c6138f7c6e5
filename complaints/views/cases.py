"""The case page and its actions: one access helper, one view for every action (`ACTIONS`, docs/architecture.md)."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exporters import file_response
from core.models import Deadline
from core.personal import mask_address, mask_id, mask_name, mask_phone
from core.roles import Role, has_role
from core.service_errors import show_error
from core.services.absences import acting_handler
from core.services.deadlines import deadline_state
from core.uploads import served_content_type
from core.workcalendar import get_calendar

from .. import forms
from .. import services as svc
from ..archive_forms import FileForm, SupplementForm
from ..models import Attachment, Case, CaseStep, ExtensionRequest
from ..models.choices import CaseType
from ..services.archive import filing_preview
from ..services.archive_rules import FileFacts
from ..transitions import MenuFacts, action_label, offered_actions
from ..workflow import diagram_width, workflow_nodes
from .action_table import ACTIONS
from .archive_status import bundle_status_context
from .case_panels import exposure_context
from .case_rows import case_rows, choices_from, read_case, staff_choices_from


def get_case_for_user(request, pk) -> Case:
    """The case if the user's office sees it (404 otherwise); mediators see only their mediation cases."""
    user = request.user
    if has_role(user, Role.MEDIATOR) and not (user.is_superuser or has_role(user, Role.CLERK, Role.SUPERVISOR)):
        raise Http404
    # Only what every case view needs is read with the case (read_case): the case page reads the rest with its lists
    # in one query (case_rows); elsewhere they load when used.
    return read_case(user, pk)


# --- Actions ---------------------------------------------------------------------------------------


def filed_archive(case: Case):
    """The case's archive row when it is filed (loaded with the case by `get_case_for_user`), else None."""
    return getattr(case, "archive", None)


def _archive_context(case: Case, user, *, documents, rows, forwarding) -> dict:
    """The case page's 归档 card: the filing check before filing; retention, supplements and bundle after."""
    archive = filed_archive(case)
    can_handle = svc.can_handle(user, case)
    if archive is None:
        if case.is_open or not can_handle:
            return {"archive": None, "filing": None}
        facts = FileFacts(
            case=case, documents={d.kind: d for d in documents}, forwarding=forwarding, attachments=rows.attachments
        )
        return {
            "archive": None,
            "filing": filing_preview(case, facts=facts),
            "file_form": FileForm(case=case, auto_id="id_file_%s"),
        }
    archive.case = case
    return {
        "archive": archive,
        "supplements": rows.supplements,
        "supplement_form": SupplementForm(auto_id="id_supplement_%s") if can_handle else None,
        "bundle_status": bundle_status_context(archive, can_download=can_handle, job=rows.bundle_job),
    }


def allowed_actions(
    case: Case, user, *, documents, steps, extension_pending: bool, events=(), reviews=(), transfer=None
) -> list[str]:
    """The actions the transition table offers this user on this case now; the services still check every guard.

    A closed case is offered only the rows that start from 已办结 (a 复查/复核, a transfer's acknowledgement); a
    filed one none (docs/domain.md, "归档")."""
    if not svc.can_handle(user, case) or filed_archive(case) is not None:
        return []
    facts = MenuFacts(
        delivered={d.kind for d in documents if d.delivered_on},
        issued={d.kind for d in documents},
        extension_pending=extension_pending,
        steps=steps,
        step_count=len(svc.STEP_ORDER),
        repeated=any(event.action == "repeat_contact" for event in events),
        reviews=list(reviews),
        transfer=transfer,
    )
    return offered_actions(case, user, facts)


@login_required
@require_POST
def case_action(request, pk, action):
    case = get_case_for_user(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, _style, call = ACTIONS[action]
    label = action_label(action)
    form = form_class(request.POST, case=case, auto_id=f"id_{action}_%s")
    if form.is_valid():
        try:
            call(request.user, case, form.cleaned_data)
        except PermissionDenied as exc:
            show_error(request, exc)
        except ValidationError as exc:
            if _is_stale(exc):
                return _stale_again(request, case, action, form_class)
            show_error(request, exc)
        else:
            messages.success(request, _("%(action)s：已完成。") % {"action": label})
            return redirect("complaints:case_detail", pk=case.pk)
        return redirect("complaints:case_detail", pk=case.pk)
    return case_detail(request, pk, failed=(action, form), case=case)


def _is_stale(exc: ValidationError) -> bool:
    return (
        any(getattr(error, "code", None) == "stale" for error in exc.error_list)
        if hasattr(exc, "error_list")
        else False
    )


def _stale_again(request, case, action, form_class):
    """Someone else changed the case first: show the page as it is now, with the user's form still filled in.

    The form carries the new version, so that, having read the changes, the user submits what they typed with one
    click instead of typing it again; if the action no longer applies, what they typed is shown in the message.
    """
    case = get_case_for_user(request, case.pk)
    data = request.POST.copy()
    data["version"] = str(case.version)
    form = form_class(data, case=case, auto_id=f"id_{action}_%s")
    form.is_valid()
    form.add_error(None, _("该案件已被他人修改：页面已显示最新情况，您填写的内容已保留，核对后可再次提交。"))
    return case_detail(request, case.pk, failed=(action, form), case=case, status=409)


def _typed_text(form) -> str:
    """What the user typed into a form's text fields, to show it back when the form itself cannot be."""
    parts = []
    for name, field in form.fields.items():
        value = form.data.get(name, "") if name != "version" else ""
        if isinstance(field, django_forms.CharField) and value.strip():
            parts.append(f"{field.label}：{value.strip()}")
    return "；".join(parts)


# --- The case page ---------------------------------------------------------------------------------


def _deadline_rows(deadlines, today, calendar, pauses):
    rows = []
    for deadline in deadlines:
        pause = pauses.get(deadline.pk)
        state = None
        if deadline.status == Deadline.Status.OPEN:
            state = deadline_state(
                deadline.due_on,
                today,
                paused=bool(deadline.paused_since),
                provisional=deadline.is_provisional,
                calendar=calendar,
            )
        rows.append({"deadline": deadline, "state": state, "pause": pause})
    return rows


def _pause_context(case: Case, user, deadlines, pauses) -> dict:
    """The open pauses of the case's clocks (shown as 暂停 with their reason) and the pause/resume forms."""
    handles = svc.can_handle(user, case) and case.is_open
    running = any(
        d.status == Deadline.Status.OPEN and not d.paused_since and d.content_type_id == case_ct_id() for d in deadlines
    )
    supervises = svc.is_supervisor(user) and svc.sees_case(user, case)
    return {
        "mark_major_form": forms.MarkMajorForm(case=case, auto_id="id_major_%s")
        if supervises and case.is_open and not case.is_major
        else None,
        "urgent_report_form": forms.UrgentReportForm(case=case, auto_id="id_report_%s")
        if handles and case.is_major
        else None,
        "open_pauses": pauses,
        "pause_form": forms.ClockPauseForm(case=case, auto_id="id_pause_%s") if handles and running else None,
        "resume_form": forms.ClockResumeForm(case=case, auto_id="id_resume_%s") if handles and pauses else None,
    }


def _attachment_form(case: Case, steps: list):
    form = forms.AttachmentForm(case=case)
    choices_from(form.fields["step"], steps)
    return form


def case_ct_id() -> int:
    return ContentType.objects.get_for_model(Case).pk


def _person(case: Case, revealed: bool) -> dict:
    if revealed:
        return {"name": case.name, "id_number": case.id_number, "phone": case.phone, "address": case.address}
    return {
        "name": mask_name(case.name),
        "id_number": mask_id(case.id_number),
        "phone": mask_phone(case.phone),
        "address": mask_address(case.address),
    }


@login_required
def step_redirect(request, step_pk):
    """My-work and reminders link a closed-loop step by its id; show it on its case's page."""
    step = get_object_or_404(CaseStep.objects.only("pk", "case_id"), pk=step_pk)
    case = get_case_for_user(request, step.case_id)
    return redirect(f"{reverse('complaints:case_detail', args=[case.pk])}#steps")


@login_required
def case_detail(request, pk, *, failed=None, case=None, revealed=False, status=None):
    case = case or get_case_for_user(request, pk)
    user = request.user
    today = timezone.localdate()
    rows = case_rows(case, user, today)
    events, documents, steps, deadlines = rows.events, rows.documents, rows.steps, rows.deadlines
    extension_requests = rows.extension_requests
    pending = [r for r in extension_requests if r.state == ExtensionRequest.State.PENDING]
    forwarding = getattr(case, "forwarding", None) if case.case_type == CaseType.COMPLAINT else None
    reviews, transfer, history = rows.reviews, rows.transfer, rows.history
    changes = []
    for newer, older in zip(history, [*history[1:], None], strict=True):
        changed = []
        if older is not None:
            changed = [
                str(Case._meta.get_field(c.field).verbose_name)
                for c in newer.diff_against(older).changes
                if c.field not in ("version", "updated_at")
            ]
        changes.append({"record": newer, "changed": changed})

    action_keys = allowed_actions(
        case,
        user,
        documents=documents,
        steps=steps,
        extension_pending=bool(pending),
        events=events,
        reviews=reviews,
        transfer=transfer,
    )
    if failed and failed[0] not in action_keys and (typed := _typed_text(failed[1])):
        messages.warning(request, _("该操作现在不能进行，您填写的内容未提交：%(text)s") % {"text": typed})
    actions = []
    for key in action_keys:
        form_class, style, _call = ACTIONS[key]
        label = action_label(key)
        form = failed[1] if failed and failed[0] == key else form_class(case=case, auto_id=f"id_{key}_%s")
        actions.append(
            {"key": key, "label": label, "form": form, "style": style, "open": bool(failed and failed[0] == key)}
        )
    staff_choices_from([action["form"] for action in actions], case, rows.staff)
    nodes = workflow_nodes(case, events)
    calendar = get_calendar()
    pause_context = _pause_context(case, user, deadlines, rows.open_pauses)
    writable = svc.can_handle(user, case) and filed_archive(case) is None
    context = {
        "case": case,
        "person": _person(case, revealed),
        "revealed": revealed,
        "can_handle": svc.can_handle(user, case),
        "can_reveal": svc.can_reveal_personal_data(user, case),
        "is_supervisor": svc.is_supervisor(user),
        "acting": acting_handler(case.owner, case.backup, today, org=case.org, absent=rows.absent_ids),
        "deadline_rows": _deadline_rows(deadlines, today, calendar, pause_context["open_pauses"]),
        "due_state": (
            deadline_state(
                case.due_on, today, paused=case.clock_paused, provisional=case.due_provisional, calendar=calendar
            )
            if case.due_on
            else None
        ),
        "nodes": nodes,
        "diagram_width": diagram_width(nodes),
        "actions": actions,
        "events": events,
        "documents": documents,
        "steps": steps,
        "attachments": rows.attachments,
        "attachment_form": _attachment_form(case, steps) if writable else None,
        "writable": writable,
        "step_complete_form": forms.StepCompleteForm(case=case),
        "extension_requests": extension_requests,
        "pending_extensions": pending,
        "decide_form": forms.ExtensionDecideForm(auto_id="id_decide_%s"),
        "forwarding": forwarding,
        "reviews": reviews,
        "transfer": transfer,
        "contacts": rows.contacts,
        "changes": changes,
        "today": today,
        **pause_context,
        **exposure_context(case, rows.exposure_origins, rows.open_interviews),
        **_archive_context(case, user, documents=documents, rows=rows, forwarding=forwarding),
    }
    status = status or (400 if failed else 200)
    return render(request, "complaints/case_detail.html", context, status=status)


@login_required
@require_POST
def case_reveal(request, pk):
    """显示完整信息: only for A/B and supervisors, each reveal logged; the data never goes into a URL."""
    case = get_case_for_user(request, pk)
    try:
        svc.personal_data_revealed(actor=request.user, case=case)
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    return case_detail(request, pk, case=case, revealed=True)


@login_required
@require_POST
def extension_decide(request, pk, request_pk):
    case = get_case_for_user(request, pk)
    extension = get_object_or_404(ExtensionRequest, pk=request_pk, case=case)
    form = forms.ExtensionDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或不批准。"))
        return redirect("complaints:case_detail", pk=case.pk)
    try:
        svc.extension_decide(
            actor=request.user,
            request=extension,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("延期申请已审批。"))
    return redirect("complaints:case_detail", pk=case.pk)


@login_required
@require_POST
def step_complete(request, pk, step_pk):
    case = get_case_for_user(request, pk)
    step = get_object_or_404(CaseStep, pk=step_pk, case=case)
    form = forms.StepCompleteForm(request.POST, case=case)
    if form.is_valid():
        try:
            svc.case_step_complete(
                actor=request.user, step=step, version=form.cleaned_data["version"], note=form.cleaned_data["note"]
            )
        except (PermissionDenied, ValidationError) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("%(step)s已完成。") % {"step": step.get_kind_display()})
    else:
        messages.error(request, _("请填写该环节的结论或内容。"))
    return redirect("complaints:case_detail", pk=case.pk)


@login_required
@require_POST
def attachment_upload(request, pk):
    case = get_case_for_user(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES, case=case)
    if form.is_valid():
        try:
            svc.attachment_add(
                actor=request.user,
                case=case,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                step=form.cleaned_data["step"],
            )
        except (PermissionDenied, ValidationError) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("附件已上传。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("complaints:case_detail", pk=case.pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    """Files live outside the static tree and leave only through here, each download logged."""
    case = get_case_for_user(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, case=case)
    svc.attachment_downloaded(actor=request.user, attachment=attachment)
    content_type = served_content_type(attachment.original_name, attachment.content_type)
    return file_response(attachment.file.open("rb"), attachment.original_name, content_type=content_type)
