"""三员分立 and the security audit in the admin (README 安全).

- Accounts (who exists, their name, unit, post, contact, active or not, password) are the 系统管理员's; roles
  (groups, staff access) are the 安全管理员's; `is_superuser` only a superuser's. No person holds two of the
  three administrator roles, and nobody changes their own roles.
- The audit log and its archive register are read by the 审计管理员 only — not by a superuser who lacks the role.
- Every admin change is written to the audit log: Django's admin records each addition, change and single
  deletion as a LogEntry (core.admin.added/changed/deleted from its post_save here), and the bulk "delete
  selected" action, which Django records without signals, is wrapped to log each deleted row.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from core.models import AuditArchive, AuditEntry
from core.roles import GROUP_NAMES, SEPARATED_ROLES, Role, has_role
from core.services.audit import log_action

ACCOUNT_FIELDS = ("username", "name", "org", "post", "backup", "phone", "email", "is_active")
ROLE_FIELDS = ("is_staff", "groups")
ADMIN_ACTIONS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


def manages_accounts(user) -> bool:
    return user.is_superuser or user.has_perm("core.add_user")


def assigns_roles(user) -> bool:
    return user.is_superuser or user.has_perm("auth.change_group")


def reads_audit_log(user) -> bool:
    """The 审计管理员 alone; a superuser without the role does not (the superuser is for installation only)."""
    return user.is_active and has_role(user, Role.AUDIT_ADMIN) and user.has_perm("core.view_auditentry")


def check_separation(groups) -> None:
    separated = {GROUP_NAMES[role] for role in SEPARATED_ROLES}
    held = sorted(separated & {group.name for group in groups})
    if len(held) > 1:
        raise ValidationError(
            _("三员分立：系统管理员、安全管理员、审计管理员须由不同人员担任，不能同时授予%(roles)s。")
            % {"roles": "、".join(held)}
        )


class SeparationOfDutiesUserMixin:
    """For core.admin.UserAdmin: each administrator edits only their part of a person's record."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        if obj is not None:
            if not manages_accounts(request.user):
                fields.extend(ACCOUNT_FIELDS)
            if not assigns_roles(request.user):
                fields.extend(ROLE_FIELDS)
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "groups" not in form.base_fields:
            return form
        actor = request.user

        class RoleCheckedForm(form):
            def clean_groups(self):
                groups = self.cleaned_data["groups"]
                check_separation(groups)
                if obj is not None and obj.pk == actor.pk and set(groups) != set(obj.groups.all()):
                    raise ValidationError(_("不能修改自己的角色，请由另一位安全管理员办理。"))
                return groups

        return RoleCheckedForm

    def user_change_password(self, request, id, form_url=""):
        if not manages_accounts(request.user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = set(user.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(user.groups.values_list("name", flat=True))
        if before != after:
            log_action(
                actor=request.user,
                action="core.user.roles_changed",
                target=user,
                request=request,
                added=sorted(after - before),
                removed=sorted(before - after),
            )


class PermissionChangeLogMixin:
    """For the group admin: a change of a group's permissions is a security event of its own."""

    def save_related(self, request, form, formsets, change):
        group = form.instance
        before = set(group.permissions.values_list("codename", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(group.permissions.values_list("codename", flat=True))
        if before != after:
            log_action(
                actor=request.user,
                action="core.group.permissions_changed",
                target=group,
                request=request,
                group=group.name,
                added=sorted(after - before),
                removed=sorted(before - after),
            )


class AuditReadOnlyAdmin(admin.ModelAdmin):
    """Read-only, and only for the 审计管理员."""

    def has_module_permission(self, request):
        return reads_audit_log(request.user)

    def has_view_permission(self, request, obj=None):
        return reads_audit_log(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditReadOnlyAdmin):
    list_display = ["sequence", "created_at", "actor", "org", "action", "target_type", "target_id", "ip_address"]
    list_filter = ["action", "org"]
    search_fields = ["action", "actor__name", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "org", "content_type"]
    # The generic relation's two columns have no words of their own on the model: name them here.
    fields = [
        "sequence",
        "created_at",
        "actor",
        "org",
        "action",
        "target_type",
        "target_id",
        "ip_address",
        "data",
        "prev_hash",
        "entry_hash",
    ]
    readonly_fields = fields

    @admin.display(description=_("对象类型"))
    def target_type(self, entry):
        return entry.content_type.model_class()._meta.verbose_name if entry.content_type_id else "—"

    @admin.display(description=_("对象编号"))
    def target_id(self, entry):
        return entry.object_id if entry.object_id is not None else "—"


@admin.register(AuditArchive)
class AuditArchiveAdmin(AuditReadOnlyAdmin):
    list_display = ["file_name", "first_sequence", "last_sequence", "entry_count", "oldest_at", "newest_at"]
    readonly_fields = [field.name for field in AuditArchive._meta.fields]


# --- Admin changes into the audit log ----------------------------------------------------------------


@receiver(post_save, sender=LogEntry, dispatch_uid="core.admin_change_audited")
def audit_admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created or instance.action_flag not in ADMIN_ACTIONS:
        return
    try:
        changes = json.loads(instance.change_message or "[]")
    except ValueError:
        changes = []
    content_type = instance.content_type
    log_action(
        actor=instance.user,
        action=f"core.admin.{ADMIN_ACTIONS[instance.action_flag]}",
        # The field names changed, never their values (which may be personal data).
        model=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=str(instance.object_id),
        changes=changes if isinstance(changes, list) else [],
    )


@admin.action(permissions=["delete"], description=delete_selected.short_description)
def delete_selected_audited(modeladmin, request, queryset):
    """Django's "delete selected" (confirmation page, then the deletion), with each deleted row logged."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    response = delete_selected(modeladmin, request, queryset)
    if len(ids) == 1:
        return response  # Django saves a single LogEntry one by one: audit_admin_change has logged it.
    gone = set(ids) - set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
    for pk in sorted(gone):
        log_action(
            actor=request.user,
            action="core.admin.deleted",
            request=request,
            model=model._meta.label_lower,
            object_id=str(pk),
            changes=[],
        )
    return response


admin.site.disable_action("delete_selected")
admin.site.add_action(delete_selected_audited, "delete_selected")
