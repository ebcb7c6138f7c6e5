from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Brand,
    Campaign,
    Event,
    EventPhoto,
    GridCell,
    MediaAward,
    MediaWork,
    TargetGroup,
    Topic,
    TrainingSeries,
    TrainingSession,
    VenueType,
)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "is_active"]
    search_fields = ["name"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "brand", "sort_order", "is_active"]
    list_filter = ["kind", "brand", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]


@admin.register(Topic, TargetGroup, VenueType)
class SimpleReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]


@admin.register(TrainingSeries)
class TrainingSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "audience", "is_active"]
    list_filter = ["audience", "is_active"]


class GridChildInline(admin.TabularInline):
    model = GridCell
    fk_name = "parent"
    fields = ["kind", "name", "officer", "officer_phone", "sort_order", "is_active"]
    extra = 1


@admin.register(GridCell)
class GridCellAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "org", "officer", "officer_phone", "is_active"]
    list_filter = ["org", "kind", "is_active"]
    search_fields = ["name", "officer", "parent__name"]
    autocomplete_fields = ["parent"]
    inlines = [GridChildInline]

    def save_formset(self, request, form, formset, change):
        # Villages entered under a town belong to the town's unit.
        for instance in formset.save(commit=False):
            instance.org = form.instance.org
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


class RecordAdmin(SimpleHistoryAdmin):
    """Records are written through the outreach pages (services check dates, counts and photos); the admin
    only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventPhotoInline(admin.TabularInline):
    model = EventPhoto
    fields = ["original_name", "caption", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Event)
class EventAdmin(RecordAdmin):
    list_display = ["title", "held_on", "campaign", "grid_cell", "venue_type", "participants", "online_reach", "org"]
    list_filter = ["org", "campaign", "venue_type", "is_major"]
    search_fields = ["title", "venue"]
    date_hierarchy = "held_on"
    readonly_fields = ["created_by", "created_at"]
    inlines = [EventPhotoInline]


class MediaAwardInline(admin.TabularInline):
    model = MediaAward
    extra = 0
    can_delete = False


@admin.register(MediaWork)
class MediaWorkAdmin(RecordAdmin):
    list_display = ["title", "kind", "published_on", "channel", "views", "org"]
    list_filter = ["org", "kind"]
    search_fields = ["title", "channel"]
    inlines = [MediaAwardInline]


@admin.register(TrainingSession)
class TrainingSessionAdmin(RecordAdmin):
    list_display = ["topic", "held_on", "audience", "series", "speaker", "org"]
    list_filter = ["org", "audience", "series"]
    search_fields = ["topic", "speaker"]
