"""AB岗: who acts for an item today, and absences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Absence, User
from core.roles import Role, has_role

from .audit import log_action


def absent_user_ids(user_ids, on: dt.date) -> set[int]:
    """Of `user_ids`, those recorded as absent on `on` (one query)."""
    ids = {uid for uid in user_ids if uid}
    if not ids:
        return set()
    return set(
        Absence.objects.filter(user_id__in=ids, start_on__lte=on, end_on__gte=on).values_list("user_id", flat=True)
    )


@dataclass(frozen=True)
class Acting:
    user: User | None
    covering: bool  # True when B (or the supervisor) acts instead of A
    both_absent: bool


def supervisors_of(org) -> list[User]:
    from core.roles import GROUP_NAMES

    return list(User.objects.filter(org=org, is_active=True, groups__name=GROUP_NAMES[Role.SUPERVISOR]).order_by("id"))


def acting_handler(owner: User | None, backup: User | None, on: dt.date, org=None, absent=None) -> Acting:
    """Who acts for an item with A=`owner` and B=`backup` on `on`.

    A when present; B when A is absent; the office's supervisor when both are absent (with a warning flag).
    `absent`: which of the two are absent on `on`, when the caller already read it.
    """
    if absent is None:
        absent = absent_user_ids([getattr(owner, "pk", None), getattr(backup, "pk", None)], on)
    if owner is not None and owner.pk not in absent:
        return Acting(owner, covering=False, both_absent=False)
    if backup is not None and backup.pk not in absent:
        return Acting(backup, covering=True, both_absent=False)
    org = org or getattr(owner, "org", None)
    supervisors = supervisors_of(org) if org is not None else []
    return Acting(supervisors[0] if supervisors else None, covering=True, both_absent=True)


def overlapping_partner_absences(user: User, start_on: dt.date, end_on: dt.date):
    """Absences of the people paired with `user` (their B, and those they back up) that overlap the period."""
    partner_ids = set(User.objects.filter(backup=user).values_list("id", flat=True))
    if user.backup_id:
        partner_ids.add(user.backup_id)
    return Absence.objects.filter(user_id__in=partner_ids, start_on__lte=end_on, end_on__gte=start_on).select_related(
        "user"
    )


def absence_record(*, actor: User, user: User, start_on: dt.date, end_on: dt.date, kind: str, note: str = ""):
    """Record an absence. Returns (absence, warnings): warnings say when A and B would both be away."""
    if end_on < start_on:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    if actor.pk != user.pk and not (actor.is_superuser or has_role(actor, Role.SUPERVISOR, Role.ADMINISTRATOR)):
        raise PermissionDenied(_("只有本人或支局负责人可以登记缺岗。"))
    if actor.org_id and user.org_id and not actor.is_superuser and not user.org.is_within(actor.org):
        raise PermissionDenied(_("不能为其他单位的人员登记缺岗。"))
    with transaction.atomic():
        absence = Absence(user=user, start_on=start_on, end_on=end_on, kind=kind, note=note, created_by=actor)
        absence.full_clean()
        absence.save()
        log_action(
            actor=actor,
            action="core.absence.recorded",
            target=absence,
            org=user.org,
            user_id=user.pk,
            start_on=str(start_on),
            end_on=str(end_on),
        )
    warnings = [
        _("%(partner)s 在 %(start)s 至 %(end)s 也不在岗：A岗和B岗不应同时缺岗，期间事项将由支局负责人督办。")
        % {"partner": other.user, "start": other.start_on, "end": other.end_on}
        for other in overlapping_partner_absences(user, start_on, end_on)
    ]
    return absence, warnings
