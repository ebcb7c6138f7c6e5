"""The open deadlines behind one number of the board (期限清单): the same filters the board counts with, so the
list holds exactly the items its number counts (docs/architecture.md「看板汇总表」).

The board groups every kind of dated item — cases and their steps, mediation, tasks, interviews, survey follow-ups —
by acting handler, institution and kind; the case ledger lists only cases by their current deadline, so its numbers
could not match. Each board number links here instead, and each row links to its item.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import Deadline, OrgUnit

from .buckets import BUCKET_LABELS, Horizon, office_supervisors
from .mywork import absent_today_ids

LIST_BUCKETS = {
    "total": _("在办合计"),
    **BUCKET_LABELS,
    "paused": _("暂停计时"),
    "provisional": _("期限为暂定"),
}


class DeadlineListForm(forms.Form):
    org = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    acting = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    # 0: the deadlines that concern no institution (the board's 未涉及机构 row).
    institution = forms.IntegerField(required=False, min_value=0, max_value=2**63 - 1)
    kind = forms.CharField(required=False, max_length=64)
    bucket = forms.ChoiceField(required=False, choices=list(LIST_BUCKETS.items()))
    within = forms.IntegerField(required=False, min_value=1, max_value=20)


def bucket_q(bucket: str, horizon: Horizon) -> Q:
    """The open deadlines of one bucket, as `bucket_aggregates` counts them."""
    running = Q(paused_since__isnull=True)
    today, soon_end = horizon.today, horizon.soon_end
    return {
        "total": Q(),
        "overdue": running & Q(due_on__lt=today),
        "today": running & Q(due_on=today),
        "soon": running & Q(due_on__gt=today, due_on__lte=soon_end),
        "on_time": running & Q(due_on__gt=soon_end),
        "paused": Q(paused_since__isnull=False),
        "provisional": ~Q(provisional_years=""),
    }[bucket or "total"]


def _supervised_orgs(user_id: int, org_ids: list[int], today: dt.date) -> list[int]:
    """The offices whose supervisor on duty (as the board picks them: the first active one by id) is `user_id`."""
    return [org_id for org_id, supervisor_id in office_supervisors(org_ids, today).items() if supervisor_id == user_id]


def acting_q(user_id: int, org_ids: list[int], today: dt.date) -> Q:
    """The deadlines `user_id` acts on today, as the board's `acting_for` assigns them: A when present, B when A
    is away, the office's first supervisor when both are."""
    absent = absent_today_ids(today)
    away_a = Q(owner__isnull=True) | Q(owner_id__in=absent)
    away_b = Q(backup__isnull=True) | Q(backup_id__in=absent)
    acting = Q(pk__in=[])  # an absent user acts on nothing of their own today
    if not absent.filter(user_id=user_id).exists():
        acting = Q(owner_id=user_id) | (Q(backup_id=user_id) & away_a)
    supervised = _supervised_orgs(user_id, org_ids, today)
    if supervised:
        acting |= Q(org_id__in=supervised) & away_a & away_b
    return acting


def deadline_list(org_ids: list[int], data: dict, horizon: Horizon) -> QuerySet:
    """The open deadlines of `org_ids` matching the board's filters `data` (cleaned DeadlineListForm data)."""
    rows = Deadline.objects.open().filter(org_id__in=org_ids)
    if data.get("acting"):
        rows = rows.filter(acting_q(data["acting"], org_ids, horizon.today))
    if data.get("institution") is not None:
        rows = rows.filter(institution_id=data["institution"] or None)
    if data.get("kind"):
        rows = rows.filter(item_kind=data["kind"])
    return rows.filter(bucket_q(data.get("bucket") or "total", horizon))


def list_orgs(visible: list[OrgUnit], org_id: int | None) -> list[OrgUnit]:
    return [org for org in visible if org.pk == org_id] if org_id else visible
