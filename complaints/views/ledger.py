"""The ledger (台账): list, search, export and the office summary."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from complaints.exporters import export_filename
from complaints.filters import LedgerFilter
from complaints.ledger_columns import LedgerLine, page_columns
from complaints.models import LedgerExport
from complaints.search import BROAD_COUNT_LIMIT
from complaints.selectors import (
    LEDGER_DEFAULT_PAGE_SIZE,
    LEDGER_PAGE_SIZES,
    DaysLeft,
    ledger_page,
    ledger_scope,
)
from complaints.services.ledger_export import (
    FORMATS,
    SEARCH_KEY,
    can_download,
    ledger_caption,
    ledger_export_request,
    shown_filters,
)
from complaints.services.ledger_import import can_import
from complaints.work_summary import work_summary_for_orgs
from core.access import scope as scope_to_user
from core.charts import bar_chart
from core.exporters import export_response
from core.job_status import Download, job_status_context, render_job_status
from core.markup import id_url
from core.models import OrgUnit
from core.params import MAX_YEAR, MIN_YEAR, day_in_range, page_param
from core.roles import is_mediator_only
from core.services.audit import log_action
from core.services.jobs import QUEUE_DOWN_MESSAGE, waiting_for_queue
from core.workcalendar import get_calendar


def _page_number(request) -> int:
    return page_param(request.GET.get("page"))


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("per_page", LEDGER_DEFAULT_PAGE_SIZE))
    except ValueError:
        return LEDGER_DEFAULT_PAGE_SIZE
    return size if size in LEDGER_PAGE_SIZES else LEDGER_DEFAULT_PAGE_SIZE


@login_required
def index(request):
    """The ledger. Queries: the visible units with the filter choices (one UNION), the work calendar, and the
    page's rows together with their count (one query) — plus the session, the user and the user's roles."""
    today = timezone.localdate()
    scope = ledger_scope(request.user)
    if is_mediator_only(request.user):
        raise PermissionDenied(_("调解员只能查看指派给自己的调解案件，不能查看信访投诉台账。"))
    calendar = get_calendar()
    filterset = LedgerFilter(request.GET or None, scope=scope, calendar_getter=lambda: calendar, today=today)
    cases = filterset.qs  # filtering tells whether the search is broad
    page = ledger_page(
        cases,
        page=_page_number(request),
        per_page=_page_size(request),
        # A broad search or any filter is counted only up to the limit (超过 1000 件): an exact count of a filter
        # matching much of a million cases costs more than the page. The unfiltered ledger's exact total is read
        # from the case month summary instead of counted (docs/performance.md「台账的总数」).
        count_limit=BROAD_COUNT_LIMIT if filterset.broad_search or filterset.is_filtered else None,
        total=scope.case_total() if filterset.is_unfiltered else None,
        count_queryset=filterset.search_count(),
    )
    if filterset.calendar_error:
        messages.error(request, filterset.calendar_error)
    days_left = DaysLeft(calendar, today)
    tz = timezone.get_current_timezone()
    case_url = id_url("complaints:case_detail")
    rows = [LedgerLine.of(case, days_left=days_left, tz=tz, url=case_url(case.pk)) for case in page.rows]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "complaints/ledger.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "today": today,
            "query_string": params.urlencode(),
            # The export buttons post the filters: search terms (names, phones) stay out of export URLs.
            "export_params": [(key, value) for key, values in params.lists() for value in values if key != "format"],
            "page_sizes": LEDGER_PAGE_SIZES,
            "columns": page_columns(),
            # The roles were loaded with the scope: no query.
            "can_import": can_import(request.user),
        },
    )


@login_required
def ledger_export(request):
    """Export exactly the filtered ledger: small exports download at once, large ones go to a task.

    The ledger's buttons post the filters. A GET (a link from elsewhere) may carry filters but no search terms:
    those would sit in the URL, in browser history and server logs (docs/domain.md, "个人信息")."""
    params = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and params.get(SEARCH_KEY, "").strip():
        messages.error(request, _("检索词不能放在导出网址中，请在台账页按“导出”按钮导出。"))
        return redirect("complaints:index")
    file_format = params.get("format", "xlsx")
    if file_format not in FORMATS:
        raise Http404
    if (request.user.org_id is None and not request.user.is_superuser) or is_mediator_only(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    scope = ledger_scope(request.user)
    filterset = LedgerFilter(params or None, scope=scope, calendar_getter=get_calendar, today=today)
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        back = params.copy()
        for key in (SEARCH_KEY, "csrfmiddlewaretoken", "format"):
            back.pop(key, None)
        return redirect(f"{reverse('complaints:index')}?{back.urlencode()}")
    org = request.user.org or OrgUnit.objects.order_by("path").first()
    export, content = ledger_export_request(
        actor=request.user,
        queryset=filterset.qs,
        filters=filterset.active_filters(),
        file_format=file_format,
        org=org,
        today=today,
        caption=ledger_caption(org=org, filterset=filterset, actor=request.user),
    )
    if content is None:
        messages.info(request, _("导出行数较多，已转入后台生成，完成后可在本页下载。"))
        if waiting_for_queue(export):
            messages.warning(request, QUEUE_DOWN_MESSAGE)
        return redirect("complaints:export_status", pk=export.pk)
    return export_response(content, export_filename(file_format), file_format)


def get_export_for_user(request, pk: int) -> LedgerExport:
    """An export the user may see: of a visible unit, and their own (supervisors: any of their units)."""
    try:
        export = scope_to_user(LedgerExport.objects.select_related("requested_by", "job"), request.user).get(pk=pk)
    except LedgerExport.DoesNotExist as exc:
        raise Http404 from exc
    if not can_download(request.user, export):
        raise Http404
    return export


def _export_status(export: LedgerExport) -> dict:
    return job_status_context(
        export.job,
        poll_url=f"{reverse('complaints:export_status', args=[export.pk])}?fragment=1",
        downloads=[
            Download(_("下载"), reverse("complaints:export_download", args=[export.pk]), testid="export-download")
        ],
        unit=_("行"),
        failed_text=_("导出失败，请稍后重试或联系管理员。"),
        none_text=_("该导出已直接下载，未保存文件。"),
    )


@login_required
def export_status(request, pk: int):
    """The export's page; `?fragment=1` is the poller's request for the status fragment alone."""
    export = get_export_for_user(request, pk)
    status = _export_status(export)
    if request.GET.get("fragment"):
        return render_job_status(request, status)
    return render(
        request,
        "complaints/export_status.html",
        {
            "export": export,
            "status": status,
            # Masked search terms on the page; the link back to the ledger leaves them out.
            "filters": shown_filters(export.filters),
            "ledger_query": urlencode({k: v for k, v in export.filters.items() if k != SEARCH_KEY}),
        },
    )


@login_required
def export_download(request, pk: int):
    export = get_export_for_user(request, pk)
    job = export.job
    if job is None or job.state != job.State.DONE or not job.file:
        raise Http404
    if job.is_expired(timezone.now()):
        messages.error(request, _("该导出文件已过期，请重新导出。"))
        return redirect("complaints:export_status", pk=export.pk)
    log_action(actor=request.user, action="complaints.ledger.export_downloaded", target=export)
    return export_response(
        job.file.open("rb"), export_filename(export.file_format, job.finished_at), export.file_format
    )


def _parse_day(value: str | None, default: dt.date) -> tuple[dt.date, str]:
    if not value:
        return default, ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return default, _("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value}
    if not day_in_range(day):
        return default, _("日期须在 %(min)s 年至 %(max)s 年之间：%(value)s") % {
            "min": MIN_YEAR,
            "max": MAX_YEAR,
            "value": value,
        }
    return day, ""


@login_required
def summary(request):
    """The office summary (docs/domain.md, "工作小结") for any period over the units the user may see."""
    if is_mediator_only(request.user):
        raise PermissionDenied(_("调解员只能查看指派给自己的调解案件。"))
    today = timezone.localdate()
    start, error_from = _parse_day(request.GET.get("from"), today.replace(month=1, day=1))
    end, error_to = _parse_day(request.GET.get("to"), today)
    errors = [e for e in (error_from, error_to) if e]
    if end < start:
        errors.append(_("结束日期不能早于开始日期。"))
        start, end = end, start
    scope = ledger_scope(request.user)
    org_choices = sorted(scope.orgs.items(), key=lambda item: item[1][0])
    org_id = request.GET.get("org")
    if org_id and org_id.isdigit() and int(org_id) in scope.org_ids:
        selected_path = scope.orgs[int(org_id)][2]
        org_ids = [pk for pk, (_name, _short, path) in scope.orgs.items() if path.startswith(selected_path)]
    else:
        org_id = ""
        org_ids = None if scope.all_orgs else scope.org_ids
    figures = work_summary_for_orgs(org_ids=org_ids, start=start, end=end)
    chart = bar_chart(
        [label for label, _n in figures.by_channel],
        {_("登记件数"): [n for _label, n in figures.by_channel]},
        title=_("按来源渠道"),
    )
    type_chart = bar_chart(
        [label for label, _n in figures.by_type],
        {_("登记件数"): [n for _label, n in figures.by_type]},
        title=_("按类型"),
    )
    institution_chart = bar_chart(
        [row[0] for row in figures.by_institution[:15]],
        {
            _("登记件数"): [row[1] for row in figures.by_institution[:15]],
            _("转办投诉"): [row[2] for row in figures.by_institution[:15]],
        },
        title=_("按机构"),
        horizontal=True,
    )
    return render(
        request,
        "complaints/summary.html",
        {
            "figures": figures,
            "errors": errors,
            "org_choices": org_choices,
            "org_id": org_id,
            "chart": chart,
            "type_chart": type_chart,
            "institution_chart": institution_chart,
        },
    )
