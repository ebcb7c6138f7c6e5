from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import StatisticsReport


@admin.register(StatisticsReport)
class StatisticsReportAdmin(SimpleHistoryAdmin):
    """Read-only: reports change only through their workflow (laizhou_xiaobao/statistics/services.py)."""

    list_display = ("org", "year", "quarter", "version", "status", "submitted_at")
    list_filter = ("status", "year", "quarter")
    readonly_fields = [field.name for field in StatisticsReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
