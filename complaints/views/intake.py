"""Fast intake (来访登记, 来电登记, letters, online, sent-down, 12378) and the repeat look-up behind it."""

from __future__ import annotations

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

from ..exporters import petitioner_label
from ..forms import IntakeForm, RepeatQueryForm
from ..models import Case, Contact
from ..models.choices import Channel
from ..services import can_register, contact_register, possible_repeats

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


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


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
    needs_reference = channel in (Channel.SENT_DOWN, Channel.HOTLINE_12378)
    # The cursor starts where the clerk starts: the reference number of forwarded items, else the name.
    form.fields["reference_no" if needs_reference else "name"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        repeat_of = None
        if data["outcome"] == Contact.Outcome.REPEAT and data.get("repeat_of"):
            repeat_of = Case.objects.for_user(request.user).filter(pk=data["repeat_of"]).first()
        try:
            contact = contact_register(
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
                group_size=data["group_size"],
                representatives=form.representatives(),
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
                owner=data["owner"],
                repeat_of=repeat_of,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if contact.outcome == Contact.Outcome.ANSWERED:
                messages.success(request, _("已登记，当场答复。"))
                return redirect(f"{reverse('complaints:intake')}?channel={contact.channel}")
            if contact.outcome == Contact.Outcome.REPEAT:
                messages.success(request, _("已作为重复件并入 %(number)s。") % {"number": contact.case.number})
            else:
                messages.success(request, _("已登记为案件 %(number)s。") % {"number": contact.case.number})
            return redirect("complaints:case_detail", pk=contact.case_id)
    context = {
        "form": form,
        "channel": channel,
        "title": TITLES.get(channel, _("来件登记")),
        "channels": [(value, TITLES[value]) for value in Channel.values],
        "needs_reference": needs_reference,
    }
    return render(request, "complaints/intake.html", context, status=400 if form.errors else 200)


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
    results = [
        {
            "id": case.pk,
            "number": case.number,
            "received_on": case.received_on.isoformat(),
            "status": case.get_status_display(),
            "is_open": case.is_open,
            "institution": str(case.institution) if case.institution_id else "",
            "same_institution": bool(institution_id and case.institution_id == institution_id),
            # Masked; a 举报 reporter is never identified, not even masked (docs/domain.md §2).
            "name": petitioner_label(case.case_type, case.name, case.is_anonymous),
            "summary": case.summary,
            "url": reverse("complaints:case_detail", args=[case.pk]),
        }
        for case in cases
    ]
    return JsonResponse({"results": results})
