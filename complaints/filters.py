"""The ledger's filters. The query parameter names are a contract: other apps link to the ledger with them."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.filters_statistics import StatisticsFilters
from complaints.models.choices import OPEN_STATUSES, CaseStatus, CaseType, Channel, Finding
from complaints.search import bigram_frequencies, search_count, search_filter, search_is_broad
from complaints.selectors import DEFAULT_SORT, LEDGER_SORTS, filter_acting, filter_repeat
from core.params import BoundedDateFilter
from core.personal import mask_search_terms
from core.widgets import FastSelect
from core.workcalendar import CalendarMissingError

OPEN = "open"
STATUS_CHOICES = [(OPEN, _("未办结（全部）")), *CaseStatus.choices]
SORT_CHOICES = [
    ("-received", _("接收时间（新→旧）")),
    ("received", _("接收时间（旧→新）")),
    ("due", _("期限（近→远）")),
    ("-due", _("期限（远→近）")),
    ("number", _("编号（升序）")),
    ("-number", _("编号（降序）")),
    ("-closed", _("办结时间（新→旧）")),
    ("closed", _("办结时间（旧→新）")),
    ("status", _("状态")),
]
YES = [("1", _("是"))]
# A filter's cleaned value that filters nothing.
EMPTY = (None, "", [], ())
# The leading option of every filter select: a blank value, which means "no filter". Without it a select
# submits its first real choice (the first institution, the first handler) and silently filters on it.
ALL = _("全部")
# "substantiated" groups 查实 and 部分查实, as the complaint ranking counts them.
SUBSTANTIATED = "substantiated_any"
FINDING_CHOICES = [(SUBSTANTIATED, _("查实或部分查实")), *Finding.choices]


class LedgerFilter(StatisticsFilters):
    """Filters over a LedgerScope's cases; institution and handler choices come from the scope (no query)."""

    q = django_filters.CharFilter(label=_("检索"), method="filter_q")
    type = django_filters.ChoiceFilter(
        label=_("类型"), field_name="case_type", choices=CaseType.choices, empty_label=ALL
    )
    channel = django_filters.ChoiceFilter(label=_("来源渠道"), choices=Channel.choices, empty_label=ALL)
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATUS_CHOICES, method="filter_status", empty_label=ALL
    )
    institution = django_filters.TypedChoiceFilter(label=_("涉及机构"), coerce=int, field_name="institution_id")
    handler = django_filters.TypedChoiceFilter(label=_("承办人（A/B岗）"), coerce=int, method="filter_handler")
    acting = django_filters.TypedChoiceFilter(label=_("今日实际办理人"), coerce=int, method="filter_acting")
    received_from = BoundedDateFilter(
        label=_("接收日期自"),
        field_name="received_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = BoundedDateFilter(
        label=_("接收日期至"),
        field_name="received_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.ChoiceFilter(label=_("已超期"), choices=YES, method="filter_overdue", empty_label=ALL)
    # Open cases whose clock is paused (暂停): what the dashboard's 暂停 bucket links to.
    paused = django_filters.ChoiceFilter(label=_("暂停计时"), choices=YES, method="filter_paused", empty_label=ALL)
    # Open cases whose current deadline is provisional (暂定): computed over a calendar year not yet verified.
    provisional = django_filters.ChoiceFilter(
        label=_("期限暂定"), choices=YES, method="filter_provisional", empty_label=ALL
    )
    due_within = django_filters.NumberFilter(
        label=_("N个工作日内到期"), method="filter_due_within", min_value=0, max_value=365
    )
    # Open cases whose current deadline falls in a date range: what the dashboard's buckets link to.
    due_from = BoundedDateFilter(
        label=_("期限自"), method="filter_due_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = BoundedDateFilter(
        label=_("期限至"), method="filter_due_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    repeat = django_filters.ChoiceFilter(label=_("重复件"), choices=YES, method="filter_repeat", empty_label=ALL)
    forwarded_to = django_filters.TypedChoiceFilter(
        label=_("转办机构"), coerce=int, field_name="forwarding__institution_id"
    )
    replied_late = django_filters.ChoiceFilter(
        label=_("机构超期反馈"), choices=YES, method="filter_replied_late", empty_label=ALL
    )
    finding = django_filters.ChoiceFilter(
        label=_("举报查实情况"), choices=FINDING_CHOICES, method="filter_finding", empty_label=ALL
    )
    # Cases brought in from the office's old Excel ledgers (docs/domain.md, "历史台账导入").
    historical = django_filters.ChoiceFilter(
        label=_("历史导入"), choices=YES, method="filter_historical", empty_label=ALL
    )
    sort = django_filters.ChoiceFilter(label=_("排序"), choices=SORT_CHOICES, method="filter_sort", empty_label=None)

    class Meta:
        fields: list[str] = []

    def __init__(self, data=None, *args, scope, calendar_getter=None, today=None, **kwargs):
        self.scope = scope
        self.today = today or timezone.localdate()
        # The work calendar is loaded only when the due_within filter needs it.
        self.calendar_getter = calendar_getter
        self.calendar_error = ""
        self.broad_search = False  # set by filter_q: the ledger then counts only up to a limit
        self._frequencies: dict[str, float] | None = None  # the search's statistics, read once a request
        super().__init__(data, *args, queryset=scope.cases(), **kwargs)
        # TypedChoiceFilter (unlike ChoiceFilter) adds no blank choice of its own.
        institutions = [("", ALL), *scope.institutions]
        staff = [("", ALL), *scope.staff]
        self.filters["institution"].extra["choices"] = institutions
        self.filters["forwarded_to"].extra["choices"] = institutions
        self.filters["handler"].extra["choices"] = staff
        self.filters["acting"].extra["choices"] = staff
        for name, form_field in self.form.fields.items():
            if type(form_field.widget) is forms.Select:
                # Rendered in Python: the scope's institutions and staff make these selects long.
                form_field.widget = FastSelect(attrs=form_field.widget.attrs, choices=form_field.choices)
            css = (
                "form-select form-select-sm"
                if isinstance(form_field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            form_field.widget.attrs.setdefault("class", css)
            if name == "q":
                form_field.widget.attrs.setdefault("placeholder", _("编号、姓名、摘要或内容，至少两个字"))

    def _narrowing(self) -> set[str]:
        """The filters (the sort aside) that narrow the ledger: none for an unbound or invalid form."""
        if not self.is_bound or not self.form.is_valid():
            return set()
        return {name for name, value in self.form.cleaned_data.items() if name != "sort" and value not in EMPTY}

    @property
    def is_filtered(self) -> bool:
        """Whether any filter (the sort aside) narrows the ledger."""
        return bool(self._narrowing())

    @property
    def is_unfiltered(self) -> bool:
        """Whether the ledger shows every case of its scope (no filter, or only a sort): its total is then known
        without counting (LedgerScope.case_total)."""
        if not self.is_bound:
            return True
        return self.form.is_valid() and not self.is_filtered

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*LEDGER_SORTS[DEFAULT_SORT])
        return queryset

    @property
    def search_only(self) -> bool:
        """Whether the search box is the only filter (the sort aside)."""
        return self._narrowing() == {"q"}

    def search_count(self):
        """What to count for the ledger's total instead of the filtered cases, when cheaper: a broad search alone
        is counted on the search text (complaints.search.search_count). None: count the cases."""
        if not (self.broad_search and self.search_only):
            return None
        org_ids = None if self.scope.all_orgs else self.scope.org_ids
        return search_count(self.form.cleaned_data["q"], org_ids, self._search_frequencies())

    def _search_frequencies(self) -> dict[str, float]:
        if self._frequencies is None:
            self._frequencies = bigram_frequencies()
        return self._frequencies

    def filter_q(self, queryset, name, value):
        self.broad_search = search_is_broad(value, self._search_frequencies())
        return search_filter(queryset, value, self._search_frequencies())

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_handler(self, queryset, name, value):
        return queryset.filter(Q(owner_id=value) | Q(backup_id=value))

    def filter_acting(self, queryset, name, value):
        return filter_acting(queryset, value, self.today)

    def filter_provisional(self, queryset, name, value):
        return queryset.open().filter(due_provisional=True) if value == "1" else queryset

    def filter_paused(self, queryset, name, value):
        return queryset.paused() if value == "1" else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.today) if value == "1" else queryset

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        try:
            last_day = self.calendar_getter().add_days(self.today, int(value), "working")
        except CalendarMissingError as exc:
            # Never guess a due date over a year without calendar data: say so and show nothing.
            self.calendar_error = str(exc)
            return queryset.none()
        return queryset.due_by(last_day)

    def filter_due_from(self, queryset, name, value):
        return queryset.open().filter(due_on__gte=value, clock_paused=False)

    def filter_due_to(self, queryset, name, value):
        return queryset.open().filter(due_on__lte=value, clock_paused=False)

    def filter_repeat(self, queryset, name, value):
        return filter_repeat(queryset) if value == "1" else queryset

    def filter_replied_late(self, queryset, name, value):
        return queryset.filter(forwarding__replied_late=True) if value == "1" else queryset

    def filter_finding(self, queryset, name, value):
        if value == SUBSTANTIATED:
            return queryset.filter(finding__in=(Finding.SUBSTANTIATED, Finding.PARTLY))
        return queryset.filter(finding=value)

    def filter_historical(self, queryset, name, value):
        return queryset.filter(is_historical=True) if value == "1" else queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*LEDGER_SORTS.get(value, LEDGER_SORTS[DEFAULT_SORT]))

    def describe(self) -> str:
        """The active filters in words (类型：信访；接收日期自：2026-01-01), for the title rows of an export.

        Only the fields with a value are looked at, so no choice list is loaded that validation did not load.
        """
        if not self.is_bound or not self.form.is_valid():
            return ""
        parts = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "") or name == "sort":
                continue
            field = self.form.fields[name]
            if name == "q":
                # A term may be a name or a phone number: masked in an export's title (core.personal).
                text = mask_search_terms(str(value))
            elif name == "org":
                text = self.org_name(value)
            elif hasattr(field, "choices"):
                text = dict((str(key), label) for key, label in field.choices).get(str(value), value)
            elif hasattr(value, "isoformat"):
                text = value.isoformat()
            else:
                text = value
            parts.append(f"{field.label}：{text}")
        return "；".join(parts)

    def active_filters(self) -> dict[str, str]:
        """The non-empty, valid filter values as strings (stored with an export, shown on its page)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {
            key: str(value.isoformat() if hasattr(value, "isoformat") else value)
            for key, value in self.form.cleaned_data.items()
            if value not in (None, "")
        }
