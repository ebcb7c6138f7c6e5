"""Who may see what. Every view reaches records through a helper built on these functions.

The rule (docs/domain.md, "组织与角色"): a record belongs to one organisation unit, and a user sees the records of their
own unit and of the units below it. It is written once: `within_org_q`/`visible_org_q` for queries, `sees_org`
(through `OrgUnit.is_within`) for a record in hand. The ledger's one-query scope (`complaints.selectors`) spells it
in SQL for speed and is tested against `visible_orgs`. Superusers see everything. Mediators see only the mediation cases
assigned to them; that rule lives in the mediation app.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import OrgUnit


def within_org_q(org, field: str = "org") -> Q:
    """The records of `org` and of the units below it: the organisation rule, written once for queries.

    `field` names the record's unit ("org", "case__org"); an empty field filters the units themselves.
    """
    return within_path_q(org.path, field)


def within_path_q(path, field: str = "org") -> Q:
    """`within_org_q` by the unit's path: a value, or a slot of a query compiled once (`core.rows.Slot`)."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return Q(**{lookup: path})


def visible_org_q(user, field: str = "org") -> Q:
    """The records the user may see by organisation; superusers see everything."""
    if user.is_superuser:
        return Q()
    if not user.is_authenticated or user.org_id is None:
        return Q(pk__in=[])
    return within_org_q(user.org, field)


def sees_org(user, org) -> bool:
    """The same rule for one record already in hand: its unit is the user's or below it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.org_id is not None and org.is_within(user.org)


def visible_orgs(user) -> QuerySet:
    """The units whose records the user may see."""
    return OrgUnit.objects.filter(visible_org_q(user, field=""))


def scope(queryset: QuerySet, user, field: str = "org") -> QuerySet:
    """Limit `queryset` to the records of units the user may see."""
    return queryset.filter(visible_org_q(user, field))


def get_object_for_user(queryset: QuerySet, user, field: str = "org", **lookup):
    """Fetch one record the user may see, or 404 (never 403: an outsider must not learn it exists)."""
    try:
        return scope(queryset, user, field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
