"""Roles are auth groups; this module is the one place that says which permissions each one holds.

The table below is whole: every app's permissions are listed here, none are added from elsewhere.
`sync_roles()` runs after every migrate, so a new model's permissions reach the roles as soon as they are
listed here. Who belongs to the office (`OFFICE_ROLES`) and who registers visits and calls (`can_register`)
are defined here once too.
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
_ABSENCES = ["core.view_absence", "core.add_absence"]
_ABSENCES_MANAGE = [*_ABSENCES, "core.change_absence", "core.delete_absence"]

# Complaints: what the office reads, and what a clerk writes; supervisors also approve extensions and reassign A/B.
_COMPLAINTS_VIEW = [
    "complaints.view_case",
    "complaints.view_contact",
    "complaints.view_representative",
    "complaints.view_caseevent",
    "complaints.view_casestep",
    "complaints.view_extensionrequest",
    "complaints.view_forwarding",
    "complaints.view_casedocument",
    "complaints.view_attachment",
    "complaints.view_petitionreview",
    "complaints.view_transfer",
    # The archive's records (docs/domain.md, "归档"): written by the services only, read-only in the admin.
    "complaints.view_casearchive",
    "complaints.view_casesupplement",
    "complaints.view_destructiondecision",
]
_COMPLAINTS_CLERK = [
    *_COMPLAINTS_VIEW,
    "complaints.add_case",
    "complaints.change_case",
    "complaints.add_contact",
    "complaints.change_contact",
    "complaints.add_representative",
    "complaints.add_casestep",
    "complaints.change_casestep",
    "complaints.add_extensionrequest",
    "complaints.add_forwarding",
    "complaints.change_forwarding",
    "complaints.add_attachment",
]

# Institutions: interviews, surveys and lists are office work; the trigger and suggestion rules are the
# administrator's reference data.
_INSTITUTIONS_STAFF = [
    "institutions.view_interview",
    "institutions.view_survey",
    "institutions.view_quarterlylist",
    "institutions.view_interviewtriggerrule",
    "institutions.view_listsuggestionrule",
]
_INSTITUTIONS_RULES = [
    "institutions.change_interviewtriggerrule",
    "institutions.add_interviewtriggerrule",
    "institutions.change_listsuggestionrule",
    "institutions.add_listsuggestionrule",
]

# Mediation: the roster is reference data: the office reads it, the administrator maintains it in the admin.
_MEDIATION_ROSTER = ["mediation.view_partnerorganisation", "mediation.view_mediator"]
_MEDIATION_OFFICE = [*_MEDIATION_ROSTER, "mediation.view_mediationcase", "mediation.add_mediationcase"]
_MEDIATION_ROSTER_MANAGE = [
    "mediation.add_partnerorganisation",
    "mediation.change_partnerorganisation",
    "mediation.add_mediator",
    "mediation.change_mediator",
]

# Outreach: events, photos, media works and training are recorded by the office; the categories are reference data.
_OUTREACH_VIEW = [
    "outreach.view_event",
    "outreach.view_eventphoto",
    "outreach.view_mediawork",
    "outreach.view_mediaaward",
    "outreach.view_trainingsession",
    "outreach.view_gridcell",
    "outreach.view_campaign",
    "outreach.view_brand",
    "outreach.view_topic",
    "outreach.view_targetgroup",
    "outreach.view_venuetype",
    "outreach.view_trainingseries",
]
_OUTREACH_RECORD = [
    "outreach.add_event",
    "outreach.change_event",
    "outreach.add_eventphoto",
    "outreach.delete_eventphoto",
    "outreach.add_mediawork",
    "outreach.change_mediawork",
    "outreach.add_mediaaward",
    "outreach.add_trainingsession",
    "outreach.change_trainingsession",
]
_OUTREACH_REFERENCE = [
    f"outreach.{verb}_{model}"
    for model in ("brand", "campaign", "topic", "targetgroup", "venuetype", "gridcell", "trainingseries")
    for verb in ("add", "change", "delete")
]

# Office tasks and notifications (models in core, pages in the dashboard).
_TASKS_MANAGE = ["core.view_task", "core.add_task", "core.change_task"]

# The whole table: every role's permissions, for every app ("app_label.codename"; unknown ones are ignored).
# A new role is one more member of Role and one more entry here.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CLERK: [
        *_VIEW_REFERENCE,
        *_ABSENCES,
        *_COMPLAINTS_CLERK,
        *_INSTITUTIONS_STAFF,
        *_MEDIATION_OFFICE,
        *_OUTREACH_VIEW,
        *_OUTREACH_RECORD,
        "core.view_task",
    ],
    Role.SUPERVISOR: [
        *_VIEW_REFERENCE,
        *_ABSENCES_MANAGE,
        *_COMPLAINTS_CLERK,
        "complaints.change_extensionrequest",
        *_INSTITUTIONS_STAFF,
        *_MEDIATION_OFFICE,
        *_OUTREACH_VIEW,
        *_OUTREACH_RECORD,
        *_TASKS_MANAGE,
    ],
    Role.MEDIATOR: ["mediation.view_mediationcase"],
    Role.REVIEWER: [
        *_VIEW_REFERENCE,
        "complaints.view_case",
        "institutions.view_quarterlylist",
        *_MEDIATION_ROSTER,
        "mediation.view_mediationcase",
        *_OUTREACH_VIEW,
        "core.view_task",
    ],
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
        *_ABSENCES_MANAGE,
        "institutions.add_institution",
        "institutions.change_institution",
        *_INSTITUTIONS_STAFF,
        *_INSTITUTIONS_RULES,
        *_MEDIATION_ROSTER,
        *_MEDIATION_ROSTER_MANAGE,
        "mediation.view_mediationcase",
        *_OUTREACH_VIEW,
        *_OUTREACH_REFERENCE,
        *_TASKS_MANAGE,
        "core.view_notification",
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


def sync_roles(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        group.permissions.set([known[name] for name in codenames if name in known])


ROLE_CACHE = "_role_cache"


def prime_user_caches(user, *, group_names=None, org=None, related=None) -> None:
    """The one place that fills what a request caches on the user object, from rows a query already fetched:
    the roles (from the names of the user's groups; read by `user_roles`), the user's own unit (`user.org`, read
    by the navigation bar) and `related`, the rows of one-to-one relations pointing at the user, by accessor name
    (`{"mediator_profile": row_or_None}`, read by `mediation.access.mediator_profile`). Those go into Django's own
    relation cache, so `user.mediator_profile` reads them without a query; core names no domain model. A cache
    already filled is kept."""
    if group_names is not None and getattr(user, ROLE_CACHE, None) is None:
        by_name = {name: role for role, name in GROUP_NAMES.items()}
        setattr(user, ROLE_CACHE, {by_name[name] for name in group_names if name in by_name})
    if org is not None and not user._meta.get_field("org").is_cached(user):
        user.org = org
    for accessor, row in (related or {}).items():
        relation = user._meta.get_field(accessor)
        if not relation.is_cached(user):
            relation.set_cached_value(user, row)


def user_roles(user) -> set[str]:
    """The roles a user holds, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    if getattr(user, ROLE_CACHE, None) is None:
        prime_user_caches(user, group_names=user.groups.values_list("name", flat=True))
    return getattr(user, ROLE_CACHE)


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


# The office's staff (everyone but a court's or an association's mediator), and those of them who write:
# register visits and calls, run the mediation workstation's paperwork.
OFFICE_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.REVIEWER, Role.ADMINISTRATOR)
OFFICE_WRITE_ROLES = (Role.CLERK, Role.SUPERVISOR)


def is_office_user(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, *OFFICE_ROLES))


def is_mediator_only(user) -> bool:
    """A mediator from the court or an association: sees only their own mediation cases, no office records."""
    return not user.is_superuser and has_role(user, Role.MEDIATOR) and not has_role(user, *OFFICE_ROLES)


def can_register(user) -> bool:
    """Clerks and supervisors of a unit register visits, calls and letters; reviewers and mediators do not."""
    return bool(user.is_authenticated and user.org_id and (user.is_superuser or has_role(user, *OFFICE_WRITE_ROLES)))
