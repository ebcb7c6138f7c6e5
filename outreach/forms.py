import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import scope, within_org_q
from core.filtersets import LightFilterSet
from core.models import OrgUnit, User
from core.params import MAX_YEAR, MIN_YEAR, BoundedDateField, BoundedDateFilter

from .models import (
    Campaign,
    Event,
    GridCell,
    MediaAward,
    MediaWork,
    TargetGroup,
    Topic,
    TrainingSession,
    VenueType,
)
from .photos import photo_max_bytes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one field; each is checked by the service (size, type, decodes as an image)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/gif"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _no_negative(field):
    # The browser's own check would stop a negative number without saying why; the server says it in words.
    field.widget.attrs.pop("min", None)
    field.error_messages["min_value"] = _("%(label)s不能为负数。") % {"label": field.label}


def _institutions_for(user):
    from institutions.models import Institution

    return scope(Institution.objects.active(), user).order_by("short_name")


def _staff_for(user):
    return scope(User.objects.filter(is_active=True), user).order_by("org__path", "username")


def _cells_for(user):
    return scope(GridCell.objects.active(), user).select_related("parent").order_by("sort_order", "name")


class EventForm(forms.ModelForm):
    photos = MultipleImageField(label=_("活动照片"))

    class Meta:
        model = Event
        fields = [
            "title",
            "brand",
            "campaign",
            "is_major",
            "held_on",
            "starts_at",
            "ends_at",
            "grid_cell",
            "grid_officer",
            "venue_type",
            "venue",
            "organisers",
            "partners",
            "other_partners",
            "target_groups",
            "topics",
            "participants",
            "materials_handed_out",
            "online_reach",
            "questions_answered",
            "staff_present",
            "summary",
        ]
        widgets = {
            "held_on": DATE,
            "starts_at": TIME,
            "ends_at": TIME,
            "target_groups": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"grid_officer": _("留空则取网格登记的网格员。")}

    def __init__(self, *args, user, with_photos=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid_cell"].queryset = _cells_for(user)
        self.fields["campaign"].queryset = Campaign.objects.filter(is_active=True)
        self.fields["venue_type"].queryset = VenueType.objects.filter(is_active=True)
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(is_active=True)
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)
        self.fields["organisers"].queryset = _institutions_for(user)
        self.fields["partners"].queryset = _institutions_for(user)
        self.fields["staff_present"].queryset = _staff_for(user)
        for name in ("participants", "materials_handed_out", "online_reach", "questions_answered"):
            _no_negative(self.fields[name])
        if with_photos:
            self.fields["photos"].help_text = _("可多选；JPG、PNG 或 GIF，每张不超过 %(size)s MB。") % {
                "size": photo_max_bytes() // (1024 * 1024)
            }
        else:
            del self.fields["photos"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("结束时间不能早于开始时间。"))
        return cleaned


class PhotoUploadForm(forms.Form):
    photos = MultipleImageField(label=_("照片"), required=True)
    caption = forms.CharField(label=_("说明"), max_length=120, required=False)


class MediaWorkForm(forms.ModelForm):
    url = forms.URLField(label=_("链接"), required=False, assume_scheme="https")

    class Meta:
        model = MediaWork
        fields = ["title", "kind", "published_on", "channel", "url", "views", "campaign", "topics", "summary"]
        widgets = {
            "published_on": DATE,
            "topics": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _no_negative(self.fields["views"])
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)


class MediaAwardForm(forms.ModelForm):
    class Meta:
        model = MediaAward
        fields = ["name", "level", "issuer", "awarded_on"]
        widgets = {"awarded_on": DATE}


class TrainingForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "audience",
            "series",
            "topic",
            "speaker",
            "held_on",
            "venue",
            "attendee_users",
            "attendee_institutions",
            "institution_attendees",
            "materials",
        ]
        widgets = {"held_on": DATE, "materials": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee_users"].queryset = _staff_for(user)
        self.fields["attendee_institutions"].queryset = _institutions_for(user)
        _no_negative(self.fields["institution_attendees"])


class PeriodForm(forms.Form):
    start = BoundedDateField(label=_("起始日期"), widget=DATE, required=False)
    end = BoundedDateField(label=_("截止日期"), widget=DATE, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period; by default the current year to date."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or dt.date(today.year, 1, 1)
        end = data.get("end") or dt.date(start.year, 12, 31)
        return start, end


class EventFilter(LightFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q")
    # Bounded: year 0 or 99999999999999999999 would fail in the date arithmetic of the year lookup.
    year = django_filters.NumberFilter(
        label=_("年度"),
        field_name="held_on",
        lookup_expr="year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        decimal_places=0,
    )
    campaign = django_filters.ModelChoiceFilter(label=_("活动类别"), queryset=Campaign.objects.all())
    town = django_filters.ModelChoiceFilter(label=_("镇街"), queryset=GridCell.objects.none(), method="filter_town")
    venue_type = django_filters.ModelChoiceFilter(label=_("场所类型"), queryset=VenueType.objects.all())
    topic = django_filters.ModelChoiceFilter(label=_("宣传主题"), field_name="topics", queryset=Topic.objects.all())
    target_group = django_filters.ModelChoiceFilter(
        label=_("宣传对象"), field_name="target_groups", queryset=TargetGroup.objects.all()
    )

    # The statistics reports link here with these (docs/domain.md, "信访投诉统计").
    held_from = BoundedDateFilter(label=_("活动日期自"), field_name="held_on", lookup_expr="gte", widget=DATE)
    held_to = BoundedDateFilter(label=_("活动日期至"), field_name="held_on", lookup_expr="lte", widget=DATE)
    org = django_filters.NumberFilter(method="filter_org", widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = Event
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = scope(GridCell.objects.towns(), user).order_by("sort_order", "name")

    def filter_q(self, queryset, name, value):
        return queryset.filter(title__icontains=value) if value else queryset

    def filter_org(self, queryset, name, value):
        org = OrgUnit.objects.filter(pk=int(value)).first()
        return queryset.filter(within_org_q(org)) if org is not None else queryset.none()

    def filter_town(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(grid_cell__in=GridCell.objects.filter(pk=value.pk) | value.children.all())
