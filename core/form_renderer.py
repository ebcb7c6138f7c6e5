"""The form renderer: Django's, with the plain widgets written in Python (docs/performance.md「表单控件」).

Every field on every page goes through a widget template: `input.html` with `attrs.html` included, a select's
`select_option.html` once an option. Rendered by the template engine that is most of a form's cost — on a case
page, with a form for each action the user may take, a quarter of the page's time. `FastFormRenderer.render`
writes the same markup directly for the templates listed in `WRITERS` (input, textarea, select, each exactly as
Django's template would, down to the whitespace) and hands every other template to Django's renderer unchanged.
`tests/core/test_form_rendering.py` renders each widget, and every page, both ways and compares the strings.
"""

from __future__ import annotations

from html import escape as html_escape

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData

INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "tel",
        "search",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "file",
    )
}
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


# What the renderer's templates are rendered with: autoescaping on, the active language's formats.
_CONTEXT = Context()


def as_text(value) -> str:
    """`{{ value }}` in a template: localized, then escaped unless already HTML.

    A plain string (most names, values and labels) is only escaped: Python's `html.escape` escapes the same
    characters as Django's `escape`, the same way."""
    if type(value) is str:
        return html_escape(value)
    return str(render_value_in_context(value, _CONTEXT))


def attr_text(value) -> str:
    """`{{ value|stringformat:'s' }}`: `"%s" % value`, escaped unless the value was safe HTML already."""
    if type(value) is str:
        return html_escape(value)
    text = str(value) if isinstance(value, tuple) else "%s" % (value,)  # noqa: UP031 (the filter's own formatting)
    return text if isinstance(value, SafeData) else html_escape(text)


def attrs_html(attrs: dict) -> str:
    """attrs.html: ` name="value"` each, a bare ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {as_text(name)}" if value is True else f' {as_text(name)}="{attr_text(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{attr_text(widget["value"])}"'
    attrs = attrs_html(widget["attrs"])
    return f'<input type="{as_text(widget["type"])}" name="{as_text(widget["name"])}"{value}{attrs}>'


def _textarea(widget: dict) -> str:
    value = as_text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{as_text(widget["name"])}"{attrs_html(widget["attrs"])}>\n{value}</textarea>'


def _option(option: dict) -> str:
    attrs = attrs_html(option["attrs"])
    return f'<option value="{attr_text(option["value"])}"{attrs}>{as_text(option["label"])}</option>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{as_text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{as_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            # select_option.html ends with a newline, which the include keeps (only the whole result is stripped).
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


WRITERS = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class FastFormRenderer(DjangoTemplates):
    """Django's default form renderer, with the widgets in `WRITERS` written directly (the same markup)."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is not None and "widget" in context:
            html = write(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
