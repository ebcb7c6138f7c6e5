"""Statistics report measurements for `python manage.py bench` (docs/performance.md).

Targets from issue 17: drafting one office's quarterly figures and the branch's roll-up on the 1,000,000-case
database each ≤ 2 s, with a query count that does not depend on the data (pinned in tests/statistics/).
The quarter measured is the last complete one before today.
"""

from __future__ import annotations

from laizhou_xiaobao.bench import register


def _last_quarter(ctx):
    from django.utils import timezone

    from core.models import OrgUnit
    from laizhou_xiaobao.statistics.models import period_bounds

    today = timezone.localdate()
    quarter = (today.month - 1) // 3
    year, quarter = (today.year, quarter) if quarter else (today.year - 1, 4)
    orgs = {org.code: org for org in OrgUnit.objects.filter(code__in=("laizhou", "yantai"))}
    return orgs, year, quarter, period_bounds(year, quarter)


@register(
    "statistics_draft_office",
    title="信访投诉统计：起草一个支局上季度的全部数字",
    repeat=3,
    target="≤ 2 s，查询数固定",
    setup=_last_quarter,
    limit_ms=2000,
)
def statistics_draft_office(ctx, prepared):
    from laizhou_xiaobao.statistics.figures import report_tables

    orgs, _year, _quarter, (start, end) = prepared
    figures = report_tables(orgs["laizhou"], start, end)
    return f"{figures['headline']['received']} 件"


@register(
    "statistics_branch_rollup",
    title="信访投诉统计：分局上季度的横向对比与汇总",
    repeat=3,
    target="≤ 2 s，查询数固定",
    setup=_last_quarter,
    limit_ms=2000,
)
def statistics_branch_rollup(ctx, prepared):
    from laizhou_xiaobao.statistics.views_branch import branch_overview

    orgs, year, quarter, _period = prepared
    overview = branch_overview(orgs["yantai"], year, quarter)
    return f"{len(overview.submissions)} 个支局，{len(overview.lines)} 行"
