from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import visible_org_q, visible_orgs
from core.charts import bar_chart
from core.exporters import xlsx_response
from core.models import OrgUnit
from core.roles import Role, has_role

from ..forms import ImportForm, PeriodForm
from ..periods import Period, parse_quarter, previous_quarter, quarter_code, quarter_of, quarter_period
from ..selectors import complaint_figures, sort_figures
from ..services.importer import ImportRejected, institutions_import, template_workbook
from .access import visible_institutions


@login_required
@permission_required("institutions.add_institution", raise_exception=True)
def import_institutions(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = institutions_import(actor=request.user, upload=form.cleaned_data["file"])
        except ImportRejected as exc:
            problems = exc.problems
            messages.error(request, exc.messages[0])
        except PermissionDenied as exc:
            raise exc
        else:
            messages.success(
                request, _("导入完成：新增 %(c)s 家，更新 %(u)s 家。") % {"c": result.created, "u": result.updated}
            )
    return render(request, "institutions/import.html", {"form": form, "problems": problems, "result": result})


@login_required
@permission_required("institutions.add_institution", raise_exception=True)
def import_template(request):
    return xlsx_response(template_workbook(), _("金融机构导入模板.xlsx"))


def _period_from(form: PeriodForm) -> Period:
    today = timezone.localdate()
    default = quarter_period(*quarter_of(today))
    if not form.is_valid():
        return default
    if form.cleaned_data.get("quarter"):
        try:
            return quarter_period(*parse_quarter(form.cleaned_data["quarter"]))
        except ValidationError as exc:
            form.add_error("quarter", exc.messages[0])
            return default
    if form.cleaned_data.get("start"):
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        return Period(start, end, f"{start:%Y-%m-%d}～{end:%Y-%m-%d}")
    return default


def _quarter_choices(period: Period, count: int = 8) -> tuple[list[tuple[str, str]], str]:
    """The selector's quarters, newest first from the current one, and the one the page shows ("" for a period that
    is not a whole quarter), so that the selector always agrees with the title."""
    year, quarter = quarter_of(period.start)
    shown = quarter_code(year, quarter) if period == quarter_period(year, quarter) else ""
    year, quarter = quarter_of(timezone.localdate())
    quarters = []
    for _n in range(count):
        quarters.append((quarter_code(year, quarter), quarter_period(year, quarter).label))
        year, quarter = previous_quarter(year, quarter)
    if shown and shown not in dict(quarters):
        quarters.append((shown, period.label))
    return quarters, shown


@login_required
def ranking(request):
    """Complaint ranking per institution for a quarter or any period; each figure links to the ledger."""
    allowed = (Role.CLERK, Role.SUPERVISOR, Role.REVIEWER, Role.ADMINISTRATOR)
    if not request.user.is_superuser and not has_role(request.user, *allowed):
        raise PermissionDenied(_("没有查看机构投诉排名的权限。"))
    form = PeriodForm(request.GET or None)
    period = _period_from(form)
    orgs = visible_orgs(request.user).filter(level=OrgUnit.Level.SUB_BUREAU)
    institutions = visible_institutions(request.user).filter(is_active=True)
    org_code = request.GET.get("org", "")
    if org_code:
        institutions = institutions.filter(org__code=org_code)
    figures = complaint_figures(institutions, period, case_scope=Q(visible_org_q(request.user)))
    figures, sort = sort_figures(figures, request.GET.get("sort", "-complaints"))
    top = figures[:15]
    chart = bar_chart(
        [f.name for f in top],
        {_("本期投诉"): [f.complaints for f in top], _("上期投诉"): [f.previous for f in top]},
        title=_("投诉量排名（前15）"),
        width=760,
        horizontal=True,
    )
    quarters, selected_quarter = _quarter_choices(period)
    params = request.GET.copy()
    params.pop("sort", None)
    context = {
        "form": form,
        "period": period,
        "previous": period.previous(),
        "figures": figures,
        "sort": sort,
        "chart": chart,
        "orgs": orgs,
        "org_code": org_code,
        "quarters": quarters,
        "selected_quarter": selected_quarter,
        "query": params.urlencode(),
        "totals": {
            "complaints": sum(f.complaints for f in figures),
            "previous": sum(f.previous for f in figures),
            "late_forwards": sum(f.late_forwards for f in figures),
            "repeat": sum(f.repeat for f in figures),
            "substantiated": sum(f.substantiated for f in figures),
        },
    }
    return render(request, "institutions/ranking.html", context)
