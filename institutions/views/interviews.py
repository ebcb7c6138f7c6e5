from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exporters import file_response
from core.models import OrgUnit
from core.service_errors import show_error
from core.services.audit import log_action
from core.uploads import content_type_for

from .. import forms
from ..models import Interview, RectificationItem
from ..periods import parse_quarter, previous_quarter, quarter_of
from ..services import interviews as svc
from ..services.common import is_staff_of, is_supervisor_of
from ..services.triggers import interviews_propose
from .access import get_attachment_for_user, get_interview_for_user, office_only, visible_institutions


@login_required
@office_only
def interview_list(request):
    interviews = Interview.objects.for_user(request.user).select_related("institution", "owner", "org")
    status = request.GET.get("status", "")
    if status in Interview.Status.values:
        interviews = interviews.filter(status=status)
    elif status == "active":
        interviews = interviews.active()
    user = request.user
    can_edit = user.org_id is not None and is_staff_of(user, user.org)
    form = forms.InterviewCreateForm(institutions=visible_institutions(user).filter(is_active=True))
    year, quarter = previous_quarter(*quarter_of(timezone.localdate()))
    return render(
        request,
        "institutions/interview_list.html",
        {
            "interviews": interviews[:200],
            "status": status,
            "statuses": Interview.Status.choices,
            "form": form,
            "can_edit": can_edit,
            "default_quarter": f"{year}Q{quarter}",
        },
    )


@login_required
@require_POST
@office_only
def interview_create(request):
    form = forms.InterviewCreateForm(
        request.POST, institutions=visible_institutions(request.user).filter(is_active=True)
    )
    if not form.is_valid():
        messages.error(request, _("请选择机构并填写约谈事由。"))
        return redirect("institutions:interview_list")
    try:
        interview = svc.interview_create(actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
        return redirect("institutions:interview_list")
    messages.success(request, _("已发起约谈，请安排约谈时间。"))
    return redirect("institutions:interview_detail", pk=interview.pk)


@login_required
@require_POST
def interview_propose(request):
    """Run the trigger rules for a quarter over the user's own unit."""
    user = request.user
    if user.org_id is None or user.org.level != OrgUnit.Level.SUB_BUREAU or not is_staff_of(user, user.org):
        raise PermissionDenied(_("只有支局的登记办理人员或负责人可以生成约谈建议。"))
    try:
        year, quarter = parse_quarter(request.POST.get("quarter", ""))
    except ValidationError as exc:
        show_error(request, exc)
        return redirect("institutions:interview_list")
    created = interviews_propose(org=user.org, year=year, quarter=quarter, actor=user)
    messages.success(request, _("按规则新增约谈建议 %(n)s 条，请逐条确认或不予约谈。") % {"n": len(created)})
    return redirect(f"{_list_url()}?status=proposed")


def _list_url():
    from django.urls import reverse

    return reverse("institutions:interview_list")


# Each action: the form it reads, the service it calls with the interview, and its success message.
ACTIONS = {
    "schedule": (forms.ScheduleForm, svc.interview_schedule, _("约谈已安排。")),
    "held": (forms.HeldForm, svc.interview_record_held, _("约谈情况已记录。")),
    "self_inspection": (forms.SelfInspectionForm, svc.interview_require_self_inspection, _("已要求机构自查。")),
    "self_inspection_result": (
        forms.SelfInspectionResultForm,
        svc.interview_record_self_inspection,
        _("自查报告及整改事项已登记。"),
    ),
    "rectification": (forms.RectificationForm, svc.rectification_add, _("整改事项已添加。")),
    "verify": (forms.NoteForm, svc.interview_verify, _("整改已验证。")),
    "close": (forms.NoteForm, svc.interview_close, _("约谈已办结。")),
    "escalate": (forms.RequiredNoteForm, svc.interview_escalate, _("已上报分局。")),
    "dismiss": (forms.RequiredNoteForm, svc.interview_dismiss, _("已确认不予约谈。")),
}


def _forms_for(interview: Interview, user) -> dict:
    S = Interview.Status
    if interview.is_final or not is_staff_of(user, interview.org):
        return {}
    available = {
        S.PROPOSED: ["schedule", "dismiss"],
        S.SCHEDULED: ["held", "schedule"],
        S.HELD: ["self_inspection", "escalate"],
        S.SELF_INSPECTION: ["self_inspection_result", "escalate"],
        S.RECTIFYING: ["rectification", "verify", "escalate"],
        S.VERIFIED: ["close", "escalate"],
    }[interview.status]
    supervisor = is_supervisor_of(user, interview.org)
    result = {}
    for name in available:
        if name in ("close", "escalate") and not supervisor:
            continue
        initial = {}
        if name == "schedule" and interview.scheduled_at:
            initial = {
                "scheduled_at": timezone.localtime(interview.scheduled_at),
                "location": interview.location,
                "attendees": interview.attendees,
                "topics": interview.topics,
            }
        elif name == "schedule" and interview.topics:
            # Topics added from the cases that exposed the problems (docs/domain.md「约谈督导」).
            initial = {"topics": interview.topics}
        if name == "self_inspection" and interview.self_inspection_scope:
            # The classes of similar problems named when the topics were added: the request names them.
            initial = {"scope": interview.self_inspection_scope}
        result[name] = ACTIONS[name][0](initial=initial, prefix=name)
    return result


@login_required
def interview_detail(request, pk):
    interview = get_interview_for_user(request, pk)
    can_edit = is_staff_of(request.user, interview.org) and not interview.is_final
    return render(
        request,
        "institutions/interview_detail.html",
        {
            "interview": interview,
            "items": interview.rectification_items.all(),
            "origins": interview.origins.select_related("added_by"),
            "attachments": interview.attachments.select_related("uploaded_by", "rectification_item"),
            "action_forms": _forms_for(interview, request.user),
            "done_form": forms.RectificationDoneForm(prefix="done"),
            "attachment_form": forms.AttachmentForm() if can_edit else None,
            "can_edit": can_edit,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def interview_action(request, pk, action):
    interview = get_interview_for_user(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, service, message = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("institutions:interview_detail", pk=pk)
    data = dict(form.cleaned_data)
    if form_class in (forms.NoteForm, forms.RequiredNoteForm):
        data = {"note": data["note"]}
    if action == "self_inspection_result":
        data = {"done_on": data["done_on"], "result": data["result"], "items": data["items"]}
    try:
        service(actor=request.user, interview=interview, **data)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.success(request, message)
    return redirect("institutions:interview_detail", pk=pk)


@login_required
@require_POST
def rectification_done(request, pk, item_pk):
    interview = get_interview_for_user(request, pk)
    item = get_object_or_404(interview.rectification_items, pk=item_pk)
    form = forms.RectificationDoneForm(request.POST, prefix="done")
    if form.is_valid():
        try:
            svc.rectification_complete(actor=request.user, item=item, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("整改事项已完成。"))
    else:
        messages.error(request, _("请填写完成日期和整改证明。"))
    return redirect("institutions:interview_detail", pk=pk)


@login_required
@require_POST
def interview_attach(request, pk):
    interview = get_interview_for_user(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            svc.interview_attach(
                actor=request.user,
                interview=interview,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("附件已上传。"))
    else:
        messages.error(request, _("请选择文件和类型。"))
    return redirect("institutions:interview_detail", pk=pk)


@login_required
def attachment_download(request, pk):
    attachment = get_attachment_for_user(request, pk)
    log_action(actor=request.user, action="institutions.interview.attachment_downloaded", target=attachment.interview)
    name = attachment.original_name
    return file_response(attachment.file.open("rb"), name, content_type=content_type_for(name))


@login_required
def rectification_item(request, pk):
    """A rectification item's page is its interview's (deadline links point here)."""
    item = get_object_or_404(RectificationItem.objects.only("interview_id"), pk=pk)
    interview = get_interview_for_user(request, item.interview_id)
    return redirect("institutions:interview_detail", pk=interview.pk)
