from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import get_object_for_user, visible_orgs
from core.models import OrgUnit
from core.personal import mask_address, mask_id, mask_phone
from core.roles import Role, has_role
from core.service_errors import show_error
from core.services.audit import log_action
from core.services.deadlines import deadline_state
from institutions.models import Institution
from mediation import forms
from mediation.access import (
    can_write_office,
    cases_for_user,
    get_case_for_recusal,
    get_case_for_user,
    is_case_mediator,
    is_office_user,
)
from mediation.models import MediationCase, Mediator, Offer, PartnerOrganisation, Status
from mediation.selectors import workstation_list
from mediation.services import mediation_declare_recusal, mediation_refer_from_case, mediation_register
from mediation.services.common import open_deadlines


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


def _deadline_rows(case, today):
    rows = []
    for deadline in open_deadlines(case):
        state = deadline_state(
            deadline.due_on, today, paused=bool(deadline.paused_since), provisional=deadline.is_provisional
        )
        rows.append((deadline, state))
    return rows


@login_required
def detail(request, pk):
    user = request.user
    case = get_case_for_user(request, pk)
    today = timezone.localdate()
    mediator_view = is_case_mediator(user, case)
    office_writer = can_write_office(user, case)
    revealed = False
    if request.method == "POST" and "reveal" in request.POST and (office_writer or mediator_view):
        revealed = True
        log_action(actor=user, action="mediation.case.personal_revealed", target=case)
    sessions = case.sessions.prefetch_related(Prefetch("offers", queryset=Offer.objects.order_by("created_at", "id")))
    if mediator_view:
        sessions = sessions.prefetch_related("private_notes")
    can_act = mediator_view or office_writer
    context = {
        "case": case,
        "today": today,
        "revealed": revealed,
        "masked": [
            value
            for value in (
                mask_id(case.applicant_id_number),
                mask_phone(case.applicant_phone),
                mask_address(case.applicant_address),
            )
            if value
        ],
        "can_reveal": office_writer or mediator_view,
        "office_writer": office_writer,
        "mediator_view": mediator_view,
        "can_act": can_act,
        "deadlines": _deadline_rows(case, today),
        "sessions": list(sessions),
        "agents": list(case.agents.all()),
        "extensions": list(case.extensions.all()),
        "payments": list(case.payments.all()),
        "forms": _action_forms(case, user, office_writer, can_act),
    }
    return render(request, "mediation/detail.html", context)


def _action_forms(case, user, office_writer, can_act):
    """The forms the page offers this user in this state (the services check again on submit)."""
    available = {}
    if case.is_open and office_writer:
        if case.status == Status.APPLIED:
            available["consent"] = forms.ConsentForm(initial={"consent_on": timezone.localdate()})
        if case.status in (Status.ACCEPTED, Status.ASSIGNED):
            mediators = Mediator.objects.active().filter(partner__org=case.org).select_related("partner")
            available["assign"] = forms.AssignForm(mediators=mediators)
        if case.status == Status.ASSIGNED and case.mediator and case.mediator.user_id is None:
            available["recusal"] = forms.RecusalForm()
        if case.due_on:
            available["extend"] = forms.ExtendForm()
    if office_writer and (case.is_open or case.has_agreement):
        available["agent"] = forms.AgentForm()
    if case.is_open and can_act:
        if case.status == Status.MEDIATING:
            available["session"] = forms.SessionForm(
                initial={"held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
            )
            available["offer"] = forms.OfferForm()
            available["private_note"] = forms.PrivateNoteForm()
        available["outcome"] = forms.OutcomeForm(case=case)
    if case.has_agreement and office_writer and not case.confirmation_ruled_on:
        available["confirmation"] = forms.ConfirmationForm(
            initial={
                "applied_on": case.confirmation_applied_on,
                "court": case.confirmation_court or "莱州市人民法院",
                "case_number": case.confirmation_case_number,
            }
        )
    if case.has_agreement and can_act:
        available["payment"] = forms.PaymentForm(initial={"paid_on": timezone.localdate()})
    return available
