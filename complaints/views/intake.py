"""Fast intake (来访登记, 来电登记, letters, online, sent-down, 12378) and the repeat look-up behind it."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.personal import ID_BIRTH_MESSAGE, ID_CHECK_MESSAGE, ID_FORMAT_MESSAGE, PHONE_MESSAGE, mask_free_text
from core.roles import can_register
from core.service_errors import form_errors

from ..forms import IntakeForm, RepeatQueryForm
from ..ledger_columns import petitioner_label
from ..models import Case, Contact
from ..models.choices import CaseType, Channel
from ..services import can_reveal_personal_data, contact_register, possible_repeats
from ..services.intake import MAX_REPRESENTATIVES
from ..services.intake_rules import REFERENCE_REQUIRED, hidden_fields, intake_rules_table, required_fields

TITLES = {
    Channel.VISIT: gettext_lazy("来访登记"),
    Channel.PHONE: gettext_lazy("来电登记"),
    Channel.LETTER: gettext_lazy("来信登记"),
    Channel.FAX: gettext_lazy("传真登记"),
    Channel.ONLINE: gettext_lazy("网络来件登记"),
    Channel.SENT_DOWN: gettext_lazy("上级转送/交办件登记"),
    Channel.HOTLINE_12378: gettext_lazy("12378转办件登记"),
}


def _channel_of(request) -> str:
    channel = request.POST.get("channel") or request.GET.get("channel") or Channel.VISIT
    return channel if channel in Channel.values else Channel.VISIT


# The page's fields in the order a clerk meets them (the Tab order of complaints/intake.html). After a refused
# submit the cursor goes to the first of them in error.
PAGE_ORDER = (
    "received_at",
    "topic",
    "reference_no",
    "name",
    "phone",
    "id_number",
    "address",
    "group_size",
    *(f"rep{i}_{part}" for i in range(1, MAX_REPRESENTATIVES + 1) for part in ("name", "id_number", "phone")),
    "institution",
    "summary",
    "answer",
    "content",
    "business",
    "cause",
    "amount_involved",
    "outcome",
    "case_type",
    "petition_kind",
    "is_anonymous",
    "materials_complete",
    "owner",
)
# Filled in by the page (time of receipt, 事项类别, and the reference number where it is optional): out of the
# Tab path until the clerk asks to change them ("修改预填项", Alt+M).
PREFILLED = ("received_at", "topic", "reference_no")
# What a field that does not apply is taken to be, whatever was posted (see complaints.services.intake_rules).
NOT_APPLICABLE = {
    "answer": "",
    "case_type": "",
    "petition_kind": "",
    "is_anonymous": False,
    "materials_complete": True,
    "business": None,
    "cause": None,
    "owner": None,
    "group_size": 1,
}


def _state(form) -> dict:
    """The channel, outcome, case type and anonymity the page shows now (posted, or the initial values)."""

    def value(name):
        return form[name].value() or ""

    anonymous = form["is_anonymous"].value()
    return {
        "outcome": value("outcome"),
        "case_type": value("case_type"),
        "is_anonymous": anonymous not in (None, False, "", "false", "0", "off"),
    }


def _group_open(form) -> bool:
    """The 集体访 block starts open when it holds something: more than one person, a representative, an error."""
    group = [
        "group_size",
        *(f"rep{i}_{p}" for i in range(1, MAX_REPRESENTATIVES + 1) for p in ("name", "id_number", "phone")),
    ]
    if any(name in form.errors for name in group):
        return True
    size = form["group_size"].value()
    return str(size or "1") not in ("", "1") or any(form[name].value() for name in group[1:])


def _first_error(form) -> str | None:
    return next((name for name in PAGE_ORDER if name in form.errors), None)


def _register(request, form, channel: str):
    """Call the service with the parsed form; fields that do not apply count as not given."""
    data = dict(form.cleaned_data)
    hidden = hidden_fields(channel=channel, outcome=data["outcome"], case_type=data["case_type"])
    for name, default in NOT_APPLICABLE.items():
        if name in hidden:
            data[name] = default
    representatives = [] if "representatives" in hidden else form.representatives()
    repeat_of = None
    if data["outcome"] == Contact.Outcome.REPEAT and data.get("repeat_of"):
        repeat_of = Case.objects.for_user(request.user).filter(pk=data["repeat_of"]).first()
    return contact_register(
        actor=request.user,
        channel=data["channel"],
        received_at=data["received_at"],
        reference_no=data["reference_no"],
        topic=data["topic"],
        name=data["name"],
        id_number=data["id_number"],
        phone=data["phone"],
        address=data["address"],
        is_anonymous=data["is_anonymous"],
        group_size=data["group_size"] or 1,
        representatives=representatives,
        institution=data["institution"],
        summary=data["summary"],
        content=data["content"],
        outcome=data["outcome"],
        answer=data["answer"],
        case_type=data["case_type"],
        petition_kind=data["petition_kind"],
        materials_complete=data["materials_complete"],
        business=data["business"],
        cause=data["cause"],
        amount_involved=data.get("amount_involved"),
        owner=data["owner"],
        repeat_of=repeat_of,
    )


@login_required
def intake(request):
    if not can_register(request.user):
        raise PermissionDenied(_("只有登记办理人员或支局负责人可以登记来访来电。"))
    channel = _channel_of(request)
    initial = {
        "channel": channel,
        "received_at": timezone.localtime().replace(second=0, microsecond=0),
        "owner": request.user.pk,
        "topic": Contact.Topic.CONSULTATION if channel == Channel.PHONE else Contact.Topic.COMPLAINT,
        "outcome": Contact.Outcome.ANSWERED if channel == Channel.PHONE else Contact.Outcome.OPENED_CASE,
    }
    form = IntakeForm(request.POST or None, user=request.user, initial=initial)
    needs_reference = channel in REFERENCE_REQUIRED
    if request.method == "POST" and form.is_valid():
        try:
            contact = _register(request, form, channel)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if contact.outcome == Contact.Outcome.ANSWERED:
                messages.success(request, _("已登记，当场答复。"))
                return redirect(f"{reverse('complaints:intake')}?channel={contact.channel}")
            if contact.outcome == Contact.Outcome.REPEAT:
                messages.success(request, _("已作为重复件并入 %(number)s。") % {"number": contact.case.number})
            else:
                messages.success(request, _("已登记为案件 %(number)s。") % {"number": contact.case.number})
            return redirect("complaints:case_detail", pk=contact.case_id)
    state = _state(form)
    # The cursor starts where the clerk starts (the reference number of forwarded items, else the name), or, after
    # a refused submit, on the first field in error.
    focus = _first_error(form) or ("reference_no" if needs_reference else "name")
    form.fields[focus].widget.attrs["autofocus"] = True
    prefilled = [name for name in PREFILLED if not (name == "reference_no" and needs_reference)]
    # A prefilled field in error is shown in the Tab path straight away.
    prefilled_open = any(name in form.errors for name in prefilled)
    if not prefilled_open:
        for name in prefilled:
            form.fields[name].widget.attrs["tabindex"] = "-1"
    hidden = hidden_fields(channel=channel, outcome=state["outcome"], case_type=state["case_type"])
    required = required_fields(channel=channel, **state)
    for name in required - {"outcome"}:
        form.fields[name].widget.attrs["aria-required"] = "true"
    context = {
        "form": form,
        "channel": channel,
        "title": TITLES.get(channel, _("来件登记")),
        "channels": [(value, TITLES[value]) for value in Channel.values],
        "needs_reference": needs_reference,
        "prefilled": [form[name] for name in prefilled],
        "prefilled_open": prefilled_open,
        "hidden": hidden,
        "required": required,
        "group_open": _group_open(form),
        "rules_json": json.dumps(intake_rules_table(channel), ensure_ascii=False),
        # The live checks show the server's own messages (core.personal).
        "checks_json": json.dumps(
            {
                "id_format": str(ID_FORMAT_MESSAGE),
                "id_birth": str(ID_BIRTH_MESSAGE),
                "id_check": str(ID_CHECK_MESSAGE),
                "phone": str(PHONE_MESSAGE),
                "today": timezone.localdate().isoformat(),
            },
            ensure_ascii=False,
        ),
    }
    return render(request, "complaints/intake.html", context, status=400 if form.errors else 200)


def _repeat_candidate(user, case: Case, institution_id) -> dict:
    """One candidate as the intake page lists it: masked, free text masked too.

    A 举报 the clerk does not handle shows nothing that could identify the reporter or what was reported
    (docs/domain.md, "个人信息"): its number, date and status are enough to link the repeat, and its handlers can
    read the rest."""
    candidate = {
        "id": case.pk,
        "number": case.number,
        "received_on": case.received_on.isoformat(),
        "status": case.get_status_display(),
        "is_open": case.is_open,
        "url": reverse("complaints:case_detail", args=[case.pk]),
        # After 复核 the same facts and reasons are not accepted again (docs/domain.md, "复查、复核").
        "reviewed_note": _("该件已经复核：以同一事实和理由再次提出的，并入该件，不再受理。")
        if getattr(case, "reviewed", False)
        else "",
    }
    if case.case_type == CaseType.REPORT and not can_reveal_personal_data(user, case):
        return {**candidate, "institution": "", "same_institution": False, "name": "", "summary": _("举报（内容保密）")}
    return {
        **candidate,
        "institution": str(case.institution) if case.institution_id else "",
        "same_institution": bool(institution_id and case.institution_id == institution_id),
        # Masked; a 举报 reporter is never identified, not even masked (docs/domain.md §2).
        "name": petitioner_label(case.case_type, case.name, case.is_anonymous),
        "summary": mask_free_text(case.summary),
    }


@login_required
@require_POST
def repeat_candidates(request):
    """Possible repeats while the clerk types: POST (never personal data in a URL), JSON back, masked."""
    if not can_register(request.user):
        raise PermissionDenied
    form = RepeatQueryForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"results": []})
    cases = possible_repeats(
        user=request.user,
        id_number=form.cleaned_data["id_number"],
        phone=form.cleaned_data["phone"],
        institution_id=form.cleaned_data["institution"],
    )
    institution_id = form.cleaned_data["institution"]
    results = [_repeat_candidate(request.user, case, institution_id) for case in cases]
    return JsonResponse({"results": results})
