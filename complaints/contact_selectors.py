"""Reads of the visit and call records page (来访来电记录): scope, list rows, handler choices and history."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from core.access import visible_org_q, visible_orgs
from core.models import User

from .models import Contact
from .services.contacts import sees_contact

CONTACT_PAGE_SIZE = 50
# Newest first: today's visits and calls lead the list (received_at is never later than the moment it is logged).
CONTACT_ORDER = ("-received_at", "-id")


def contacts_for_user(user) -> QuerySet:
    """Every contact record of the units the user may see (the ledger's rule); mediators are refused earlier."""
    return Contact.objects.filter(visible_org_q(user))


# The columns a row of the list shows (complaints/templatetags/complaints_contacts.py) and what decides them: the
# phone masked, never the ID number; of the case its number and type (a 举报 hides the person), of the institution
# its short name, of the receiver the name. Nothing else is read or decrypted (docs/performance.md「来访来电列表」).
CONTACT_ROW_FIELDS = (
    "org_id",
    "channel",
    "received_at",
    "topic",
    "outcome",
    "name",
    "is_anonymous",
    "phone",
    "group_size",
    "summary",
    "case__number",
    "case__case_type",
    "institution__short_name",
    "received_by__name",
    "received_by__username",
)


def contact_list_rows(queryset: QuerySet) -> QuerySet:
    """What a row of the list shows, with the linked case, institution and receiver in the same query."""
    return (
        queryset.select_related("institution", "received_by", "case").only(*CONTACT_ROW_FIELDS).order_by(*CONTACT_ORDER)
    )


def contact_handler_choices(user) -> list[tuple[int, str]]:
    """The staff of the visible units, offered as the 接待人 filter (one query)."""
    rows = (
        User.objects.filter(org__in=visible_orgs(user), is_active=True)
        .order_by("name", "username")
        .values_list("pk", "name", "username")
    )
    return [(pk, name or username) for pk, name, username in rows]


def get_contact_for_user(request, pk: int) -> Contact:
    """One contact record the user may see, or 404 (never 403: an outsider must not learn it exists)."""
    contact = (
        Contact.objects.select_related("org", "institution", "received_by", "case", "case__owner", "case__backup")
        .filter(pk=pk)
        .first()
    )
    if contact is None or not sees_contact(request.user, contact):
        raise Http404
    return contact


def contact_changes(contact: Contact, limit: int = 50) -> list[dict]:
    """The contact's history, newest first, with the names of the fields each change touched."""
    history = list(contact.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    changes = []
    for newer, older in zip(history, [*history[1:], None], strict=True):
        changed = []
        if older is not None:
            changed = [
                str(Contact._meta.get_field(change.field).verbose_name)
                for change in newer.diff_against(older).changes
                if change.field != "version"
            ]
        changes.append({"record": newer, "changed": changed})
    return changes


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The start of `day` and of the next day in the current time zone: a date filter that keeps the index."""
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
