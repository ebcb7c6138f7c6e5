from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.models import Notification, Task


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    """Read-only here: tasks are assigned and completed on the task pages, which keep their deadlines in step."""

    list_display = ["title", "org", "owner", "backup", "due_on", "recurrence", "status", "done_on"]
    list_filter = ["status", "recurrence", "org"]
    search_fields = ["title"]
    date_hierarchy = "due_on"
    list_select_related = ["org", "owner", "backup"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username", "recipient__name"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
