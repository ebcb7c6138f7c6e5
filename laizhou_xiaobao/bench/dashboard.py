"""Dashboard and reminder measurements for `python manage.py bench` (see laizhou_xiaobao/bench).

Targets from issue 4 at 1,000,000 cases (150,000 open) on PostgreSQL: each deadline aggregate ≤ 50 ms,
the reminder job ≤ 2 s with a query count that does not grow with the data. Issue 18: the whole dashboard ≤ 30 ms;
its deadline groups read the per-day summary table and its case figures the per-month one, each timed beside the
direct aggregate it replaced.
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


def _case_figure(name: str):
    """A case figure of the dashboard for the supervisor's office (`name` or `name_direct`), as a bench function."""

    def run(ctx, prepared):
        from laizhou_xiaobao.dashboard import selectors

        return getattr(selectors, name)([prepared["org"].pk], timezone.localdate())

    return run


# Issue 18: the case figures read the per-month summary (complaints.CaseMonthCount); the direct aggregates over the
# cases, which the dashboard used before, are each one's baseline in the same run.
for _name, _title in (
    ("closure_rates", "看板：本季度、本年度按时办结率（读案件按月汇总表）"),
    ("intake_by_month", "看板：近12个月按渠道受理量（读案件按月汇总表）"),
    ("top_institutions", "看板：机构排名，本季度与上季度（读案件按月汇总表）"),
):
    register(
        f"dashboard_{_name}",
        title=_title,
        baseline=_case_figure(f"{_name}_direct"),
        baseline_title="直接聚合全部件",
        repeat=10,
        target="≤ 10 ms",
        setup=_horizon,
        limit_ms=10,
    )(_case_figure(_name))


@register("dashboard_page", title="督办看板整页（支局负责人）", repeat=10, target="≤ 30 ms", limit_ms=30)
def dashboard_page(ctx, prepared):
    response = ctx.client(SUPERVISOR).get(reverse("dashboard:board"))
    assert response.status_code == 200, response.status_code  # nosec B101 # bench self-check, never run with -O


@register(
    "dashboard_branch_page", title="督办看板整页（分局审阅，各支局并列）", repeat=10, target="≤ 30 ms", limit_ms=30
)
def dashboard_branch_page(ctx, prepared):
    response = ctx.client("yt_reviewer").get(reverse("dashboard:board"))
    assert response.status_code == 200, response.status_code  # nosec B101 # bench self-check, never run with -O


@register("my_work_page", title="我的待办（首页）", repeat=10)
def my_work_page(ctx, prepared):
    response = ctx.client(CLERK).get(reverse("home"))
    assert response.status_code == 200, response.status_code  # nosec B101 # bench self-check, never run with -O


@register("reminder_job", title="每日期限提醒（试运行：汇总全部收件人）", repeat=5, target="≤ 2 s", job=True)
def reminder_job(ctx, prepared):
    from core.reminders import send_reminders

    # A dry run computes every digest (the same queries as a real run) without writing notifications,
    # so repeating it measures the same work each time.
    return send_reminders(timezone.localdate(), dry_run=True)
