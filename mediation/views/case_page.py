"""The mediation case page and its actions: one view for every action, the form and the service call looked up by
the action's key in `ACTIONS`.

Which keys the page offers, and their words, come from the table in mediation/transitions.py; the same style as
the complaints case page (docs/architecture.md, "The action view").
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.personal import mask_address, mask_id, mask_phone
from core.service_errors import show_error
from core.services.audit import log_action
from core.services.deadlines import deadline_state
from mediation import forms, services
from mediation.access import can_write_office, get_case_for_user, is_case_mediator
from mediation.models import Offer
from mediation.services.common import open_deadlines
from mediation.transitions import action_label, offered_actions


def _outcome(u, c, d):
    disputed = d.pop("disputed_points", "")
    return services.mediation_record_outcome(actor=u, case=c, disputed_points=disputed or None, **d)


def _agent(u, c, d):
    return services.agent_add(
        actor=u,
        case=c,
        side=d["side"],
        name=d["name"],
        phone=d["phone"],
        authority=d["authority"],
        upload=d["document"],
    )


# key → (form, style, call(user, case, data)); which keys the page offers, and their labels, come from the
# transition table (mediation/transitions.py).
ACTIONS = {
    "consent": (forms.ConsentForm, "primary",
                lambda u, c, d: services.mediation_record_consent(actor=u, case=c, **d)),
    "assign": (forms.AssignForm, "primary",
               lambda u, c, d: services.mediation_assign(actor=u, case=c, **d)),
    "recusal": (forms.OfficeRecusalForm, "secondary",
                lambda u, c, d: services.mediation_declare_recusal(actor=u, case=c, **d)),
    "extend": (forms.ExtendForm, "warning",
               lambda u, c, d: services.mediation_extend(actor=u, case=c, **d)),
    "agent": (forms.AgentForm, "secondary", _agent),
    "session": (forms.SessionForm, "primary",
                lambda u, c, d: services.session_record(actor=u, case=c, **d)),
    "offer": (forms.OfferForm, "primary",
              lambda u, c, d: services.offer_record(actor=u, **d)),
    "private_note": (forms.PrivateNoteForm, "secondary",
                     lambda u, c, d: services.private_note_add(actor=u, **d)),
    "outcome": (forms.OutcomeForm, "success", _outcome),
    "confirmation": (forms.ConfirmationForm, "primary",
                     lambda u, c, d: services.mediation_record_confirmation(
                         actor=u, case=c, applied_on=d["applied_on"], court=d["court"],
                         case_number=d["case_number"], ruling=d["ruling"], ruled_on=d["ruled_on"])),
    "waive_confirmation": (forms.WaiveConfirmationForm, "secondary",
                           lambda u, c, d: services.mediation_waive_confirmation(actor=u, case=c, **d)),
    "return_to_court": (forms.ReturnToCourtForm, "warning",
                        lambda u, c, d: services.mediation_return_to_court(actor=u, case=c, **d)),
    "payment": (forms.PaymentForm, "success",
                lambda u, c, d: services.payment_record(actor=u, case=c, **d)),
}  # fmt: skip


@login_required
@require_POST
def case_action(request, pk, action):
    """Parse the action's form, make its one service call, say what happened and go back to the case page.

    A form that does not validate is shown again on the case page, filled in, with its errors (400); a service's
    refusal becomes error messages and changes nothing.
    """
    case = get_case_for_user(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, _style, call = ACTIONS[action]
    form = form_class(request.POST, request.FILES, case=case, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        return detail(request, pk, failed=(action, form), case=case)
    try:
        call(request.user, case, dict(form.cleaned_data))
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("%(action)s：已完成。") % {"action": action_label(action)})
    return redirect("mediation:detail", pk=case.pk)


# --- The case page ---------------------------------------------------------------------------------


def _deadline_rows(case, today):
    rows = []
    for deadline in open_deadlines(case):
        state = deadline_state(
            deadline.due_on, today, paused=bool(deadline.paused_since), provisional=deadline.is_provisional
        )
        rows.append((deadline, state))
    return rows


def _actions(case, user, sessions, failed):
    """The cards the page offers this user now (rows of the transition table), each session's own forms, and whether
    the failed form (if any) found its place on the page."""
    cards, per_session, placed = [], {session.pk: [] for session in sessions}, False
    for row in offered_actions(case, user):
        form_class, style, _call = ACTIONS[row.action]
        if not row.per_session:
            is_failed = bool(failed and failed[0] == row.action)
            placed = placed or is_failed
            form = failed[1] if is_failed else form_class(case=case, auto_id=f"id_{row.action}_%s")
            cards.append({"key": row.action, "label": row.label, "form": form, "style": style, "open": is_failed})
            continue
        for session in sessions:
            prefix = f"id_{row.action}_{session.pk}_%s"
            failed_here = failed and failed[0] == row.action and failed[1].data.get("session") == str(session.pk)
            placed = placed or bool(failed_here)
            form = failed[1] if failed_here else form_class(case=case, auto_id=prefix, initial={"session": session})
            per_session[session.pk].append(
                {"key": row.action, "label": row.label, "form": form, "style": style, "open": bool(failed_here)}
            )
    return cards, per_session, placed


def _errors_as_messages(request, form) -> None:
    """A failed form the page does not offer (no longer, or not to this user): its errors as messages."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields and name != "session" else ""
        text = " ".join(errors)
        messages.error(request, f"{label}：{text}" if label else text)


@login_required
def detail(request, pk, *, failed=None, case=None):
    user = request.user
    case = case or get_case_for_user(request, pk)
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
    sessions = list(sessions)
    actions, session_actions, placed = _actions(case, user, sessions, failed)
    if failed and not placed:
        _errors_as_messages(request, failed[1])
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
        "deadlines": _deadline_rows(case, today),
        "sessions": [(session, session_actions[session.pk]) for session in sessions],
        "agents": list(case.agents.all()),
        "extensions": list(case.extensions.all()),
        "payments": list(case.payments.all()),
        "actions": actions,
    }
    return render(request, "mediation/detail.html", context, status=400 if failed else 200)
