"""The ledger page's tags: its rows, and its filter fields drawn once per distinct form (docs/performance.md
「台账的筛选表单」)."""

from __future__ import annotations

from django import forms, template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import get_language

from complaints.ledger_columns import page_rows_html
from core.markup import Drawings

register = template.Library()

FILTER_FIELDS_TEMPLATE = "complaints/fragment_ledger_filter_fields.html"
# Drawn filter fields kept per process; emptied when full (a few offices × the filters people submit).
_drawn = Drawings(limit=256)


@register.simple_tag
def ledger_rows(lines):
    """The ledger's table rows (complaints/ledger_columns.py `LEDGER_COLUMNS`: the same columns as the header)."""
    return page_rows_html(lines)


@register.simple_tag
def ledger_filter_fields(form, today):
    """The filter form's fields, labels and errors. Some twenty fields, four of them selects of the office's
    institutions and staff, cost about 2 ms to draw on every ledger page, and are the same for every request with
    the same choices and the same submitted values: the drawing is kept per `drawn_key`. With DEBUG on it is
    drawn every time."""
    key = None if settings.DEBUG else drawn_key(form, today)
    return _drawn.draw(key, lambda: render_to_string(FILTER_FIELDS_TEMPLATE, {"form": form}))


def drawn_key(form, today) -> tuple | None:
    """Everything the drawing depends on: the form's class, language, prefix and "today" (date bounds), what was
    submitted (or the initial values), and each field's class, widget, choices and attributes. None (draw afresh)
    for a form whose choices come from a query, or with a value that cannot be a key."""
    submitted = form.data.lists() if hasattr(form.data, "lists") else form.data.items()
    data = tuple(sorted((name, tuple(values) if isinstance(values, list) else values) for name, values in submitted))
    # By the class's name: django-filter builds a new form class for every filter set.
    form_class = (type(form).__module__, type(form).__qualname__)
    parts = [form_class, get_language(), form.prefix, form.auto_id, today, data, _items(form.initial)]
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            return None
        choices = _choices(field)
        if choices is False:
            return None
        widget = field.widget
        parts.append((name, type(field), type(widget), choices, _items(widget.attrs), field.initial, field.disabled))
    key = tuple(parts)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _choices(field) -> tuple | None | bool:
    """A field's choices as a key part; None without choices, False for choices that are not (value, label) pairs."""
    if not hasattr(field, "choices"):
        return None
    try:
        return tuple((value, _Same(label)) for value, label in field.choices)
    except (TypeError, ValueError):
        return False


def _items(mapping) -> tuple:
    return tuple(sorted(mapping.items()))


class _Same:
    """A choice's label in a drawing's key. A lazily translated label (the declared choices: 全部, the case types…)
    is the same object from request to request, and the language is in the key: it is compared by identity, since
    hashing it would translate it (some 150 gettext calls a ledger page, ~0.6 ms). The key keeps the object, so
    its id is not reused while the drawing is kept. Plain labels (the office's institutions and staff) by value."""

    __slots__ = ("label",)

    def __init__(self, label):
        self.label = label

    def __hash__(self) -> int:
        # An option group's list of choices cannot be hashed: TypeError, and the form is drawn afresh.
        return id(self.label) if isinstance(self.label, Promise) else hash(self.label)

    def __eq__(self, other) -> bool:
        if not isinstance(other, _Same):
            return NotImplemented
        mine, theirs = self.label, other.label
        if isinstance(mine, Promise) or isinstance(theirs, Promise):
            return mine is theirs
        return mine == theirs
