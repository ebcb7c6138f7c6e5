"""Form widgets of the project."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.markup import as_html


class FastSelect(forms.Select):
    """A plain single <select> written directly in Python.

    Django's Select renders every <option> through the template engine: on the ledger, whose filter form has a
    dozen selects (the visible institutions and staff among them), that was a third of the page's time. The
    output is the same markup; no option groups (no list here uses them).
    """

    def render(self, name, value, attrs=None, renderer=None):
        values = value if isinstance(value, list | tuple) else [value]
        selected = {"" if v is None else str(v) for v in values}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = "".join(
            f'<option value="{as_html("" if option_value is None else option_value)}"'
            f"{' selected' if str(option_value) in selected else ''}>{as_html(label)}</option>"
            for option_value, label in self.choices
        )
        # Every value and label escaped by as_html.
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))  # nosec B308 B703  # noqa: S308
