"""`|form_html` and `|field_html`: crispy's Bootstrap 5 markup written in Python (docs/performance.md「表单控件」).

crispy's `|crispy` renders `field.html` for every field, a template of some thirty tags and filters and three
includes; a case page offers a form for each action the user may take, and rendering them was a third of the
page's time. `form_html` writes the same elements, attributes and text for a form without errors whose fields
are plain inputs, text areas, selects, check boxes, radio buttons and empty file inputs (what the office's forms
use), and hands any other form — one showing errors, a file input showing a file, a widget of several parts — to
crispy unchanged. The same whitespace rule applies (crispy's `remove_spaces`). `tests/core/test_form_rendering.py`
renders every page of the project both ways and compares what a browser reads.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form, optgroups
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django import forms, template
from django.templatetags.l10n import unlocalize
from django.utils.safestring import mark_safe

from core.form_renderer import as_text, attr_text, attrs_html

register = template.Library()

ASTERISK = '<span class="asteriskField">*</span>'
# Widgets crispy renders through its own templates (file inputs showing a file, several checkboxes, widgets of
# several parts); an empty file input is written here (`_file_input`).
OTHER_WIDGETS = (forms.FileInput, forms.CheckboxSelectMultiple, forms.MultiWidget)


def _empty_file_input(bf) -> bool:
    """A file input with no file yet and not disabled: crispy's field_file.html then writes one plain input."""
    return isinstance(bf.field.widget, forms.FileInput) and not bf.value() and not bf.field.disabled


def _plain_widget(bf) -> bool:
    if bf.is_hidden or _empty_file_input(bf):
        return True
    return not (isinstance(bf.field.widget, OTHER_WIDGETS) or bf.field.show_hidden_initial)


def written_in_python(form) -> bool:
    """Whether `form_html` writes this form itself (else crispy renders it)."""
    if getattr(form, "form_html", None) or (form.is_bound and form.errors):
        return False
    return all(_plain_widget(bf) for bf in form)


def field_written_in_python(bf) -> bool:
    """Whether `field_html` writes this field itself (else crispy renders it)."""
    return not bf.is_hidden and _plain_widget(bf) and not (bf.form.is_bound and bf.form.errors)


@register.filter
def field_html(bf):
    """crispy's `|as_crispy_field` for one field, written in Python on the same terms as `form_html`."""
    if not field_written_in_python(bf):
        return as_crispy_field(bf)
    return mark_safe(_field(bf))  # nosec B308 B703 # noqa: S308 (every value escaped by as_text/attrs_html)


@register.filter
def form_html(form):
    if not written_in_python(form):
        return as_crispy_form(form)
    return mark_safe(remove_spaces("".join(_field(bf) for bf in form)))  # nosec B308 B703 # noqa: S308


def _field(bf) -> str:
    if bf.is_hidden:
        return str(bf)
    widget = bf.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox(bf)
    if isinstance(widget, forms.RadioSelect):
        return _radios(bf)
    return _plain(bf)


def _file_input(bf) -> str:
    """crispy's field_file.html for an empty file input: the input (class form-control plus the widget's own, then
    every other attribute) and the help text in a plain <div>."""
    widget = bf.subwidgets[0].data
    attrs = widget["attrs"]
    css = f"form-control {as_text(attrs['class'])}" if attrs.get("class") else "form-control"
    others = attrs_html({name: value for name, value in attrs.items() if name != "class"})
    return (
        f'<div><input type="{as_text(widget["type"])}" name="{as_text(widget["name"])}" class="{css}"{others}>'
        f"{_help(bf)}</div>"
    )


def _classes(bf, base: str) -> str:
    extra = bf.css_classes()
    return f"{base} {as_text(extra)}" if extra else base


def _widget(bf, bootstrap_class: str) -> str:
    """The widget with crispy's classes added: its own class name in lower case, then Bootstrap's."""
    widget = bf.field.widget
    own = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if not css:
        css = own
    elif css.find(own) == -1:
        css = f"{css} {own}"
    if bootstrap_class not in css.split():
        css = f"{css} {bootstrap_class}"
    return str(bf.as_widget(attrs={"class": css}))


def _star(bf) -> tuple[str, str]:
    return (" requiredField", ASTERISK) if bf.field.required else ("", "")


def _help(bf) -> str:
    if not bf.help_text:
        return ""
    ident = f'id="{as_text(bf.auto_id)}_helptext" ' if bf.auto_id else ""
    return f'<div {ident}class="form-text">{bf.help_text}</div>'


def _plain(bf) -> str:
    label = ""
    if bf.label:
        required, star = _star(bf)
        target = f'for="{as_text(bf.id_for_label)}" ' if bf.id_for_label else ""
        label = f'<label {target}class="form-label{required}">{as_text(bf.label)}{star}</label>'
    if _empty_file_input(bf):
        control = _file_input(bf)
    else:
        bootstrap = "form-select" if isinstance(bf.field.widget, forms.Select) else "form-control"
        control = f"{_widget(bf, bootstrap)}{_help(bf)}"
    return f'<div id="div_{as_text(bf.auto_id)}" class="{_classes(bf, "mb-3")}">{label}{control}</div>'


def _checkbox(bf) -> str:
    required, star = _star(bf)
    return (
        f'<div class="mb-3"><div id="div_{as_text(bf.auto_id)}" class="{_classes(bf, "form-check")}">'
        f"{_widget(bf, 'form-check-input')}"
        f'<label for="{as_text(bf.id_for_label)}" class="form-check-label{required}">{as_text(bf.label)}{star}</label>'
        f"{_help(bf)}</div></div>"
    )


def _radios(bf) -> str:
    legend = end = ""
    if bf.label:
        required, star = _star(bf)
        described = f' aria-describedby="{as_text(bf.aria_describedby)}"' if bf.aria_describedby else ""
        legend = f'<fieldset{described}><legend class="form-label{required} fs-6">{as_text(bf.label)}{star}</legend>'
        end = "</fieldset>"
    parts = []
    for group, options, _index in optgroups(bf):
        if group:
            parts.append(f"<strong>{as_text(group)}</strong>")
        for option in options:
            parts.append(
                f'<div class="form-check"><input type="{as_text(option["type"])}" class="form-check-input" '
                f'name="{as_text(bf.html_name)}" value="{attr_text(unlocalize(option["value"]))}"'
                f"{attrs_html(option['attrs'])}>"
                f'<label for="{as_text(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{as_text(unlocalize(option['label']))}</label></div>"
            )
    return (
        f'<div id="div_{as_text(bf.auto_id)}" class="{_classes(bf, "mb-3")}">{legend}'
        f"<div >{''.join(parts)}</div>{_help(bf)}{end}</div>"
    )
