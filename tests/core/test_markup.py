"""The HTML the busiest lists write in Python is the markup Django's own rendering gives (docs/performance.md
「台账的总数」): every value escaped the same way, HTML kept."""

from html.parser import HTMLParser

from django import forms
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from core.markup import as_html, cut
from core.widgets import FastSelect

AWKWARD = ["<script>alert('x')</script>", 'a "quoted" & <b>', "ordinary 文字", "'", "&amp;"]


def test_text_is_escaped_exactly_as_format_html_does_and_html_is_kept():
    for value in [*AWKWARD, 0, 12, None, gettext_lazy("暂停"), mark_safe("<b>kept</b>")]:
        assert as_html(value) == format_html("{}", value)
    assert as_html(mark_safe("<b>kept</b>")) == "<b>kept</b>"


def test_cut_is_truncators_chars():
    """In each language: Django's Chinese catalogue ends a cut text in "...", its English one in "…"."""
    texts = [
        "",
        "短",
        "信用卡分期手续费争议",
        "客户反映" * 10,
        "客户反映" * 10 + "。",
        "a" * 39,
        "a" * 40,
        "a" * 41,
        "<b>&",
    ]
    for language, ellipsis in (("zh-hans", "..."), ("en", "…")):
        with translation.override(language):
            assert cut(texts[4], 40).endswith(ellipsis)
            for text in texts:
                for length in (2, 10, 40):
                    assert cut(text, length) == Truncator(text).chars(length), (language, text, length)


def test_the_fast_select_writes_what_django_select_writes():
    choices = [
        ("", "全部"),
        (None, "空"),
        *[(str(n), text) for n, text in enumerate(AWKWARD)],
        ("7", gettext_lazy("是")),
    ]
    for value in ["", "2", None, ["3"], "not-a-choice"]:
        attrs = {"class": "form-select form-select-sm", "id": "id_x", "data-note": "<&>"}
        fast = FastSelect(attrs=attrs, choices=choices).render("x", value)
        django_select = forms.Select(attrs=attrs, choices=choices).render("x", value)
        assert _parsed(fast) == _parsed(django_select), value


class _Parts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.append((tag, sorted(attrs, key=lambda pair: pair[0])))

    def handle_endtag(self, tag):
        self.parts.append(("/", tag))

    def handle_data(self, data):
        if data.strip():
            self.parts.append(("text", data))


def _parsed(html: str) -> list:
    """The elements, their attributes (in any order) and their text, as a browser reads them."""
    parser = _Parts()
    parser.feed(html)
    return parser.parts


def test_an_id_url_is_the_url_reversed_for_that_id():
    from django.urls import reverse

    from core.markup import id_url

    for name in ("complaints:case_detail", "complaints:contact_detail"):
        assert [id_url(name)(pk) for pk in (1, 10, 307)] == [reverse(name, args=[pk]) for pk in (1, 10, 307)]
