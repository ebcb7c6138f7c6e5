"""Ledger measurements for `python manage.py bench` (see laizhou_xiaobao/bench)."""

from __future__ import annotations

import io
import tempfile

from django.contrib import admin
from django.db import connection
from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from complaints.models import Case, CaseMonthCount
from complaints.models.choices import OPEN_STATUSES
from laizhou_xiaobao.bench import register

CLERK = "lz_clerk_a"
PAGE = 50


def _org_id():
    from core.models import User

    return User.objects.get(username=CLERK).org_id


def _bare(queryset, *, summed=False):
    """The bare SQL of a ledger page, no Django objects: the total — an exact COUNT, or with `summed` the sum over
    the case month summary that the unfiltered ledger reads — and the page's rows with their joins."""
    if summed:
        received = CaseMonthCount.objects.filter(org_id=_org_id(), measure=CaseMonthCount.Measure.RECEIVED)
        total_sql, total_params = received.values("measure").annotate(total=Sum("count")).query.sql_with_params()
    else:
        count_sql, total_params = queryset.order_by().values("pk").query.sql_with_params()
        # count_sql is compiled by Django's query compiler; every value stays in total_params.
        total_sql = f"SELECT COUNT(*) FROM ({count_sql}) AS c"  # noqa: S608  # nosec B608 # Django-compiled SQL
    page = queryset.select_related("institution", "owner", "backup")[:PAGE]
    page_sql, page_params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(total_sql, total_params)
        cursor.fetchone()
        cursor.execute(page_sql, page_params)
        cursor.fetchall()


def _ledger(ctx, params):
    response = ctx.client(CLERK).get(reverse("complaints:index"), params)
    assert response.status_code == 200, response.status_code  # nosec B101 # bench self-check, never run with -O
    return None


def _visible():
    return Case.objects.filter(org_id=_org_id()).order_by("-received_at", "-id")


@register(
    "ledger_first_page",
    title="台账首页（50件）",
    baseline=lambda ctx, p: _bare(_visible(), summed=True),
    baseline_title="裸SQL（汇总表求和+首页）",
    repeat=20,
    target="≤ 1.5× 裸SQL",
)
def ledger_first_page(ctx, prepared):
    return _ledger(ctx, {})


def _admin_changelist(ctx, prepared):
    response = ctx.client("admin").get(reverse("admin:complaints_case_changelist"))
    assert response.status_code == 200, (response.status_code, response.get("Location"))  # nosec B101


@register(
    "admin_changelist",
    title="管理后台 Case 列表（对照）",
    repeat=10,
)
def admin_changelist(ctx, prepared):
    if not admin.site.is_registered(Case):
        return "管理后台未注册 Case，跳过"
    return _admin_changelist(ctx, prepared)


FILTERED = {"status": "open", "type": "complaint"}


@register(
    "ledger_filtered",
    title="台账筛选页（未办结的转办投诉）",
    baseline=lambda ctx, p: _bare(_visible().filter(status__in=OPEN_STATUSES, case_type="complaint")),
    baseline_title="裸SQL（精确COUNT+首页）",
    repeat=20,
    target="≤ 5× 裸SQL",
)
def ledger_filtered(ctx, prepared):
    return _ledger(ctx, FILTERED)


def _naive_search(term):
    match = (
        Q(number__icontains=term) | Q(name__icontains=term) | Q(summary__icontains=term) | Q(content__icontains=term)
    )
    return _bare(_visible().filter(match))


@register(
    "search_2char",
    title="检索“理赔”（2字）",
    baseline=lambda ctx, p: _naive_search("理赔"),
    baseline_title="icontains 全表扫描",
    repeat=10,
    target="≤ 300 ms",
)
def search_2char(ctx, prepared):
    return _ledger(ctx, {"q": "理赔"})


@register(
    "search_4char",
    title="检索“理赔拖延”（4字）",
    baseline=lambda ctx, p: _naive_search("理赔拖延"),
    baseline_title="icontains 全表扫描",
    repeat=10,
    target="≤ 300 ms",
)
def search_4char(ctx, prepared):
    return _ledger(ctx, {"q": "理赔拖延"})


@register(
    "search_rare",
    title="检索“征信异议”（不常见的词）",
    baseline=lambda ctx, p: _naive_search("征信异议"),
    baseline_title="icontains 全表扫描",
    repeat=10,
    target="≤ 300 ms",
)
def search_rare(ctx, prepared):
    return _ledger(ctx, {"q": "征信异议"})


@register(
    "search_common_absent",
    title="检索“保险理赔”（各二元组都常见、整词没有）",
    baseline=lambda ctx, p: _naive_search("保险理赔"),
    baseline_title="icontains 全表扫描",
    repeat=10,
    target="≤ 300 ms",
)
def search_common_absent(ctx, prepared):
    return _ledger(ctx, {"q": "保险理赔"})


@register("search_number", title="检索完整案件编号", repeat=10, target="≤ 300 ms")
def search_number(ctx, prepared):
    return _ledger(ctx, {"q": "TS-2025-000123"})


def _detail_setup(ctx):
    return _visible().exclude(status="closed").values_list("pk", flat=True).first()


@register(
    "case_detail",
    title="案件详情页",
    setup=_detail_setup,
    baseline=lambda ctx, pk: list(Case.objects.filter(pk=pk).values()),
    baseline_title="按主键取一行",
    repeat=20,
)
def case_detail(ctx, pk):
    try:
        url = reverse("complaints:case_detail", args=[pk])
    except NoReverseMatch:
        return "案件详情页尚未提供，跳过"
    response = ctx.client(CLERK).get(url)
    assert response.status_code == 200, response.status_code  # nosec B101 # bench self-check, never run with -O
    return None


def _export_setup(ctx):
    """The first N rows of the ledger, and the same rows as plain lists for the baseline."""
    from complaints.exporters import LedgerExporter
    from complaints.services.ledger_export import days_left_for

    rows = ctx.options.get("export_rows", 100_000)
    ids = list(_visible().values_list("pk", flat=True)[:rows])
    queryset = (
        Case.objects.filter(pk__in=ids).order_by("-received_at", "-id") if len(ids) < 30_000 else _visible()[:rows]
    )
    exporter = LedgerExporter(queryset, days_left=days_left_for(timezone.localdate()))
    # Excel has no time zones: the plain rows carry local wall-clock times, as the exporter writes them.
    plain = [
        [timezone.localtime(v).replace(tzinfo=None) if hasattr(v, "tzinfo") and v.tzinfo else v for v in row]
        for row in exporter.rows()
    ]
    return {"queryset": queryset, "plain": plain, "columns": exporter.columns}


def _export_baseline(ctx, prepared):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append([column.title for column in prepared["columns"]])
    for row in iter(prepared["plain"]):
        sheet.append(row)
    with tempfile.TemporaryFile() as target:
        workbook.save(target)


@register(
    "export_xlsx",
    title="台账导出Excel（行数见 --export-rows，默认10万）",
    setup=_export_setup,
    baseline=_export_baseline,
    baseline_title="openpyxl 只写模式写同样的行（无Django）",
    repeat=3,
    target="≤ 1.2× 基线，≤ 150 MB",
    job=True,
)
def export_xlsx(ctx, prepared):
    from complaints.services.ledger_export import write_ledger

    with tempfile.TemporaryFile() as target:
        rows = write_ledger(target, prepared["queryset"], file_format="xlsx", today=timezone.localdate())
    return f"{rows:,} 行"


@register("export_csv", title="台账导出CSV（行数见 --export-rows，默认10万）", setup=_export_setup, repeat=3, job=True)
def export_csv(ctx, prepared):
    from complaints.services.ledger_export import write_ledger

    rows = write_ledger(io.StringIO(), prepared["queryset"], file_format="csv", today=timezone.localdate())
    return f"{rows:,} 行"
