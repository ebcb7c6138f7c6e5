"""The statistics report pages of a sub-bureau: the list, the report with its linked figures, the workflow
actions and the files (docs/domain.md, "信访投诉统计")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import report_file_views
from core.job_status import render_job_status
from core.models import OrgUnit
from core.service_errors import form_errors, show_error
from institutions.services.common import is_staff_of, is_supervisor_of
from institutions.views.access import office_only

from . import forms
from . import services as svc
from .documents import report_charts, report_request_files
from .figures import table_links
from .models import StatisticsReport


def get_report_for_user(request, pk) -> StatisticsReport:
    """The report if the user's unit sees it (404 otherwise); a branch reviewer sees only submitted ones."""
    return get_object_or_404(
        StatisticsReport.objects.for_user(request.user).select_related(
            "org", "created_by", "checked_by", "approved_by", "submitted_by", "returned_by", "supersedes"
        ),
        pk=pk,
    )


def _previous_quarter_code() -> str:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3
    return f"{today.year}Q{quarter}" if quarter else f"{today.year - 1}Q4"


def _can_create(user) -> bool:
    return user.org_id is not None and user.org.level == OrgUnit.Level.SUB_BUREAU and is_staff_of(user, user.org)


@login_required
@office_only
def index(request):
    user = request.user
    reports = StatisticsReport.objects.for_user(user).select_related("org", "approved_by", "submitted_by")
    return render(
        request,
        "statistics/index.html",
        {
            "reports": reports[:200],
            "can_create": _can_create(user),
            "form": forms.PeriodForm(initial={"period": _previous_quarter_code()}),
            "is_branch": user.org_id is not None and user.org.level == OrgUnit.Level.BRANCH,
        },
    )


@login_required
@require_POST
@office_only
def create(request):
    user = request.user
    form = forms.PeriodForm(request.POST)
    if not _can_create(user):
        raise PermissionDenied(_("只有支局的登记办理人员或负责人可以编制统计报表。"))
    if not form.is_valid():
        for error in form.errors.get("period", []):
            messages.error(request, error)
        return redirect("statistics:index")
    year, quarter = form.cleaned_data["period"]
    try:
        report = svc.report_draft(actor=user, org=user.org, year=year, quarter=quarter)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
        return redirect("statistics:index")
    messages.success(request, _("统计报表草稿已按数据生成，请核对后提交负责人批准。"))
    return redirect("statistics:detail", pk=report.pk)


def files_status(report: StatisticsReport) -> dict:
    """The files card (core/report_file_views.py): the latest generation and the two downloads."""
    return report_file_views.files_status(report, status_url="statistics:status", download_url="statistics:download")


@login_required
@office_only
def detail(request, pk, summary_form=None, status=200):
    report = get_report_for_user(request, pk)
    user = request.user
    return render(
        request,
        "statistics/detail.html",
        {
            "report": report,
            "tables": table_links(report.figures.get("tables", [])),
            "charts": report_charts(report),
            "can_edit": report.is_editable and is_staff_of(user, report.org),
            "is_staff": is_staff_of(user, report.org),
            "is_supervisor": is_supervisor_of(user, report.org),
            "is_reviewer": svc.is_branch_reviewer_of(user, report.org),
            "summary_form": summary_form or forms.SummaryForm(initial={"summary": report.summary}),
            "files_status": files_status(report),
            "versions": StatisticsReport.objects.for_user(user)
            .filter(org=report.org, year=report.year, quarter=report.quarter)
            .select_related("submitted_by")
            .order_by("-version"),
        },
        status=status,
    )


@login_required
@require_POST
@office_only
def edit_summary(request, pk):
    report = get_report_for_user(request, pk)
    form = forms.SummaryForm(request.POST)
    if form.is_valid():
        try:
            svc.report_edit_summary(actor=request.user, report=report, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("工作小结已保存。"))
            return redirect("statistics:detail", pk=pk)
    # The form again with its errors (400: nothing was saved).
    return detail(request, pk, summary_form=form, status=400)


# Workflow actions: (service, needs a reason, success message).
WORKFLOW = {
    "refresh": (svc.report_refresh, False, _("数据已重新提取。")),
    "check": (svc.report_check, False, _("报表已核对，请负责人批准。")),
    "approve": (svc.report_approve, False, _("报表已批准。请生成文件后报送分局。")),
    "reopen": (svc.report_reopen, True, _("报表已退回修改。")),
    "submit": (svc.report_submit, False, _("报表已报送分局并锁定。")),
    "return": (svc.report_return, True, _("报表已退回支局更正。")),
}


@login_required
@require_POST
@office_only
def action(request, pk, action):
    report = get_report_for_user(request, pk)
    reason = forms.ReasonForm(request.POST)
    reason_text = reason.cleaned_data["reason"] if reason.is_valid() else ""
    if action == "supersede":
        try:
            new = svc.report_supersede(actor=request.user, report=report, reason=reason_text)
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
            return redirect("statistics:detail", pk=pk)
        messages.success(request, _("已编制更正版本（草稿），原版本保留备查。"))
        return redirect("statistics:detail", pk=new.pk)
    if action not in WORKFLOW:
        raise Http404
    service, needs_reason, message = WORKFLOW[action]
    kwargs = {"reason": reason_text} if needs_reason else {}
    try:
        service(actor=request.user, report=report, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.success(request, message)
    return redirect("statistics:detail", pk=pk)


@login_required
@require_POST
@office_only
def generate(request, pk):
    report = get_report_for_user(request, pk)
    report_file_views.start_generation(request, report, report_request_files, report=report)
    return redirect("statistics:detail", pk=pk)


@login_required
@office_only
def files_status_view(request, pk):
    """The poller's request: the files card's status fragment."""
    return render_job_status(request, files_status(get_report_for_user(request, pk)))


@login_required
@office_only
def download(request, pk, kind):
    report = get_report_for_user(request, pk)
    return report_file_views.download_response(
        request, report, kind, action="statistics.report.downloaded", title="信访投诉统计"
    )
