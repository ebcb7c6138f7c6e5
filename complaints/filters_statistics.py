"""The ledger's filters behind the quarterly statistics (docs/domain.md, "信访投诉统计").

Every figure of a statistics report links to the ledger filtered to exactly the cases it counts; these filters are
the vocabulary of those links. They are hidden inputs on the ledger page (the visible filters stay short) and the
page names them above the list. The parameter names are a contract, as in complaints/filters.py.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from complaints.models import PetitionReview
from complaints.models.choices import Closure, PetitionKind, Satisfaction
from core.filtersets import LightFilterSet
from core.params import BoundedDateFilter

# The value of a category filter that selects the cases without one (未填写).
NONE = "none"
# 办结 as the statistics count it: closures other than 重复件 (a repeat is counted once, on its first case).
TIMELY_CHOICES = [
    ("all", _("办结（不含重复件）")),
    ("on_time", _("按时办结")),
    ("late", _("超期办结")),
]
NOT_FOLLOWED_UP = "none"
SATISFACTION_CHOICES = [*Satisfaction.choices, (NOT_FOLLOWED_UP, _("未回访"))]
REVIEW_CHOICES = PetitionReview.Kind.choices


def _row_id(value: str) -> int | None:
    """A category or type id from a link, or None when it is not one a database can hold (a 64-bit integer)."""
    return int(value) if value.isdigit() and int(value) < 2**63 else None


def _hidden_date(label):
    return BoundedDateFilter(label=label, method="filter_nothing", widget=forms.HiddenInput)


class StatisticsFilters(LightFilterSet):
    """Mixed into LedgerFilter. `self.scope` (the ledger scope) limits `org` to the units the user sees."""

    org = django_filters.NumberFilter(label=_("单位（含下级）"), method="filter_org", widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(
        label=_("信访类别"), field_name="petition_kind", choices=PetitionKind.choices, widget=forms.HiddenInput
    )
    business = django_filters.CharFilter(label=_("业务类别"), method="filter_category", widget=forms.HiddenInput)
    cause = django_filters.CharFilter(label=_("投诉原因"), method="filter_category", widget=forms.HiddenInput)
    institution_type = django_filters.CharFilter(
        label=_("机构类型"), method="filter_institution_type", widget=forms.HiddenInput
    )
    group = django_filters.ChoiceFilter(
        label=_("群体件"), choices=[("1", _("是"))], method="filter_group", widget=forms.HiddenInput
    )
    closed_from = BoundedDateFilter(
        label=_("办结日期自"), field_name="closed_at", lookup_expr="date__gte", widget=forms.HiddenInput
    )
    closed_to = BoundedDateFilter(
        label=_("办结日期至"), field_name="closed_at", lookup_expr="date__lte", widget=forms.HiddenInput
    )
    timely = django_filters.ChoiceFilter(
        label=_("办结情况"), choices=TIMELY_CHOICES, method="filter_timely", widget=forms.HiddenInput
    )
    satisfaction = django_filters.ChoiceFilter(
        label=_("回访满意度"), choices=SATISFACTION_CHOICES, method="filter_satisfaction", widget=forms.HiddenInput
    )
    closure = django_filters.ChoiceFilter(label=_("办结方式"), choices=Closure.choices, widget=forms.HiddenInput)
    forwarded_from = BoundedDateFilter(
        label=_("转办日期自"), field_name="forwarding__forwarded_on", lookup_expr="gte", widget=forms.HiddenInput
    )
    forwarded_until = BoundedDateFilter(
        label=_("转办日期至"), field_name="forwarding__forwarded_on", lookup_expr="lte", widget=forms.HiddenInput
    )
    review = django_filters.ChoiceFilter(
        label=_("复查/复核"), choices=REVIEW_CHOICES, method="filter_review", widget=forms.HiddenInput
    )
    review_decision = django_filters.ChoiceFilter(
        label=_("复查/复核决定"),
        choices=PetitionReview.Decision.choices,
        method="filter_nothing",
        widget=forms.HiddenInput,
    )
    review_from = _hidden_date(_("复查/复核日期自"))
    review_to = _hidden_date(_("复查/复核日期至"))
    transferred_from = BoundedDateFilter(
        label=_("转送日期自"), field_name="transfer__transferred_on", lookup_expr="gte", widget=forms.HiddenInput
    )
    transferred_to = BoundedDateFilter(
        label=_("转送日期至"), field_name="transfer__transferred_on", lookup_expr="lte", widget=forms.HiddenInput
    )
    transfer_acknowledged = django_filters.ChoiceFilter(
        label=_("接收机关已签收"),
        choices=[("1", _("是"))],
        method="filter_transfer_acknowledged",
        widget=forms.HiddenInput,
    )

    STATISTICS_FIELDS = (
        "org",
        "kind",
        "business",
        "cause",
        "institution_type",
        "group",
        "closed_from",
        "closed_to",
        "timely",
        "satisfaction",
        "closure",
        "forwarded_from",
        "forwarded_until",
        "review",
        "review_decision",
        "review_from",
        "review_to",
        "transferred_from",
        "transferred_to",
        "transfer_acknowledged",
    )

    def filter_nothing(self, queryset, name, value):
        # Read by filter_review: the review's decision and a date range of the review, not of the case.
        return queryset

    def filter_org(self, queryset, name, value):
        orgs = self.scope.orgs
        if int(value) not in orgs:
            return queryset.none()
        path = orgs[int(value)][2]
        return queryset.filter(org_id__in=[pk for pk, (_n, _s, p) in orgs.items() if p.startswith(path)])

    def filter_category(self, queryset, name, value):
        if value == NONE:
            return queryset.filter(**{f"{name}__isnull": True})
        if _row_id(value) is None:
            return queryset.none()
        return queryset.filter(**{f"{name}_id": _row_id(value)})

    def filter_institution_type(self, queryset, name, value):
        if value == NONE:
            return queryset.filter(institution__isnull=True)
        if _row_id(value) is None:
            return queryset.none()
        return queryset.filter(institution__type_id=_row_id(value))

    def filter_group(self, queryset, name, value):
        return queryset.filter(group_size__gt=1)

    def filter_timely(self, queryset, name, value):
        counted = queryset.filter(status="closed").exclude(closure=Closure.DUPLICATE)
        if value == "on_time":
            return counted.filter(~Q(closed_on_time=False))
        if value == "late":
            return counted.filter(closed_on_time=False)
        return counted

    def filter_satisfaction(self, queryset, name, value):
        return queryset.filter(satisfaction="" if value == NOT_FOLLOWED_UP else value)

    def filter_review(self, queryset, name, value):
        """Cases with a 复查/复核 of kind `value` requested in the range, or, with `review_decision`, decided so in
        the range (docs/domain.md, "信访投诉统计")."""
        reviews = PetitionReview.objects.filter(case=OuterRef("pk"), kind=value)
        decision = self.form.cleaned_data.get("review_decision")
        on = "requested_on"
        if decision:
            reviews, on = reviews.filter(decision=decision), "decided_on"
        start, end = self.form.cleaned_data.get("review_from"), self.form.cleaned_data.get("review_to")
        if start:
            reviews = reviews.filter(**{f"{on}__gte": start})
        if end:
            reviews = reviews.filter(**{f"{on}__lte": end})
        return queryset.filter(Exists(reviews))

    def filter_transfer_acknowledged(self, queryset, name, value):
        return queryset.filter(transfer__acknowledged_on__isnull=False)

    def org_name(self, value) -> str:
        name, short_name, _path = self.scope.orgs.get(int(value), ("", "", ""))
        return short_name or name or str(int(value))

    def statistics_filters_text(self) -> str:
        """The hidden filters in words, shown above the ledger when a statistics link opened it."""
        if not self.is_bound or not self.form.is_valid():
            return ""
        parts = []
        for name in self.STATISTICS_FIELDS:
            value = self.form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            if name == "org":
                text = self.org_name(value)
            elif hasattr(field, "choices"):
                text = dict((str(key), label) for key, label in field.choices).get(str(value), value)
            else:
                text = str(value)
            parts.append(f"{field.label}：{text}")
        return "；".join(parts)
