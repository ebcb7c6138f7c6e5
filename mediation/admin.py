from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_personal import MaskedPersonalDataAdmin
from core.roles import Role, has_role

from .models import MediationCase, Mediator, PartnerOrganisation


class MediatorInline(admin.TabularInline):
    model = Mediator
    extra = 0
    fields = ["name", "specialities", "contact_phone", "active", "user"]
    autocomplete_fields = ["user"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "org", "contact_person", "contact_phone", "active"]
    list_filter = ["kind", "active", "org"]
    search_fields = ["name", "contact_person"]
    inlines = [MediatorInline]


class MediatorAdminForm(forms.ModelForm):
    class Meta:
        model = Mediator
        fields = ["partner", "name", "specialities", "contact_phone", "active", "user"]

    def clean_user(self):
        user = self.cleaned_data.get("user")
        # A linked account must hold the mediator role, or it would see nothing (or, worse, the office's cases).
        if user is not None and not has_role(user, Role.MEDIATOR):
            raise forms.ValidationError(_("关联的账号需具有“调解员”角色。"))
        return user


@admin.register(Mediator)
class MediatorAdmin(SimpleHistoryAdmin):
    form = MediatorAdminForm
    list_display = ["name", "partner", "specialities", "contact_phone", "active", "user"]
    list_filter = ["partner__kind", "active", "partner"]
    search_fields = ["name", "specialities", "partner__name"]
    autocomplete_fields = ["user"]


@admin.register(MediationCase)
class MediationCaseAdmin(MaskedPersonalDataAdmin, SimpleHistoryAdmin):
    """Read-only in the admin: cases change only through the workstation's services. The applicant's ID, phone and
    address are left out, and masked in the change history (core/admin_personal.py)."""

    list_display = ["number", "source", "status", "outcome", "institution", "mediator", "received_on", "due_on"]
    list_filter = ["source", "status", "outcome", "org"]
    search_fields = ["number", "summary"]
    date_hierarchy = "received_on"
    exclude = ["applicant_id_number", "applicant_phone", "applicant_address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
