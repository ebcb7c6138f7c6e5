"""The ledger import pages: upload, column mapping with a preview, dry run and import (docs/domain.md,
"历史台账导入"). Views parse the form, call one service and redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exporters import xlsx_response
from core.job_status import job_status_context, render_job_status
from core.service_errors import form_errors, show_error

from ..import_forms import ImportMappingForm, ImportUploadForm
from ..models import LedgerImport
from ..services import ledger_import as svc
from ..services.ledger_import.columns import guess_mapping


def _require_importer(request) -> None:
    if not svc.can_import(request.user):
        raise PermissionDenied(_("只有系统管理员或支局负责人可以导入台账。"))


def get_import_for_user(request, pk: int) -> LedgerImport:
    """An import of a unit the user may import for; 404 for anyone else."""
    _require_importer(request)
    try:
        return (
            LedgerImport.objects.filter(org__in=svc.import_offices(request.user))
            .select_related("org", "uploaded_by", "run_by", "job")
            .get(pk=pk)
        )
    except LedgerImport.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def import_start(request):
    _require_importer(request)
    offices = svc.import_offices(request.user)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, offices=offices, initial={"org": offices.first()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = svc.ledger_import_upload(
                actor=request.user, org=form.cleaned_data["org"], upload=form.cleaned_data["file"]
            )
        except (PermissionDenied, ValidationError) as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已上传 %(n)s 行，请核对列的对应关系。") % {"n": record.row_count})
            return redirect("complaints:import_mapping", pk=record.pk)
    recent = LedgerImport.objects.filter(org__in=offices).select_related("org", "uploaded_by")[:20]
    return render(request, "complaints/import_start.html", {"form": form, "recent": recent})


@login_required
def import_template(request):
    _require_importer(request)
    return xlsx_response(svc.template_workbook(), _("信访投诉台账导入模板.xlsx"))


@login_required
def import_mapping(request, pk: int):
    record = get_import_for_user(request, pk)
    initial = guess_mapping(record.headers, svc.mapping_for(record.org))
    form = ImportMappingForm(request.POST or None, headers=record.headers, initial_mapping=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.ledger_import_save_mapping(actor=request.user, record=record, columns=form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("列的对应关系已保存，本单位以后的文件沿用。"))
            return redirect("complaints:import_detail", pk=record.pk)
    return render(request, "complaints/import_mapping.html", {"record": record, "form": form})


@login_required
def import_detail(request, pk: int):
    """The preview with the saved mapping, and the last check's or import's outcome."""
    record = get_import_for_user(request, pk)
    status = job_status_context(
        record.job, poll_url=reverse("complaints:import_detail", args=[record.pk]) + "?fragment=1", unit=_("行")
    )
    if request.GET.get("fragment"):
        return render_job_status(request, status)
    fields, preview = svc.preview_rows(record) if record.file else ([], [])
    context = {
        "record": record,
        "status": status,
        "fields": fields,
        "preview": preview,
        "result": record.result or {},
        "can_run": svc.may_run(record),
    }
    return render(request, "complaints/import_detail.html", context)


@login_required
@require_POST
def import_run(request, pk: int):
    record = get_import_for_user(request, pk)
    dry_run = request.POST.get("mode") != "import"
    try:
        record = svc.ledger_import_run(actor=request.user, record=record, dry_run=dry_run)
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
        return redirect("complaints:import_detail", pk=record.pk)
    result = record.result or {}
    if record.state == LedgerImport.State.RUNNING:
        messages.info(request, _("文件较大，已交给后台处理，本页显示进度。"))
    elif record.state == LedgerImport.State.REFUSED:
        messages.error(request, _("文件有 %(n)s 处问题，未导入任何数据。") % {"n": len(result.get("problems", []))})
    elif record.state == LedgerImport.State.CHECKED:
        messages.success(
            request,
            _("试运行通过：将新建历史件 %(h)s 件、新登记 %(o)s 件，跳过已导入的 %(s)s 行；未写入任何数据。")
            % {"h": result["historical"], "o": result["open"], "s": result["skipped_count"]},
        )
    else:
        messages.success(
            request,
            _("导入完成：新建历史件 %(h)s 件、新登记 %(o)s 件，跳过已导入的 %(s)s 行。")
            % {"h": result["historical"], "o": result["open"], "s": result["skipped_count"]},
        )
    return redirect("complaints:import_detail", pk=record.pk)
