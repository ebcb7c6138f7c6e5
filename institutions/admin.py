from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from institutions.models import (
    Institution,
    Interview,
    InterviewTriggerRule,
    ListSuggestionRule,
    QuarterlyList,
    RectificationItem,
    Survey,
    SurveyFinding,
)


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "full_name", "type", "entity_kind", "org", "outlets", "customers", "is_active"]
    list_filter = ["org", "type", "entity_kind", "is_active"]
    search_fields = ["short_name", "full_name", "contact_person", "address"]
    autocomplete_fields = ["parent", "org"]
    list_select_related = ["type", "org"]
    # The change list links to the Excel import (templates/admin/institutions/institution/change_list.html).


@admin.register(InterviewTriggerRule)
class InterviewTriggerRuleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "threshold", "minimum_base", "active"]
    list_editable = ["threshold", "minimum_base", "active"]
    list_filter = ["kind", "active"]


@admin.register(ListSuggestionRule)
class ListSuggestionRuleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "polarity", "element", "kind", "threshold", "minimum_base", "active"]
    list_editable = ["threshold", "minimum_base", "active"]
    list_filter = ["polarity", "element", "active"]


class ReadOnlyWorkflowAdmin(SimpleHistoryAdmin):
    """Workflow records change only through their services (guards, deadlines, audit): the admin reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RectificationInline(admin.TabularInline):
    model = RectificationItem
    extra = 0
    can_delete = False
    readonly_fields = ["description", "due_on", "completed_on", "evidence_note"]


@admin.register(Interview)
class InterviewAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["institution", "org", "status", "source", "trigger_period", "scheduled_at", "owner"]
    list_filter = ["status", "source", "org"]
    search_fields = ["institution__short_name", "institution__full_name"]
    list_select_related = ["institution", "org", "owner"]
    inlines = [RectificationInline]


@admin.register(QuarterlyList)
class QuarterlyListAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["org", "year", "quarter", "version", "status", "approved_by", "frozen_at"]
    list_filter = ["status", "org", "year", "quarter"]
    list_select_related = ["org", "approved_by"]
    exclude = ["snapshot"]


class FindingInline(admin.TabularInline):
    model = SurveyFinding
    extra = 0
    can_delete = False
    readonly_fields = ["institution", "element", "description", "suggestion", "follow_up_due_on", "follow_up_done_on"]


@admin.register(Survey)
class SurveyAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["title", "org", "theme", "started_on", "status"]
    list_filter = ["status", "org"]
    search_fields = ["title", "theme"]
    inlines = [FindingInline]
    verbose_name = _("专项调研")
