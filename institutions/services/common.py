"""Permission helpers shared by the institutions services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.access import sees_org
from core.roles import Role, has_role


def can_see_org(user, org) -> bool:
    return sees_org(user, org)


def is_staff_of(user, org) -> bool:
    """A clerk or supervisor of `org` (or of a unit above it)."""
    return user.is_superuser or (can_see_org(user, org) and has_role(user, Role.CLERK, Role.SUPERVISOR))


def is_supervisor_of(user, org) -> bool:
    return user.is_superuser or (can_see_org(user, org) and has_role(user, Role.SUPERVISOR))


def require_staff(user, org) -> None:
    if not is_staff_of(user, org):
        raise PermissionDenied(_("只有本单位的登记办理人员或负责人可以执行此操作。"))


def require_supervisor(user, org) -> None:
    if not is_supervisor_of(user, org):
        raise PermissionDenied(_("只有本单位负责人可以执行此操作。"))
