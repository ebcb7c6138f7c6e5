"""Short action views: validate the form, call one service, say what happened, go back to the case page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.service_errors import show_error
from mediation import forms, services
from mediation.access import get_case_for_user
from mediation.models import Mediator


def _run(request, case, form, call, success: str):
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
        return redirect("mediation:detail", pk=case.pk)
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, success)
    return redirect("mediation:detail", pk=case.pk)


@login_required
@require_POST
def record_consent(request, pk):
    case = get_case_for_user(request, pk)
    return _run(
        request,
        case,
        forms.ConsentForm(request.POST),
        lambda data: services.mediation_record_consent(actor=request.user, case=case, **data),
        _("已登记当事人同意调解。"),
    )


@login_required
@require_POST
def assign(request, pk):
    case = get_case_for_user(request, pk)
    mediators = Mediator.objects.active().filter(partner__org=case.org)
    return _run(
        request,
        case,
        forms.AssignForm(request.POST, mediators=mediators),
        lambda data: services.mediation_assign(actor=request.user, case=case, **data),
        _("已指派调解员，调解员作出回避声明后方可查阅案卷。"),
    )


@login_required
@require_POST
def recusal_office(request, pk):
    """The office records the signed declaration of a mediator who has no account."""
    case = get_case_for_user(request, pk)
    return _run(
        request,
        case,
        forms.RecusalForm(request.POST),
        lambda data: services.mediation_declare_recusal(actor=request.user, case=case, **data),
        _("已登记调解员的回避声明。"),
    )


@login_required
@require_POST
def extend(request, pk):
    case = get_case_for_user(request, pk)
    return _run(
        request,
        case,
        forms.ExtendForm(request.POST),
        lambda data: services.mediation_extend(actor=request.user, case=case, **data),
        _("已经双方同意延长调解期限。"),
    )


@login_required
@require_POST
def add_agent(request, pk):
    case = get_case_for_user(request, pk)
    form = forms.AgentForm(request.POST, request.FILES)
    return _run(
        request,
        case,
        form,
        lambda data: services.agent_add(
            actor=request.user,
            case=case,
            side=data["side"],
            name=data["name"],
            phone=data["phone"],
            authority=data["authority"],
            upload=data["document"],
        ),
        _("已登记代理人及授权委托书。"),
    )


@login_required
@require_POST
def record_session(request, pk):
    case = get_case_for_user(request, pk)
    return _run(
        request,
        case,
        forms.SessionForm(request.POST),
        lambda data: services.session_record(actor=request.user, case=case, **data),
        _("已登记调解记录。"),
    )


@login_required
@require_POST
def record_offer(request, pk, session_pk):
    case = get_case_for_user(request, pk)
    session = get_object_or_404(case.sessions, pk=session_pk)
    return _run(
        request,
        case,
        forms.OfferForm(request.POST),
        lambda data: services.offer_record(actor=request.user, session=session, **data),
        _("已登记调解方案。"),
    )


@login_required
@require_POST
def record_private_note(request, pk, session_pk):
    case = get_case_for_user(request, pk)
    session = get_object_or_404(case.sessions, pk=session_pk)
    return _run(
        request,
        case,
        forms.PrivateNoteForm(request.POST),
        lambda data: services.private_note_add(actor=request.user, session=session, **data),
        _("已保存背靠背记录（仅调解员可见）。"),
    )


@login_required
@require_POST
def record_outcome(request, pk):
    case = get_case_for_user(request, pk)

    def call(data):
        disputed = data.pop("disputed_points", "")
        services.mediation_record_outcome(actor=request.user, case=case, disputed_points=disputed or None, **data)

    return _run(request, case, forms.OutcomeForm(request.POST, case=case), call, _("已登记调解结果。"))


@login_required
@require_POST
def record_confirmation(request, pk):
    case = get_case_for_user(request, pk)
    return _run(
        request,
        case,
        forms.ConfirmationForm(request.POST),
        lambda data: services.mediation_record_confirmation(actor=request.user, case=case, **data),
        _("已登记司法确认情况。"),
    )


@login_required
@require_POST
def waive_confirmation(request, pk):
    case = get_case_for_user(request, pk)
    try:
        services.mediation_waive_confirmation(actor=request.user, case=case, reason=_("当事人不申请司法确认"))
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("已登记当事人不申请司法确认。"))
    return redirect("mediation:detail", pk=case.pk)


@login_required
@require_POST
def record_payment(request, pk):
    case = get_case_for_user(request, pk)
    return _run(
        request,
        case,
        forms.PaymentForm(request.POST),
        lambda data: services.payment_record(actor=request.user, case=case, **data),
        _("已登记履行情况。"),
    )
