"""Forms written in Python (docs/performance.md「表单控件」): the form renderer's widgets give the same string as
Django's widget templates (core/form_renderer.py), and `form_html` the same elements, attributes and text as crispy
(core/templatetags/core_forms.py) — for awkward values one widget or form at a time, and for every page of the
project as the office's users open it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import partial
from html.parser import HTMLParser

import pytest
import time_machine
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import Client
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.form_renderer import WRITERS, FastFormRenderer
from core.templatetags.core_forms import field_html, field_written_in_python, form_html, written_in_python
from tests.auth import sign_in
from tests.core import route_world
from tests.core.test_route_matrix import BUILDERS, FIXTURES, NOW, ROUTES, Lit

AWKWARD = ["<script>alert('x')</script>", 'a "quoted" & <b>', "ordinary 文字", "'", "&amp;", ""]
ATTRS = {"class": "form-control", "data-note": "<&>\"'", "required": True, "disabled": False, "maxlength": 40}


def _widgets():
    yield forms.TextInput(attrs=ATTRS), [None, *AWKWARD, 12, mark_safe("<b>kept</b>")]
    yield forms.NumberInput(attrs={"step": Decimal("0.01")}), [None, 3, 1234567, Decimal("12.50"), 0.5]
    yield forms.DateInput(attrs=ATTRS), [None, dt.date(2028, 2, 29), "2028-02-29"]
    yield forms.HiddenInput(), [None, "7", 7, *AWKWARD]
    yield forms.PasswordInput(render_value=True), ["secret<>", None]
    yield forms.EmailInput(), ["a@b.cn", None]
    yield forms.CheckboxInput(attrs=ATTRS), [True, False, None, "on"]
    yield forms.FileInput(), [None]
    yield forms.Textarea(attrs={"rows": 2}), [None, *AWKWARD, "第一行\n第二行", mark_safe("<i>x</i>")]
    choices = [("", "全部"), *[(str(n), text) for n, text in enumerate(AWKWARD)], (7, gettext_lazy("是")), (8, 8)]
    yield forms.Select(attrs=ATTRS, choices=choices), [None, "", "2", 7, "not-a-choice"]
    yield forms.SelectMultiple(choices=choices), [[], ["1", "3"], None]
    groups = [("", "—"), ("银行", [("1", "工商银行"), ("2", "<农商行>")]), ("保险", [("3", "人保")])]
    yield forms.Select(choices=groups), ["", "2", "3"]
    yield forms.NullBooleanSelect(), [None, True, False, "unknown"]


def test_every_plain_widget_is_written_exactly_as_its_template_renders_it():
    django_renderer, fast = DjangoTemplates(), FastFormRenderer()
    seen = set()
    for widget, values in _widgets():
        seen.add(widget.template_name)
        for value in values:
            expected = widget.render("field", value, attrs={"id": "id_field"}, renderer=django_renderer)
            assert widget.render("field", value, attrs={"id": "id_field"}, renderer=fast) == expected, (
                type(widget).__name__,
                value,
            )
    assert {"django/forms/widgets/select.html", "django/forms/widgets/textarea.html"} <= seen <= set(WRITERS)


def test_other_templates_are_left_to_django():
    widget = forms.RadioSelect(choices=[("a", "<甲>"), ("b", "乙")])
    assert widget.render("x", "a", renderer=FastFormRenderer()) == widget.render("x", "a", renderer=DjangoTemplates())
    # A select whose options use another template goes back to Django's rendering as a whole.
    select = forms.Select(choices=[("1", "一")])
    select.option_template_name = "django/forms/widgets/radio_option.html"
    assert select.render("x", "1", renderer=FastFormRenderer()) == select.render("x", "1", renderer=DjangoTemplates())


# --- crispy's markup written in Python -----------------------------------------------------------------------


class _Everything(forms.Form):
    required_css_class = "needed"
    version = forms.IntegerField(widget=forms.HiddenInput, initial=3)
    title = forms.CharField(label="标题 <b>", max_length=20, help_text="不超过 <em>20</em> 字")
    note = forms.CharField(label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    when = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date", "class": "narrow"}))
    count = forms.IntegerField(label="件数", initial=1234, required=False)
    kind = forms.ChoiceField(label="类别", choices=[("", "—"), ("a", "甲 & 乙"), ("b", "<丙>")])
    mode = forms.ChoiceField(
        label="方式", widget=forms.RadioSelect, choices=[("x", "告知"), ("y", "异议")], initial="y"
    )
    grouped = forms.ChoiceField(
        label="分组",
        widget=forms.RadioSelect,
        required=False,
        help_text="选一项",
        choices=[("银行", [("1", "工行"), ("2", "农行")]), ("保险", [("3", "人保")])],
    )
    agree = forms.BooleanField(label="已告知", required=False, help_text="勾选表示已当面告知")
    must = forms.BooleanField(label="必须勾选")
    unlabelled = forms.CharField(label="", required=False)


def _crispy(form) -> str:
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    return as_crispy_form(form)


def test_form_html_writes_what_crispy_renders_for_every_plain_widget():
    for form in [
        _Everything(auto_id="id_act_%s"),
        _Everything(initial={"title": "已有 <值>", "mode": "x", "agree": True, "grouped": "3"}),
        _Everything(auto_id=False),
    ]:
        assert written_in_python(form)
        assert _parsed(form_html(form)) == _parsed(_crispy(form))
        for field in form:
            assert _parsed(field_html(field)) == _parsed(as_crispy_field(field)), field.name


class _Files(forms.Form):
    upload = forms.FileField(label="附件")
    optional = forms.FileField(label="补充材料", required=False, help_text="不超过 <b>20</b> MB")
    styled = forms.FileField(
        label="扫描件", widget=forms.FileInput(attrs={"class": "scan", "accept": ".pdf,.jpg", "data-x": "<&>"})
    )


def test_empty_file_inputs_are_written_as_crispy_renders_them():
    """The attachment form on every case page: an empty file input, required or not, with help text, the widget's
    own class and other attributes, with or without ids."""
    for form in [_Files(), _Files(auto_id="id_up_%s"), _Files(auto_id=False)]:
        assert written_in_python(form)
        assert _parsed(form_html(form)) == _parsed(_crispy(form))
        for field in form:
            assert field_written_in_python(field)
            assert _parsed(field_html(field)) == _parsed(as_crispy_field(field)), field.name
    assert 'class="form-control scan" accept=".pdf,.jpg" data-x="&lt;&amp;&gt;"' in field_html(_Files()["styled"])


def test_a_form_with_errors_or_a_file_input_showing_a_file_is_left_to_crispy():
    invalid = _Everything({"title": ""})
    assert not written_in_python(invalid)
    assert form_html(invalid) == _crispy(invalid)
    assert 'class="invalid-feedback"' in form_html(invalid)

    class Stored:
        url, name = "/files/a.pdf", "a.pdf"

        def __str__(self):
            return self.name

    showing = _Files(initial={"upload": Stored()})
    assert not field_written_in_python(showing["upload"]) and not written_in_python(showing)
    assert form_html(showing) == _crispy(showing)
    assert "a.pdf" in form_html(showing)
    missing = _Files({}, {})
    assert not written_in_python(missing) and form_html(missing) == _crispy(missing)


class _Parts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.append((tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.parts.append(("/", tag))

    def handle_data(self, data):
        if data.strip():
            self.parts.append(("text", " ".join(data.split())))


def _parsed(html: str) -> list:
    """The elements, their attributes (in any order) and their text as a browser reads them."""
    parser = _Parts()
    parser.feed(html)
    return parser.parts


# --- Every page of the project, rendered each way ----------------------------------------------------------------

PAGE_GROUPS = ("complaints", "institutions", "mediation", "outreach", "core", "dashboard", "statistics")
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"|(nonce=")[^"]+"')
DJANGO_RENDERER = "django.forms.renderers.DjangoTemplates"
FAST_RENDERER = "core.form_renderer.FastFormRenderer"


def _pages(group: str) -> list[tuple[str, dict]]:
    from tests.core.test_route_matrix import APP_GROUPS

    names = [n for n in ROUTES if any(n.startswith(p) for p in APP_GROUPS[group])]
    return [(n, ROUTES[n]) for n in names if ROUTES[n].method == "GET" and ROUTES[n].expected["clerk"] == 200]


def _html(client: Client, url: str, query: dict) -> str | None:
    response = client.get(url, query)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    return TOKEN.sub(lambda m: (m.group(1) or m.group(2)) + '-"', response.content.decode())


def _noting(check, written: list, form_or_field) -> bool:
    """The real check, noting each form or field it lets form_html or field_html write."""
    if check(form_or_field):
        written.append(type(form_or_field).__name__)
        return True
    return False


@pytest.mark.parametrize("group", PAGE_GROUPS)
def test_each_page_is_the_same_however_its_forms_are_rendered(group, request, orgs, settings, tmp_path, monkeypatch):
    """Reference: Django's widget templates and crispy's. The widgets written in Python give the same string; the
    forms written in Python the same elements, attributes and text."""
    from django.urls import reverse

    from core.templatetags import core_forms

    settings.PRIVATE_FILES_ROOT = settings.MEDIA_ROOT = tmp_path / "files"
    users = {persona: request.getfixturevalue(FIXTURES[persona]) for persona in ("clerk", "sup", "med")}
    written = []
    real_check, real_field_check = core_forms.written_in_python, core_forms.field_written_in_python
    with time_machine.travel(NOW, tick=False):
        world = route_world.build_world(users, orgs["laizhou"], BUILDERS[group])
        client = Client()
        sign_in(client, users["clerk"])
        compared = 0
        for name, route in _pages(group):
            url = reverse(name, kwargs={k: v if isinstance(v, Lit) else world[v].pk for k, v in route.kwargs.items()})
            monkeypatch.setattr(core_forms, "written_in_python", lambda form: False)
            monkeypatch.setattr(core_forms, "field_written_in_python", lambda field: False)
            settings.FORM_RENDERER = DJANGO_RENDERER
            reference = _html(client, url, route.query)
            settings.FORM_RENDERER = FAST_RENDERER
            if reference is None:
                continue
            assert _html(client, url, route.query) == reference, url
            monkeypatch.setattr(core_forms, "written_in_python", partial(_noting, real_check, written))
            monkeypatch.setattr(core_forms, "field_written_in_python", partial(_noting, real_field_check, written))
            assert _parsed(_html(client, url, route.query)) == _parsed(reference), url
            compared += 1
    assert compared >= 2, f"{group}: only {compared} pages compared"
    if group in ("complaints", "mediation", "outreach"):
        assert written, "no form on these pages went through form_html"
