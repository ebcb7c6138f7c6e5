"""Who may see what. Every view reaches records through a helper built on these functions.

The rule (docs/domain.md, "组织与角色"): a record belongs to one organisation unit, and a user sees the records of their
own unit and of the units below it. Superusers see everything. Mediators see only the mediation cases
assigned to them; that rule lives in the mediation app.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import OrgUnit


def visible_org_q(user, field: str = "org") -> Q:
    if user.is_superuser:
        return Q()
    if not user.is_authenticated or user.org_id is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": user.org.path})


def visible_orgs(user) -> QuerySet:
    """The units whose records the user may see."""
    if user.is_superuser:
        return OrgUnit.objects.all()
    if not user.is_authenticated or user.org_id is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=user.org.path)


def scope(queryset: QuerySet, user, field: str = "org") -> QuerySet:
    """Limit `queryset` to the records of units the user may see."""
    return queryset.filter(visible_org_q(user, field))


def get_object_for_user(queryset: QuerySet, user, field: str = "org", **lookup):
    """Fetch one record the user may see, or 404 (never 403: an outsider must not learn it exists)."""
    try:
        return scope(queryset, user, field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
