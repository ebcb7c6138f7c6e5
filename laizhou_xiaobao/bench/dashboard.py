"""Dashboard and reminder measurements for `python manage.py bench` (see laizhou_xiaobao/bench).

Targets from issue 4 at 1,000,000 cases (150,000 open) on PostgreSQL: each deadline aggregate ≤ 50 ms,
the whole dashboard ≤ 300 ms, the reminder job ≤ 2 s with a query count that does not grow with the data.
Issue 18: the dashboard's deadline groups read the per-day summary table; both paths are timed side by side.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from laizhou_xiaobao.bench import register

SUPERVISOR = "lz_supervisor"
CLERK = "lz_clerk_a"


def _org():
    from core.models import User

    return User.objects.select_related("org").get(username=SUPERVISOR).org


def _horizon(ctx):
    from laizhou_xiaobao.dashboard.selectors import make_horizon

    return {"org": _org(), "horizon": make_horizon(timezone.localdate())}


@register("dashboard_totals", title="看板：本支局期限分档合计（单条聚合）", repeat=20, target="≤ 50 ms", setup=_horizon)
def dashboard_totals(ctx, prepared):
    from core.models import Deadline
    from laizhou_xiaobao.dashboard.selectors import bucket_aggregates

    return (
        Deadline.objects.open()
        .filter(org_id=prepared["org"].pk)
        .order_by()
        .aggregate(**bucket_aggregates(prepared["horizon"]))
    )


@register(
    "dashboard_deadline_groups",
    title="看板：在办期限按A/B岗、机构、类型分组分档（直接聚合全部在办期限）",
    repeat=20,
    target="≤ 50 ms",
    setup=_horizon,
)
def dashboard_deadline_groups(ctx, prepared):
    """The direct aggregate over every open deadline: the path before the summary table, kept as its reference."""
    from laizhou_xiaobao.dashboard.selectors import deadline_groups_direct

    return deadline_groups_direct([prepared["org"].pk], prepared["horizon"])


@register(
    "dashboard_deadline_groups_summary",
    title="看板：同上，读在办期限按日汇总表（看板现用）",
    repeat=20,
    setup=_horizon,
)
def dashboard_deadline_groups_summary(ctx, prepared):
    from laizhou_xiaobao.dashboard.selectors import deadline_groups

    return deadline_groups([prepared["org"].pk], prepared["horizon"])


@register(
    "dashboard_closure_rates", title="看板：本季度、本年度按时办结率", repeat=10, target="≤ 50 ms", setup=_horizon
)
def dashboard_closure_rates(ctx, prepared):
    from laizhou_xiaobao.dashboard.selectors import closure_rates

    return closure_rates([prepared["org"].pk], timezone.localdate())


@register("dashboard_intake", title="看板：近12个月按渠道受理量", repeat=10, setup=_horizon)
def dashboard_intake(ctx, prepared):
    from laizhou_xiaobao.dashboard.selectors import intake_by_month

    return intake_by_month([prepared["org"].pk], timezone.localdate())


@register("dashboard_top_institutions", title="看板：机构排名（本季度与上季度）", repeat=10, setup=_horizon)
def dashboard_top_institutions(ctx, prepared):
    from laizhou_xiaobao.dashboard.selectors import top_institutions

    return top_institutions([prepared["org"].pk], timezone.localdate())


@register("dashboard_page", title="督办看板整页（支局负责人）", repeat=10, target="≤ 300 ms")
def dashboard_page(ctx, prepared):
    response = ctx.client(SUPERVISOR).get(reverse("dashboard:board"))
    assert response.status_code == 200, response.status_code  # nosec B101 # bench self-check, never run with -O


@register("dashboard_branch_page", title="督办看板整页（分局审阅，各支局并列）", repeat=10, target="≤ 300 ms")
def dashboard_branch_page(ctx, prepared):
    response = ctx.client("yt_reviewer").get(reverse("dashboard:board"))
    assert response.status_code == 200, response.status_code  # nosec B101 # bench self-check, never run with -O


@register("my_work_page", title="我的待办（首页）", repeat=10)
def my_work_page(ctx, prepared):
    response = ctx.client(CLERK).get(reverse("home"))
    assert response.status_code == 200, response.status_code  # nosec B101 # bench self-check, never run with -O


@register("reminder_job", title="每日期限提醒（试运行：汇总全部收件人）", repeat=5, target="≤ 2 s")
def reminder_job(ctx, prepared):
    from core.reminders import send_reminders

    # A dry run computes every digest (the same queries as a real run) without writing notifications,
    # so repeating it measures the same work each time.
    return send_reminders(timezone.localdate(), dry_run=True)
