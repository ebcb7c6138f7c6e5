"""The pages the HTTP phase of `bench` loads (docs/performance.md「HTTP 压测」) and each one's target.

Issue 18's pages all carry the same target: ≥ 100 requests/s and p99 ≤ 150 ms with gunicorn 2 sync workers and
wrk 8 connections at 1,000,000 cases, or, where the database work alone rules that out, within 1.5× of the page's
bare SQL (floor.py). Each path is worked out once, against the database, before the server starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.management.base import CommandError
from django.db.models import Count
from django.urls import reverse

CLERK = "lz_clerk_a"
SUPERVISOR = "lz_supervisor"
REVIEWER = "yt_reviewer"
PAGE_TARGET = {"min_rps": 100, "max_p99_ms": 150}


@dataclass
class HttpTarget:
    name: str
    title: str
    user: str | None  # a demo account, or None for an anonymous request
    path: Callable[[], str]  # called once, against the database, before the server starts
    min_rps: float | None = None
    max_p99_ms: float | None = None
    # Or, where the database work alone rules the rate out, in-process within 1.5× of its bare SQL (floor.py).
    floor: bool = False

    @property
    def target(self) -> str:
        parts = []
        if self.min_rps is not None:
            parts.append(f"≥ {self.min_rps:g} 次/秒")
        if self.max_p99_ms is not None:
            parts.append(f"p99 ≤ {self.max_p99_ms:g} ms")
        text = "，".join(parts)
        return f"{text}；或进程内 ≤ 1.5× 裸SQL" if self.floor else text


def _clerk():
    from core.models import User

    user = User.objects.filter(username=CLERK).only("pk", "org_id").first()
    if user is None:
        raise CommandError(f"演示账号 {CLERK} 不存在：请先运行 seed_demo")
    return user


def _ledger(params: dict | None = None) -> str:
    url = reverse("complaints:index")
    return f"{url}?{urlencode(params)}" if params else url


def _case_detail() -> str:
    from complaints.models import Case

    visible = Case.objects.filter(org_id=_clerk().org_id).exclude(status="closed").order_by("-received_at", "-id")
    pk = visible.values_list("pk", flat=True).first()
    if pk is None:
        raise CommandError(f"{CLERK} 所在支局没有未办结的件，无法测量案件详情页：请先运行 seed_demo")
    return reverse("complaints:case_detail", args=[pk])


def _filtered() -> str:
    from laizhou_xiaobao.bench.complaints import FILTERED  # the same filter as the in-process measurement

    return _ledger(FILTERED)


def _one_handler() -> str:
    return _ledger({"handler": _clerk().pk})


def _one_institution() -> str:
    """The institution with the most cases in the clerk's office: the heaviest single-institution listing."""
    from complaints.models import Case

    busiest = (
        Case.objects.filter(org_id=_clerk().org_id, institution__isnull=False)
        .values("institution_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("institution_id", flat=True)
        .first()
    )
    if busiest is None:
        raise CommandError(f"{CLERK} 所在支局没有涉及机构的件：请先运行 seed_demo")
    return _ledger({"institution": busiest})


def _page(name: str, title: str, user: str | None, path: Callable[[], str]) -> HttpTarget:
    return HttpTarget(name, title, user, path, **PAGE_TARGET, floor=True)


HTTP_TARGETS: dict[str, HttpTarget] = {
    t.name: t
    for t in [
        HttpTarget("http_login_page", "基线：登录页（匿名，无查询）", None, lambda: reverse("login")),
        # Session, user, menus and notification badge with no page behind them: what every logged-in page pays.
        HttpTarget(
            "http_deadline_tool",
            "基线：期限计算器（已登录，空表单）",
            CLERK,
            lambda: reverse("core:deadline_calculator"),
        ),
        _page("http_ledger_first_page", "台账首页（50件）", CLERK, _ledger),
        _page("http_ledger_filtered", "台账筛选页（未办结的转办投诉）", CLERK, _filtered),
        _page("http_ledger_overdue", "台账筛选页（已超期）", CLERK, lambda: _ledger({"overdue": 1})),
        _page("http_ledger_handler", "台账筛选页（一位承办人）", CLERK, _one_handler),
        _page("http_ledger_institution", "台账筛选页（一家机构，件最多的）", CLERK, _one_institution),
        _page("http_search_2char", "检索“理赔”（2字）", CLERK, lambda: _ledger({"q": "理赔"})),
        _page("http_search_4char", "检索“理赔拖延”（4字）", CLERK, lambda: _ledger({"q": "理赔拖延"})),
        _page("http_case_detail", "案件详情页", CLERK, _case_detail),
        _page("http_dashboard", "督办看板整页（支局负责人）", SUPERVISOR, lambda: reverse("dashboard:board")),
        _page("http_dashboard_branch", "督办看板整页（分局审阅）", REVIEWER, lambda: reverse("dashboard:board")),
        _page("http_my_work", "我的待办（首页）", CLERK, lambda: reverse("home")),
        _page("http_contacts", "来访来电登记列表", CLERK, lambda: reverse("complaints:contact_list")),
    ]
}
