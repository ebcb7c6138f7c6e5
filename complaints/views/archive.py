"""The archive's pages (docs/domain.md, "归档"): filing a case, its supplements and bundle, the yearly archive
list (归档目录) and the destruction decisions. Each action: the form, one service call, a message, a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exporters import file_response, xlsx_bytes, xlsx_response
from core.job_status import render_job_status
from core.models import OrgUnit
from core.roles import is_mediator_only
from core.service_errors import show_error
from core.services.audit import log_action

from .. import archive_forms
from ..archive_selectors import archive_list, destruction_decisions, due_for_destruction
from ..exporters import ArchiveListExporter
from ..models import CaseArchive, DestructionDecision
from ..services import archive as archive_svc
from ..services import archive_destruction as destruction_svc
from ..services.common import can_handle, is_supervisor
from .archive_status import bundle_status_context
from .cases import get_case_for_user


def _archive_of(request, pk) -> CaseArchive:
    case = get_case_for_user(request, pk)
    archive = getattr(case, "archive", None)
    if archive is None:
        raise Http404
    archive.case = case
    return archive


def _back(case_pk):
    return redirect(f"{reverse('complaints:case_detail', args=[case_pk])}#archive")


@login_required
@require_POST
def case_file(request, pk):
    case = get_case_for_user(request, pk)
    form = archive_forms.FileForm(request.POST, case=case)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back(case.pk)
    try:
        archive = archive_svc.case_file(
            actor=request.user,
            case=case,
            version=form.cleaned_data["version"],
            approval_reason=form.cleaned_data["approval_reason"],
            permanent=form.cleaned_data["permanent"],
            permanent_reason=form.cleaned_data["permanent_reason"],
        )
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("已归档，归档号 %(n)s；卷宗正在后台生成。") % {"n": archive.archive_number})
    return _back(case.pk)


@login_required
@require_POST
def supplement_add(request, pk):
    case = get_case_for_user(request, pk)
    form = archive_forms.SupplementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择类型并填写补充材料或更正的内容。"))
        return _back(case.pk)
    try:
        archive_svc.case_supplement_add(
            actor=request.user, case=case, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"]
        )
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("补充材料/更正已添加；如需将其并入卷宗，请重新生成卷宗。"))
    return _back(case.pk)


@login_required
def bundle_status(request, pk):
    """The poller's fragment for the case page's bundle card."""
    archive = _archive_of(request, pk)
    can_download = can_handle(request.user, archive.case)
    return render_job_status(request, bundle_status_context(archive, can_download=can_download))


@login_required
@require_POST
def bundle_request(request, pk):
    archive = _archive_of(request, pk)
    try:
        archive_svc.archive_bundle_request(actor=request.user, archive=archive)
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
    else:
        messages.info(request, _("卷宗正在后台生成，完成后可在本页下载。"))
    return _back(archive.case_id)


@login_required
def bundle_download(request, pk, part):
    archive = _archive_of(request, pk)
    field = {"pdf": archive.bundle_pdf, "zip": archive.bundle_zip}.get(part)
    if field is None or not field.name:
        raise Http404
    archive_svc.bundle_downloaded(actor=request.user, archive=archive, part=part)
    content_type = "application/pdf" if part == "pdf" else "application/zip"
    name = _("%(number)s-卷宗.%(part)s") % {"number": archive.case.number, "part": part}
    return file_response(field.storage.open(field.name, "rb"), name, content_type=content_type)


# --- The archive list and destruction ------------------------------------------------------------------------


def _office(request, org_id) -> OrgUnit:
    """The office the page is about: the one asked for if the user sees it, else the user's own."""
    user = request.user
    if is_mediator_only(user) or (user.org_id is None and not user.is_superuser):
        raise PermissionDenied(_("只有支局人员可以查看档案。"))
    if org_id:
        org = OrgUnit.objects.filter(pk=org_id).first()
        if org is None or not (user.is_superuser or org.is_within(user.org)):
            raise Http404
        return org
    if user.org_id is None:
        raise Http404
    return user.org


@login_required
def archive_index(request):
    """归档目录: an office's filings of one year, on screen and as an Excel workbook (`?format=xlsx`)."""
    today = timezone.localdate()
    org_id = request.GET.get("org", "")
    form = archive_forms.ArchiveYearForm({"year": request.GET.get("year") or today.year, "org": org_id})
    if not form.is_valid():
        if "org" in form.errors:
            raise Http404
        messages.error(request, _("年度须在 1900 至 2100 之间。"))
    year = form.cleaned_data.get("year") or today.year
    org = _office(request, form.cleaned_data.get("org"))
    archives = archive_list(org_id=org.pk, year=year)
    if request.GET.get("format") == "xlsx":
        title = _("%(office)s %(year)s年归档目录") % {"office": org.name, "year": year}
        content, rows = xlsx_bytes([ArchiveListExporter(archives)], title=title, caption=org.official_name)
        log_action(actor=request.user, action="complaints.archive.list_exported", target=org, year=year, rows=rows)
        return xlsx_response(content, f"{title}.xlsx")
    return render(request, "complaints/archive_index.html", {"archives": list(archives), "year": year, "org": org})


@login_required
def destruction_index(request):
    """Filings past retention awaiting a proposal, and every decision (the pending ones for the supervisor)."""
    org_id = request.GET.get("org", "")
    if org_id and not org_id.isdigit():
        raise Http404
    org = _office(request, int(org_id) if org_id else None)
    today = timezone.localdate()
    org_ids = [org.pk]
    decisions = list(destruction_decisions(org_ids=org_ids))
    return render(
        request,
        "complaints/archive_destruction.html",
        {
            "org": org,
            "due": list(due_for_destruction(org_ids=org_ids, today=today)),
            "pending": [d for d in decisions if d.state == DestructionDecision.State.PROPOSED],
            "decided": [d for d in decisions if d.state != DestructionDecision.State.PROPOSED],
            "propose_form": archive_forms.DestructionProposeForm(),
            "decide_form": archive_forms.DestructionDecideForm(),
            "is_supervisor": is_supervisor(request.user),
            "today": today,
        },
    )


@login_required
@require_POST
def destruction_propose(request, archive_pk):
    archive = get_object_or_404(CaseArchive.objects.select_related("case__org"), pk=archive_pk)
    get_case_for_user(request, archive.case_id)  # 404 outside the user's offices
    form = archive_forms.DestructionProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写销毁理由。"))
        return redirect("complaints:destruction_index")
    try:
        destruction_svc.destruction_propose(actor=request.user, archive=archive, reason=form.cleaned_data["reason"])
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("已提出销毁，待支局负责人审批。"))
    return redirect("complaints:destruction_index")


@login_required
@require_POST
def destruction_decide(request, decision_pk):
    decision = get_object_or_404(DestructionDecision.objects.select_related("archive"), pk=decision_pk)
    get_case_for_user(request, decision.archive.case_id)
    form = archive_forms.DestructionDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准销毁或不予销毁。"))
        return redirect("complaints:destruction_index")
    try:
        destruction_svc.destruction_decide(
            actor=request.user,
            decision=decision,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("销毁申请已审批。"))
    return redirect("complaints:destruction_index")
