from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from institutions.models import Institution


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "full_name", "type", "entity_kind", "org", "outlets", "customers", "is_active"]
    list_filter = ["org", "type", "entity_kind", "is_active"]
    search_fields = ["short_name", "full_name", "contact_person"]
    autocomplete_fields = ["parent", "org"]
    list_select_related = ["type", "org"]
