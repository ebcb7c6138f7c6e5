"""Who sees which mediation case (docs/domain.md, "组织与角色" and "纠纷调解").

- Office staff (clerk, supervisor, reviewer, administrator) see the cases of their unit and the units below.
- A mediator sees only the cases assigned to them, and only once they have declared no ground for recusal.
- A court's users (mediators whose partner organisation is the court) also see the cases the court referred.
- Everyone else gets 404.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from core.access import sees_org, visible_org_q
from core.roles import OFFICE_WRITE_ROLES, Role, has_role, is_office_user, prime_user_caches

from .models import MediationCase, Mediator, PartnerKind


def mediator_profile(user) -> Mediator | None:
    """The roster entry linked to the user's account (None without one), read once per request.

    The row is put on the user by `core.roles.prime_user_caches`, the one helper that fills the user's caches, in
    Django's relation cache for `user.mediator_profile`; a later read costs no query.
    """
    if not user.is_authenticated:
        return None
    relation = user._meta.get_field("mediator_profile")
    if not relation.is_cached(user):
        row = Mediator.objects.select_related("partner").filter(user=user).first()
        prime_user_caches(user, related={"mediator_profile": row})
    return relation.get_cached_value(user)


def can_write_office(user, case: MediationCase | None = None) -> bool:
    """Clerks and supervisors of the unit (or above) run the workstation's paperwork."""
    if not user.is_authenticated:
        return False
    if not (user.is_superuser or has_role(user, *OFFICE_WRITE_ROLES)):
        return False
    return case is None or sees_org(user, case.org)


def is_case_mediator(user, case: MediationCase) -> bool:
    """The assigned mediator's own account, after the recusal declaration."""
    return (
        user.is_authenticated
        and case.mediator_id is not None
        and case.recusal_declared_at is not None
        and case.mediator.user_id == user.pk
    )


def visible_cases_q(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    if is_office_user(user):
        q |= visible_org_q(user)
    if has_role(user, Role.MEDIATOR):
        q |= Q(mediator__user=user, recusal_declared_at__isnull=False)
        profile = mediator_profile(user)
        if profile is not None and profile.partner.kind == PartnerKind.COURT:
            # Reading the court's referrals never bypasses recusal: a case assigned to this very user stays
            # closed to them until they have declared.
            q |= Q(referring_partner=profile.partner) & ~Q(mediator__user=user, recusal_declared_at__isnull=True)
    return q


def cases_for_user(user):
    return MediationCase.objects.filter(visible_cases_q(user))


def get_case_for_user(request, pk) -> MediationCase:
    """One case the user may see, with what its page shows; 404 for anyone else."""
    try:
        return (
            cases_for_user(request.user)
            .select_related(
                "org",
                "institution",
                "mediator",
                "mediator__partner",
                "mediator__user",
                "referring_partner",
                "origin_case",
                "created_by",
            )
            .get(pk=pk)
        )
    except MediationCase.DoesNotExist as exc:
        raise Http404 from exc


def get_case_for_recusal(request, pk) -> MediationCase:
    """A case assigned to this mediator that waits for their recusal declaration (parties only, no file)."""
    try:
        return MediationCase.objects.select_related("institution", "mediator", "mediator__partner").get(
            pk=pk, mediator__user=request.user, recusal_declared_at__isnull=True
        )
    except MediationCase.DoesNotExist as exc:
        raise Http404 from exc
