"""Permissions in Chinese in the admin: Django stores their names in English ("Can add case"); the group and user
forms show "模块 | 模型 | 可新增" instead, built from the codename and the model's own (translated) names."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from core.admin_security import PermissionChangeLogMixin

ACTIONS = {"add": _("可新增"), "change": _("可修改"), "delete": _("可删除"), "view": _("可查看")}


def permission_label(permission: Permission) -> str:
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    app = model._meta.app_config.verbose_name
    # django-simple-history names its history models "historical …" in English: name them after their model.
    tracked = getattr(model, "instance_type", None)
    subject = (
        _("%(model)s（历史记录）") % {"model": tracked._meta.verbose_name} if tracked else model._meta.verbose_name
    )
    if action in ACTIONS and model_name == model._meta.model_name:
        return f"{app} | {subject} | {ACTIONS[action]}"
    return f"{app} | {subject} | {permission.name}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class ChinesePermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs.setdefault("form_class", PermissionChoiceField)
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionChangeLogMixin, ChinesePermissionsMixin, DjangoGroupAdmin):
    pass
