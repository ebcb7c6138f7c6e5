"""A FilterSet that copies its filters once a request, not twice deeply (docs/performance.md「筛选表单」).

django-filter deep-copies every declared filter for each FilterSet, and the form built from them deep-copies every
form field again; the ledger's filter set has some forty filters, with choice lists of the office's institutions
and staff, and the two copies were an eighth of a ledger page's time. Here each request's filters are shallow
copies of the declared ones with their own `extra` (where the per-request choices go) and no form field yet, so
the fields made from them are new for each request and the form takes them as they are.
"""

from __future__ import annotations

import copy

import django_filters
from django.http import QueryDict


def fresh_filter(declared):
    """A copy of a declared filter for one FilterSet: its own options, no field built yet, and — for a filter
    with a `method` — its own FilterMethod, which finds the method on the FilterSet this copy belongs to."""
    own = copy.copy(declared)
    own.extra = dict(declared.extra)
    vars(own).pop("_field", None)
    if declared.method is not None:
        own.method = declared.method
    return own


class _NewFields(dict):
    """The fields of a form class made for one FilterSet: new objects already, so a form needs no deep copy."""

    def __deepcopy__(self, memo):
        return dict(self)


class LightFilterSet(django_filters.FilterSet):
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django_filters.FilterSet.__init__ (django-filter 26.2, pinned), with fresh_filter in place of copy.deepcopy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: fresh_filter(declared) for name, declared in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.base_fields = _NewFields(form_class.base_fields)
        return form_class
