from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import report_file_views
from core.job_status import render_job_status
from core.models import OrgUnit
from core.service_errors import show_error

from .. import forms
from ..exporters import list_rows
from ..models import ListItem, ListRow, QuarterlyList
from ..models.choices import Assessment
from ..periods import parse_quarter, previous_quarter, quarter_of
from ..services import lists as svc
from ..services.common import is_staff_of, is_supervisor_of
from ..services.documents import list_request_files, summary_chart
from .access import get_list_for_user, office_only


def evidence_url(record: dict) -> str:
    """Where an evidence link leads; empty while the owning module has no such page."""
    names = {
        "case": "complaints:case_detail",
        "interview": "institutions:interview_detail",
        "survey": "institutions:survey_detail",
        "event": "outreach:event_detail",
        "mediation": "mediation:detail",
    }
    name = names.get(record.get("kind"))
    if not name or not record.get("id"):
        return ""
    try:
        return reverse(name, args=[record["id"]])
    except NoReverseMatch:
        return ""


@login_required
@office_only
def list_index(request):
    user = request.user
    lists = QuarterlyList.objects.for_user(user).select_related("org", "approved_by", "frozen_by")
    can_create = user.org_id is not None and user.org.level == OrgUnit.Level.SUB_BUREAU and is_staff_of(user, user.org)
    year, quarter = previous_quarter(*quarter_of(timezone.localdate()))
    return render(
        request,
        "institutions/list_index.html",
        {
            "lists": lists[:200],
            "can_create": can_create,
            "form": forms.ListCreateForm(initial={"quarter": f"{year}Q{quarter}"}),
        },
    )


@login_required
@require_POST
@office_only
def list_create(request):
    user = request.user
    form = forms.ListCreateForm(request.POST)
    if user.org_id is None or user.org.level != OrgUnit.Level.SUB_BUREAU:
        raise PermissionDenied(_("只有支局可以编制正负面清单。"))
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写季度，如 2026Q3。"))
        year, quarter = parse_quarter(form.cleaned_data["quarter"])
        quarterly_list = svc.list_draft(org=user.org, year=year, quarter=quarter, actor=user)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
        return redirect("institutions:list_index")
    messages.success(request, _("清单草稿已生成，请逐条确认系统建议。"))
    return redirect("institutions:list_detail", pk=quarterly_list.pk)


@login_required
def list_detail(request, pk):
    quarterly_list = get_list_for_user(request, pk)
    rows = list_rows(quarterly_list)
    for row in rows:
        row.all_items = list(row.items.all())
        for item in row.all_items:
            item.links = [(e, evidence_url(e)) for e in item.evidence]
    user = request.user
    can_edit = quarterly_list.is_editable and is_staff_of(user, quarterly_list.org)
    pending = sum(1 for row in rows for item in row.all_items if item.state == ListItem.State.SUGGESTED)
    counts = {value: 0 for value in Assessment.values}
    for row in rows:
        counts[row.assessment] += 1
    return render(
        request,
        "institutions/list_detail.html",
        {
            "list": quarterly_list,
            "rows": rows,
            "pending": pending,
            "counts": [(label, counts[value]) for value, label in Assessment.choices],
            "chart": summary_chart(rows, width=760),
            "can_edit": can_edit,
            "is_staff": is_staff_of(user, quarterly_list.org),
            "is_supervisor": is_supervisor_of(user, quarterly_list.org),
            "files_status": files_status(quarterly_list),
            "item_form": forms.ItemAddForm(prefix="add"),
            "assessment_choices": Assessment.choices,
            "element_choices": forms.RatingElement.choices,
            "versions": QuarterlyList.objects.for_user(user)
            .filter(org=quarterly_list.org, year=quarterly_list.year, quarter=quarterly_list.quarter)
            .order_by("-version"),
        },
    )


def _row_for(request, pk, row_pk) -> ListRow:
    quarterly_list = get_list_for_user(request, pk)
    return get_object_or_404(quarterly_list.rows.select_related("quarterly_list__org", "institution"), pk=row_pk)


def _item_for(request, pk, item_pk) -> ListItem:
    quarterly_list = get_list_for_user(request, pk)
    return get_object_or_404(
        ListItem.objects.select_related("row__quarterly_list__org"), row__quarterly_list=quarterly_list, pk=item_pk
    )


def _back(pk, row_pk=None):
    url = reverse("institutions:list_detail", args=[pk])
    return redirect(f"{url}#row-{row_pk}" if row_pk else url)


@login_required
@require_POST
def item_decide(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    accept = request.POST.get("decision") == "accept"
    try:
        svc.item_decide(actor=request.user, item=item, accept=accept)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("已采纳该建议。") if accept else _("已不采纳该建议。"))
    return _back(pk, item.row_id)


@login_required
@require_POST
def item_edit(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    form = forms.ItemForm(request.POST)
    if form.is_valid():
        try:
            svc.item_edit(actor=request.user, item=item, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("事项已修改。"))
    else:
        messages.error(request, _("请填写事项描述。"))
    return _back(pk, item.row_id)


@login_required
@require_POST
def item_add(request, pk, row_pk):
    row = _row_for(request, pk, row_pk)
    form = forms.ItemAddForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            svc.item_add(actor=request.user, row=row, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("事项已添加。"))
    else:
        messages.error(request, _("请填写事项描述。"))
    return _back(pk, row.pk)


@login_required
@require_POST
def row_assessment(request, pk, row_pk):
    row = _row_for(request, pk, row_pk)
    form = forms.AssessmentForm(request.POST)
    if form.is_valid():
        try:
            svc.row_set_assessment(actor=request.user, row=row, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("总体评价已保存。"))
    return _back(pk, row.pk)


# Workflow actions: (service, needs a reason, success message).
WORKFLOW = {
    "refresh": (svc.list_refresh, False, _("指标已刷新，新的建议已加入。")),
    "submit": (svc.list_submit, False, _("清单已提交审批。")),
    "approve": (svc.list_approve, False, _("清单已批准。请生成文件后报送分局。")),
    "return": (svc.list_return, True, _("清单已退回修改。")),
    "freeze": (svc.list_freeze, False, _("清单已报送分局并锁定。")),
}


@login_required
@require_POST
def list_action(request, pk, action):
    quarterly_list = get_list_for_user(request, pk)
    if action == "supersede":
        try:
            new = svc.list_supersede(
                actor=request.user, quarterly_list=quarterly_list, reason=request.POST.get("reason", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
            return _back(pk)
        messages.success(request, _("已编制新版本（草稿），原版本保留备查。"))
        return _back(new.pk)
    if action not in WORKFLOW:
        raise Http404
    service, needs_reason, message = WORKFLOW[action]
    kwargs = {"reason": request.POST.get("reason", "")} if needs_reason else {}
    try:
        service(actor=request.user, quarterly_list=quarterly_list, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.success(request, message)
    return _back(pk)


@login_required
@require_POST
def list_generate(request, pk):
    quarterly_list = get_list_for_user(request, pk)
    report_file_views.start_generation(request, quarterly_list, list_request_files, quarterly_list=quarterly_list)
    return _back(pk)


def files_status(quarterly_list: QuarterlyList) -> dict:
    """The files card (core/report_file_views.py): the latest generation and the two downloads."""
    return report_file_views.files_status(
        quarterly_list, status_url="institutions:list_status", download_url="institutions:list_download"
    )


@login_required
def list_status(request, pk):
    """The poller's request: the files card's status fragment."""
    return render_job_status(request, files_status(get_list_for_user(request, pk)))


@login_required
def list_download(request, pk, kind):
    quarterly_list = get_list_for_user(request, pk)
    return report_file_views.download_response(
        request, quarterly_list, kind, action="institutions.list.downloaded", title="正负面清单"
    )
