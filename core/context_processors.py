from django.conf import settings

from .roles import Role, can_register, is_mediator_only, user_roles


def office(request):
    """The brand and the current user's roles, for the navigation."""
    roles = user_roles(request.user) if hasattr(request, "user") else set()
    return {
        "office_brand": settings.OFFICE_BRAND,
        "user_roles": roles,
        "is_supervisor": Role.SUPERVISOR in roles,
        "is_reviewer": Role.REVIEWER in roles,
        "is_mediator": Role.MEDIATOR in roles,
        # The 审计管理员 reads the audit log (the role, not a permission check: no query per page).
        "is_audit_admin": Role.AUDIT_ADMIN in roles,
        "is_mediator_only": bool(roles) and is_mediator_only(request.user),
        "can_register": bool(roles) and can_register(request.user),
    }
