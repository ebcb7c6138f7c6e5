from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.charts import bar_chart
from core.exporters import period_figures_response
from mediation.access import cases_for_user, is_office_user
from mediation.exporters import figures_exporters
from mediation.forms import PeriodForm
from mediation.models import Outcome, Source
from mediation.selectors import cases_in_period, mediation_figures

# Short enough for the chart's axis; the table beside it carries the full names.
SHORT_SOURCE_LABELS = {
    Source.REFERRED: _lazy("支局转调"),
    Source.DIRECT: _lazy("直接申请"),
    Source.COURT_BEFORE_FILING: _lazy("诉前委派"),
    Source.COURT_AFTER_FILING: _lazy("诉中委托"),
}


def _period_and_cases(request):
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    return form, start, end, cases_for_user(request.user)


@login_required
def figures(request):
    if not (is_office_user(request.user) or cases_for_user(request.user).exists()):
        raise Http404
    form, start, end, cases = _period_and_cases(request)
    result = mediation_figures(cases, start, end)
    chart = bar_chart(
        [str(SHORT_SOURCE_LABELS[b.key]) for b in result.by_source],
        {
            _("达成协议"): [b.agreements for b in result.by_source],
            _("未达成"): [b.concluded - b.agreements for b in result.by_source],
            _("进行中"): [b.open for b in result.by_source],
        },
        title=_("按来源的调解结果"),
    )
    partner_chart = bar_chart(
        [b.label for b in result.by_partner],
        {
            _("请求金额"): [float(b.claimed) for b in result.by_partner],
            _("实际履行金额"): [float(b.recovered) for b in result.by_partner],
        },
        title=_("按合作单位的金额（元）"),
        horizontal=True,
    )
    return render(
        request,
        "mediation/figures.html",
        {
            "form": form,
            "figures": result,
            "chart": chart,
            "partner_chart": partner_chart,
            "outcomes": Outcome,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def figures_export(request):
    if not is_office_user(request.user):
        raise Http404
    _form, start, end, cases = _period_and_cases(request)
    result = mediation_figures(cases, start, end)
    return period_figures_response(
        actor=request.user,
        exporters=figures_exporters(result, cases_in_period(cases, start, end)),
        title=_("“莱和州安”金融纠纷调解工作站调解统计"),
        name=_("调解统计"),
        start=start,
        end=end,
        action="mediation.figures.exported",
    )
