from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import bar_chart
from core.workcalendar import get_calendar

from .. import selectors


def _within(request) -> int:
    try:
        value = int(request.GET.get("within", ""))
    except ValueError:
        return selectors.soon_working_days()
    return min(max(value, 1), 20)


@login_required
def board(request):
    """督办看板: open-deadline buckets and case figures of the office (or each sub-bureau of a branch)."""
    if not selectors.can_see_dashboard(request.user):
        raise PermissionDenied(_("只有支局负责人、分局审阅人员和系统管理员可以查看督办看板。"))
    orgs = all_orgs = selectors.dashboard_orgs(request.user)
    if request.GET.get("org"):
        orgs = [org for org in all_orgs if str(org.pk) == request.GET["org"]]
        if not orgs:
            raise Http404
    today = timezone.localdate()
    context = {"today": today, "orgs": orgs, "offices": []}
    horizon = selectors.make_horizon(today, _within(request), get_calendar())
    org_ids = [org.pk for org in orgs]
    # A branch's board (even focused on one sub-bureau) links each office's numbers to that office's cases only.
    figures = selectors.deadline_figures(orgs, horizon, link_org=len(all_orgs) > 1)
    rates = selectors.closure_rates(org_ids, today)
    intake = selectors.intake_by_month(org_ids, today)
    top = selectors.top_institutions(org_ids, today)
    major_cases = selectors.major_cases(org_ids)
    offices = []
    for org in orgs:
        office_intake = intake[org.pk]
        office_top = top[org.pk]
        offices.append(
            {
                "org": org,
                "figures": figures[org.pk],
                "rates": rates[org.pk],
                "intake": office_intake,
                "intake_chart": bar_chart(
                    office_intake["months"],
                    office_intake["series"] or {_("受理"): [0] * 12},
                    title=_("近12个月受理量（按渠道）"),
                ),
                "top": office_top,
                "top_chart": bar_chart(
                    [row["name"] for row in office_top],
                    {
                        _("本季度"): [row["this_quarter"] for row in office_top],
                        _("上季度"): [row["last_quarter"] for row in office_top],
                    },
                    title=_("涉及机构排名（本季度与上季度）"),
                    horizontal=True,
                )
                if office_top
                else "",
            }
        )
    context.update(
        horizon=horizon,
        offices=offices,
        side_by_side=len(offices) > 1,
        major_cases=major_cases,
        quarter_start=selectors.quarter_start(today),
    )
    return render(request, "dashboard/board.html", context)
