"""三员分立 (README 安全): retiring the installation superuser once the administrators are in place."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import User
from core.roles import GROUP_NAMES, Role
from core.services.audit import log_action

# Roles without whom nobody could manage accounts or assign roles once the superusers are gone.
REQUIRED_ROLES = (Role.ADMINISTRATOR, Role.SECURITY_ADMIN)


def missing_administrators() -> list[str]:
    """The required roles that no active, ordinary (non-superuser) account holds."""
    ordinary = User.objects.filter(is_active=True, is_superuser=False)
    return [str(role.label) for role in REQUIRED_ROLES if not ordinary.filter(groups__name=GROUP_NAMES[role]).exists()]


@transaction.atomic
def superusers_deactivate(*, actor=None) -> list[User]:
    """Deactivate every active superuser; refused while a required administrator role has nobody to hold it."""
    missing = missing_administrators()
    if missing:
        roles = "、".join(missing)
        raise ValidationError(
            f"不能停用超级用户：尚无在用的（非超级用户）{roles}账号。请先创建并授予角色，否则停用后无人能管理账号和权限。"
        )
    retired = list(User.objects.select_for_update().filter(is_superuser=True, is_active=True).order_by("pk"))
    for user in retired:
        user.is_active = False
        user._change_reason = "三员分立：停用安装用超级用户"
        user.save(update_fields=["is_active"])
        log_action(actor=actor, action="core.user.superuser_deactivated", target=user, username=user.username)
    return retired
