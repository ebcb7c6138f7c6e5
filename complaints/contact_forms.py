"""The visit and call records page's filters and the correction form."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import visible_orgs
from core.filtersets import LightFilterSet
from core.params import BoundedDateFilter
from institutions.models import Institution

from .contact_selectors import local_day_bounds
from .models import Contact
from .models.choices import Channel

ALL = _("全部")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactFilter(LightFilterSet):
    """Search (summary, name, reference number) and filters; every select leads with a blank "全部"."""

    q = django_filters.CharFilter(label=_("检索"), method="filter_q")
    received_from = BoundedDateFilter(label=_("接收日期自"), method="filter_received_from", widget=DATE)
    received_to = BoundedDateFilter(label=_("接收日期至"), method="filter_received_to", widget=DATE)
    channel = django_filters.ChoiceFilter(label=_("来源渠道"), choices=Channel.choices, empty_label=ALL)
    outcome = django_filters.ChoiceFilter(label=_("处理结果"), choices=Contact.Outcome.choices, empty_label=ALL)
    handler = django_filters.TypedChoiceFilter(label=_("接待人"), coerce=int, field_name="received_by_id")

    class Meta:
        fields: list[str] = []

    def __init__(self, data=None, *args, queryset, handlers, **kwargs):
        super().__init__(data, *args, queryset=queryset, **kwargs)
        # TypedChoiceFilter adds no blank choice of its own: without one the form would filter on the first person.
        self.filters["handler"].extra["choices"] = [("", ALL), *handlers]
        for name, field in self.form.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
            if name == "q":
                field.widget.attrs.setdefault("placeholder", _("摘要、姓名或来文/工单编号"))

    def filter_q(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(summary__icontains=word) | Q(name__icontains=word) | Q(reference_no__icontains=word)
            )
        return queryset

    def filter_received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=local_day_bounds(value)[0])

    def filter_received_to(self, queryset, name, value):
        return queryset.filter(received_at__lt=local_day_bounds(value)[1])


class ContactCorrectionForm(forms.Form):
    """The fields a correction may change, the version the user saw and the reason, which goes into the history."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices)
    received_at = forms.DateTimeField(
        label=_("接收时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    reference_no = forms.CharField(label=_("来文/工单编号"), max_length=60, required=False)
    topic = forms.ChoiceField(label=_("事项类别"), choices=Contact.Topic.choices)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    is_anonymous = forms.BooleanField(label=_("匿名"), required=False)
    group_size = forms.IntegerField(label=_("人数"), min_value=1, max_value=9999)
    institution = forms.ModelChoiceField(label=_("涉及机构"), queryset=Institution.objects.none(), required=False)
    summary = forms.CharField(label=_("事项摘要"), max_length=200)
    content = forms.CharField(label=_("具体内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(
        label=_("更正说明"),
        max_length=200,
        help_text=_("写明更正了什么、为什么；记入变更历史。"),
    )

    def __init__(self, *args, contact: Contact, user, **kwargs):
        initial = {field: getattr(contact, field) for field in self.correctable(contact)}
        kwargs.setdefault("initial", {**initial, "institution": contact.institution_id, "version": contact.version})
        super().__init__(*args, **kwargs)
        # The active institutions of the visible units, and the one already recorded even if no longer active.
        active = Institution.objects.active().filter(org__in=visible_orgs(user))
        self.fields["institution"].queryset = Institution.objects.filter(
            Q(pk__in=active.values("pk")) | Q(pk=contact.institution_id)
        ).order_by("short_name")
        if contact.outcome != Contact.Outcome.ANSWERED:
            # Only an answer given on the spot is part of the record; a case's answer is on the case page.
            del self.fields["answer"]

    @staticmethod
    def correctable(contact: Contact) -> list[str]:
        from .services.contacts import CORRECTABLE

        return [f for f in CORRECTABLE if f != "answer" or contact.outcome == Contact.Outcome.ANSWERED]

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.fields if field not in ("version", "reason")}
