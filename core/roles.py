"""Roles are auth groups; this module is the one place that says which permissions each one holds.

`sync_roles()` runs after every migrate, so a new model's permissions reach the roles as soon as its
app lists them here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("登记办理人员")
    SUPERVISOR = "supervisor", _("支局负责人")
    MEDIATOR = "mediator", _("调解员")
    REVIEWER = "reviewer", _("分局审阅")
    ADMINISTRATOR = "administrator", _("系统管理员")
    # 三员分立 (README 安全): the security administrator manages roles, permissions and sign-in security; the audit
    # administrator only reads the audit log. 系统管理员 keeps accounts and reference data and cannot read the log.
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# Group names are the Chinese labels users see in the admin.
GROUP_NAMES = {role: str(role.label) for role in Role}

_VIEW_REFERENCE = [
    "core.view_orgunit",
    "core.view_category",
    "core.view_deadlinerule",
    "core.view_workcalendarday",
    "core.view_workcalendaryear",
    "institutions.view_institution",
]

# Apps add their codenames here as they grow ("app_label.codename"); unknown ones are ignored.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CLERK: [
        *_VIEW_REFERENCE,
        "core.view_absence",
        "core.add_absence",
    ],
    Role.SUPERVISOR: [
        *_VIEW_REFERENCE,
        "core.view_absence",
        "core.add_absence",
        "core.change_absence",
        "core.delete_absence",
    ],
    Role.MEDIATOR: [],
    Role.REVIEWER: [*_VIEW_REFERENCE],
    Role.ADMINISTRATOR: [
        *_VIEW_REFERENCE,
        "core.add_orgunit",
        "core.change_orgunit",
        "core.view_user",
        "core.add_user",
        "core.change_user",
        "core.add_category",
        "core.change_category",
        "core.delete_category",
        "core.change_deadlinerule",
        "core.add_workcalendarday",
        "core.change_workcalendarday",
        "core.add_workcalendaryear",
        "core.change_workcalendaryear",
        "core.view_absence",
        "core.add_absence",
        "core.change_absence",
        "core.delete_absence",
        "institutions.add_institution",
        "institutions.change_institution",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "django_celery_beat.view_crontabschedule",
        "django_celery_beat.change_crontabschedule",
        "django_celery_beat.add_crontabschedule",
    ],
    Role.SECURITY_ADMIN: [
        # Whom a role goes to (a person's roles on the user form) and what extra groups may do.
        "core.view_user",
        "core.change_user",
        "core.view_orgunit",
        "auth.view_group",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
        "auth.view_permission",
        # Sign-in security: failed attempts, lockouts (deleting an attempt unlocks the account), sign-in records.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
    ],
    Role.AUDIT_ADMIN: ["core.view_auditentry", "core.view_auditarchive"],
}

# 三员分立: no person holds two of these roles (core/admin_security.py refuses it on the user form).
SEPARATED_ROLES = (Role.ADMINISTRATOR, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def extend_role_permissions(role: str, codenames: list[str]) -> None:
    """Let an app add its permissions to a role from its AppConfig.ready()."""
    for codename in codenames:
        if codename not in ROLE_PERMISSIONS[role]:
            ROLE_PERMISSIONS[role].append(codename)


def sync_roles(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        group.permissions.set([known[name] for name in codenames if name in known])


def user_roles(user) -> set[str]:
    """The roles a user holds, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        by_name = {name: role for role, name in GROUP_NAMES.items()}
        cached = {by_name[name] for name in user.groups.values_list("name", flat=True) if name in by_name}
        user._role_cache = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


OFFICE_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.REVIEWER, Role.ADMINISTRATOR)


def is_mediator_only(user) -> bool:
    """A mediator from the court or an association: sees only their own mediation cases, no office records."""
    return not user.is_superuser and has_role(user, Role.MEDIATOR) and not has_role(user, *OFFICE_ROLES)


def can_register(user) -> bool:
    """Clerks and supervisors register visits, calls and letters; reviewers and mediators do not."""
    return user.is_superuser or has_role(user, Role.CLERK, Role.SUPERVISOR)
