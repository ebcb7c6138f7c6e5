from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import get_object_for_user, visible_orgs
from core.models import OrgUnit
from core.roles import Role, has_role
from core.service_errors import show_error
from institutions.models import Institution
from mediation import forms
from mediation.access import (
    can_write_office,
    cases_for_user,
    get_case_for_recusal,
    is_office_user,
)
from mediation.models import MediationCase, Mediator, PartnerOrganisation, Status
from mediation.selectors import workstation_list
from mediation.services import mediation_declare_recusal, mediation_refer_from_case, mediation_register


def _office_mediators(user):
    return Mediator.objects.active().filter(partner__org__in=visible_orgs(user)).select_related("partner")


@login_required
def index(request):
    """The workstation: a mediator's own cases (and those waiting for their recusal declaration); the office's list."""
    user = request.user
    today = timezone.localdate()
    awaiting_declaration = []
    if has_role(user, Role.MEDIATOR):
        awaiting_declaration = list(
            MediationCase.objects.filter(
                mediator__user=user, recusal_declared_at__isnull=True, status=Status.ASSIGNED
            ).select_related("institution")
        )
    office = is_office_user(user)
    filter_form = forms.ListFilterForm(
        request.GET or None, mediators=_office_mediators(user) if office else Mediator.objects.none()
    )
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    cases = workstation_list(
        cases_for_user(user),
        status=filters.get("status", ""),
        source=filters.get("source", ""),
        mediator=filters["mediator"].pk if filters.get("mediator") else "",
        q=filters.get("q", ""),
        overdue=filters.get("overdue", False),
        today=today,
        outcome=filters.get("outcome", ""),
        received_from=filters.get("received_from"),
        received_to=filters.get("received_to"),
        org=OrgUnit.objects.filter(pk=filters["org"]).first() if filters.get("org") else None,
    )
    if request.GET.get("mine") == "1":
        cases = cases.filter(mediator__user=user)
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mediation/index.html",
        {
            "page": page,
            "filter_form": filter_form,
            "awaiting_declaration": awaiting_declaration,
            "is_office": office,
            "can_register": can_write_office(user),
            "today": today,
            "query": query.urlencode(),
            "mine": request.GET.get("mine") == "1",
        },
    )


@login_required
def register(request):
    if not can_write_office(request.user):
        raise PermissionDenied
    orgs = visible_orgs(request.user)
    form = forms.RegisterForm(
        request.POST or None,
        institutions=Institution.objects.active().filter(org__in=orgs),
        partners=PartnerOrganisation.objects.filter(org__in=orgs),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            case = mediation_register(actor=request.user, org=data["institution"].org, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("调解案件 %(n)s 已登记，请登记双方当事人同意调解。") % {"n": case.number})
            return redirect("mediation:detail", pk=case.pk)
    return render(request, "mediation/register.html", {"form": form})


@login_required
@require_POST
def refer_case(request, case_pk):
    """One click from the ledger case page: the complainant, the institution and the facts are carried over."""
    from complaints.models import Case

    # Refuse before looking the case up: a mediator must not learn which ledger case numbers exist.
    if not can_write_office(request.user):
        raise PermissionDenied
    case = get_object_for_user(Case.objects.select_related("institution", "org"), request.user, pk=case_pk)
    try:
        mediation = mediation_refer_from_case(actor=request.user, case=case)
    except ValidationError as exc:
        show_error(request, exc)
        return redirect(_case_page(case))
    messages.success(request, _("已转调解，调解案号 %(n)s。请登记双方当事人同意调解。") % {"n": mediation.number})
    return redirect("mediation:detail", pk=mediation.pk)


def _case_page(case) -> str:
    # The ledger's case page belongs to the complaints app; fall back to the ledger while it is not routed.
    try:
        return reverse("complaints:case_detail", kwargs={"pk": case.pk})
    except NoReverseMatch:
        return reverse("complaints:index")


@login_required
def recusal(request, pk):
    """The assigned mediator sees the parties (to judge any conflict) and declares; the file opens afterwards."""
    case = get_case_for_recusal(request, pk)
    form = forms.RecusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mediation_declare_recusal(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.info(request, _("已申请回避，工作站将另行指派调解员。"))
                return redirect("mediation:index")
            messages.success(request, _("已声明无回避情形并签收材料，可以开展调解。"))
            return redirect("mediation:detail", pk=case.pk)
    return render(request, "mediation/recusal.html", {"case": case, "form": form})
