from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import charts
from core.access import scope
from core.exporters import period_figures_response

from ..exporters import BreakdownExporter, CoverageExporter, EventExporter, ParticipationExporter
from ..forms import PeriodForm
from ..models import Event
from ..selectors import period_figures

VIEW = "outreach.view_event"


def _charts(figures):
    def bars(rows, key, title, horizontal=True):
        if not rows:
            return ""
        labels = [str(row[key]) for row in rows]
        return charts.bar_chart(
            labels,
            {
                _("活动次数"): [row["events"] for row in rows],
                _("覆盖人数（千人）"): [row["people"] / 1000 for row in rows],
            },
            title=title,
            horizontal=horizontal,
        )

    by_month = figures.by_month
    return {
        "month": charts.bar_chart(
            [f"{row['month']:%Y-%m}" for row in by_month],
            {_("活动次数"): [row["events"] for row in by_month]},
            title=_("各月宣传活动次数"),
        )
        if by_month
        else "",
        "campaign": bars(figures.by_campaign, "name", _("按活动类别")),
        "town": bars(figures.by_town, "town", _("按镇街")),
        "target_group": bars(figures.by_target_group, "name", _("按宣传对象")),
        "topic": bars(figures.by_topic, "name", _("按宣传主题")),
    }


@login_required
@permission_required(VIEW, raise_exception=True)
def figures(request):
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    data = period_figures(user=request.user, start=start, end=end)
    return render(
        request,
        "outreach/figures.html",
        {"form": form, "figures": data, "charts": _charts(data), "query": request.GET.urlencode()},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def figures_export(request):
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    data = period_figures(user=request.user, start=start, end=end)
    events = scope(Event.objects.all(), request.user).in_period(start, end)
    return period_figures_response(
        actor=request.user,
        exporters=[EventExporter(events), BreakdownExporter(data), CoverageExporter(data), ParticipationExporter(data)],
        title=_("金融教育宣传统计"),
        name=_("宣传教育统计"),
        start=start,
        end=end,
        action="outreach.figures.exported",
    )
