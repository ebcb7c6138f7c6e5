"""Read-side queries of the dashboard, my-work and reminders.

Every figure is one aggregating query over core.Deadline (or complaints.Case), grouped by the office so
that a branch reviewer's side-by-side view costs the same number of queries as one office. Counts use a
conditional Count over `due_on`, the column of the partial index on open deadlines, so PostgreSQL can
answer from the index instead of the table. The dashboard's deadline buckets read the summary table
core.DeadlineDayCount instead (a sum over a few hundred rows per office; docs/architecture.md「看板汇总表」).
"""

from .buckets import (
    BUCKET_LABELS,
    BUCKETS,
    ITEM_KIND_LABELS,
    TASK_KIND,
    Counts,
    Horizon,
    OfficeFigures,
    Row,
    acting_for,
    bucket_aggregates,
    can_see_dashboard,
    dashboard_orgs,
    deadline_figures,
    deadline_groups,
    deadline_groups_direct,
    item_kind_label,
    make_horizon,
    soon_working_days,
)
from .mywork import MY_WORK_LIMIT, ROLE_LABELS, WorkItem, absent_today_ids, my_work
from .statistics import (
    closure_rates,
    closure_rates_direct,
    intake_by_month,
    intake_by_month_direct,
    last_twelve_months,
    major_cases,
    previous_quarter_start,
    quarter_start,
    top_institutions,
    top_institutions_direct,
)

__all__ = [
    "major_cases",
    "BUCKETS",
    "BUCKET_LABELS",
    "ITEM_KIND_LABELS",
    "MY_WORK_LIMIT",
    "ROLE_LABELS",
    "TASK_KIND",
    "Counts",
    "Horizon",
    "OfficeFigures",
    "Row",
    "WorkItem",
    "absent_today_ids",
    "acting_for",
    "bucket_aggregates",
    "can_see_dashboard",
    "closure_rates",
    "closure_rates_direct",
    "dashboard_orgs",
    "deadline_figures",
    "deadline_groups",
    "deadline_groups_direct",
    "intake_by_month",
    "intake_by_month_direct",
    "item_kind_label",
    "last_twelve_months",
    "make_horizon",
    "my_work",
    "previous_quarter_start",
    "quarter_start",
    "soon_working_days",
    "top_institutions",
    "top_institutions_direct",
]
