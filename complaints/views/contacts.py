"""Visit and call records (来访来电记录): the list, a record's page, revealing its personal data, correcting it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.labels import field_label
from core.markup import id_url
from core.paging import CappedPaginator
from core.personal import mask_address, mask_id, mask_name, mask_phone
from core.roles import is_mediator_only
from core.service_errors import form_errors

from .. import services as svc
from ..contact_forms import ContactCorrectionForm, ContactFilter
from ..contact_selectors import (
    CONTACT_PAGE_SIZE,
    contact_changes,
    contact_handler_choices,
    contact_list_rows,
    contacts_for_user,
    get_contact_for_user,
)
from ..models import Contact
from ..models.choices import CaseType
from ..search import BROAD_COUNT_LIMIT

MEDIATOR_REFUSAL = _("调解员只能查看指派给自己的调解案件，不能查看来访来电记录。")


def _refuse_mediators(user) -> None:
    if is_mediator_only(user):
        raise PermissionDenied(MEDIATOR_REFUSAL)


def is_reporter(contact: Contact) -> bool:
    """A 举报 reporter's identity never shows in a list, not even masked (docs/domain.md §2)."""
    return contact.topic == Contact.Topic.REPORT or (
        contact.case_id is not None and contact.case.case_type == CaseType.REPORT
    )


def person_label(contact: Contact) -> str:
    if contact.is_anonymous or not contact.name:
        return _("匿名") if contact.is_anonymous else "—"
    if is_reporter(contact):
        return _("举报人（保密）")
    return mask_name(contact.name)


def _person(contact: Contact, revealed: bool) -> dict:
    if revealed:
        return {
            "name": contact.name,
            "id_number": contact.id_number,
            "phone": contact.phone,
            "address": contact.address,
        }
    return {
        "name": mask_name(contact.name),
        "id_number": mask_id(contact.id_number),
        "phone": mask_phone(contact.phone),
        "address": mask_address(contact.address),
    }


@login_required
def contact_list(request):
    """Queries: session, user, roles, the user's unit (navigation), the 接待人 choices, the unread-notification
    count, the page's count up to the limit and its rows (with the linked case, institution and receiver)."""
    user = request.user
    _refuse_mediators(user)
    filterset = ContactFilter(
        request.GET or None, queryset=contacts_for_user(user), handlers=contact_handler_choices(user)
    )
    queryset = contact_list_rows(filterset.qs)
    # Counted up to the ledger's limit (超过 1000 条): an office's records only grow
    # (docs/performance.md「来访来电列表」).
    page = CappedPaginator(queryset, CONTACT_PAGE_SIZE, limit=BROAD_COUNT_LIMIT).get_page(request.GET.get("page"))
    today = timezone.localdate()
    contact_url, case_url = id_url("complaints:contact_detail"), id_url("complaints:case_detail")
    rows = [
        {
            "contact": contact,
            "url": contact_url(contact.pk),
            "case_url": case_url(contact.case_id) if contact.case_id else "",
            # Labels looked up once per list, not by get_FOO_display per cell (core/labels.py).
            "channel": field_label(Contact, "channel", contact.channel),
            "topic": field_label(Contact, "topic", contact.topic),
            "outcome": field_label(Contact, "outcome", contact.outcome),
            "person": person_label(contact),
            "phone": "" if is_reporter(contact) or contact.is_anonymous else mask_phone(contact.phone),
            "is_today": timezone.localdate(contact.received_at) == today,
        }
        for contact in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "complaints/contact_list.html",
        {"filter": filterset, "page": page, "rows": rows, "query_string": params.urlencode(), "today": today},
    )


def _detail(request, contact: Contact, *, revealed: bool = False):
    user = request.user
    representatives = list(contact.representatives.all())
    refusal = svc.correction_refusal(user, contact)
    context = {
        "contact": contact,
        "person": _person(contact, revealed),
        "person_label": person_label(contact),
        "reporter": is_reporter(contact),
        "revealed": revealed,
        "representatives": [
            {
                "name": rep.name if revealed else mask_name(rep.name),
                "id_number": rep.id_number if revealed else mask_id(rep.id_number),
                "phone": rep.phone if revealed else mask_phone(rep.phone),
            }
            for rep in representatives
        ],
        "can_reveal": svc.can_reveal_contact(user, contact),
        "correction_refusal": refusal,
        "can_correct": refusal == "",
        "changes": contact_changes(contact),
    }
    return render(request, "complaints/contact_detail.html", context)


@login_required
def contact_detail(request, pk: int):
    _refuse_mediators(request.user)
    return _detail(request, get_contact_for_user(request, pk))


@login_required
@require_POST
def contact_reveal(request, pk: int):
    """显示完整信息: the receiver, the linked case's A/B and supervisors; each reveal logged, never in a URL."""
    _refuse_mediators(request.user)
    contact = get_contact_for_user(request, pk)
    svc.contact_personal_data_revealed(actor=request.user, contact=contact)
    return _detail(request, contact, revealed=True)


@login_required
def contact_correct(request, pk: int):
    """更正: the person who logged it on that day, later a supervisor. The form holds the full values, so opening
    it is a reveal and is logged; a refused or stale correction shows the form again with what the user typed."""
    user = request.user
    _refuse_mediators(user)
    contact = get_contact_for_user(request, pk)
    refusal = svc.correction_refusal(user, contact)
    if refusal:
        raise PermissionDenied(refusal)
    form = ContactCorrectionForm(request.POST or None, contact=contact, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            svc.contact_correct(
                actor=user,
                contact=contact,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                **form.changes(),
            )
        except (PermissionDenied, ValidationError) as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("来访来电记录已更正，变更已记入历史。"))
            return redirect("complaints:contact_detail", pk=contact.pk)
    elif request.method != "POST":
        svc.contact_personal_data_revealed(actor=user, contact=contact, purpose="correct")
    status = 400 if form.errors else 200
    return render(request, "complaints/contact_correct.html", {"contact": contact, "form": form}, status=status)
