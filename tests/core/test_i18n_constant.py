"""`{% load i18n %}` loads core/templatetags/i18n_constant.py: a constant `{% translate %}` is kept per language
and autoescape setting, and every form of the tag gives exactly what Django's own library gives."""

import pytest
from django.template import Context, Engine, engines
from django.utils import translation

from core.templatetags.i18n_constant import ConstantTranslateNode

SNIPPETS = [
    '{% translate "January" %}',
    "{% translate 'January' %}",
    '{% trans "January" %}',
    '{% translate "a<b & 100%% c" %}',
    '{% translate "May" context "long month name" %}',
    '{% translate "May" context month_context %}',
    "{% translate name %}",
    '{% translate "Yes"|upper %}',
    '{% translate "January" as j %}[{{ j }}]',
    '{% translate "No" noop %}',
    '{% autoescape off %}{% translate "a<b" %}{{ name }}{% endautoescape %}{% translate "a<b" %}',
    '{% for i in "12" %}{% translate "January" %}{% endfor %}',
    '{% for code in languages %}{% language code %}{% translate "January" %}{% endlanguage %}{% endfor %}',
]
PROJECT = engines["django"].engine
DJANGOS = Engine(libraries={"i18n": "django.templatetags.i18n"})


def _render(engine, text, language):
    context = {"name": "February<", "month_context": "long month name", "languages": ["en", "zh-hans", "en"]}
    with translation.override(language):
        return engine.from_string("{% load i18n %}" + text).render(Context(context))


@pytest.mark.parametrize("text", SNIPPETS)
def test_same_output_as_djangos_library_in_each_language(text):
    for language in ("zh-hans", "en", "zh-hans"):
        assert _render(PROJECT, text, language) == _render(DJANGOS, text, language), (text, language)


def test_one_template_gives_each_language_its_own_text():
    template = PROJECT.from_string('{% load i18n %}{% translate "January" %}')
    seen = []
    for language in ("zh-hans", "en", "zh-hans", "en"):
        with translation.override(language):
            seen.append(template.render(Context()))
    assert seen == ["一月", "January", "一月", "January"]


def test_a_kept_text_is_not_rendered_again_and_debug_keeps_none(monkeypatch, settings):
    from django.templatetags import i18n as django_i18n

    rendered = []
    render = django_i18n.TranslateNode.render
    monkeypatch.setattr(
        django_i18n.TranslateNode, "render", lambda node, context: rendered.append(1) or render(node, context)
    )
    template = PROJECT.from_string('{% load i18n %}{% for i in "123" %}{% translate "January" %}{% endfor %}')
    with translation.override("zh-hans"):
        assert template.render(Context()) == "一月" * 3
        assert template.render(Context()) == "一月" * 3
    assert len(rendered) == 1, "Django's node rendered once for the language, then the kept text"
    settings.DEBUG = True
    with translation.override("zh-hans"):
        assert template.render(Context()) == "一月" * 3
    assert len(rendered) == 4, "with DEBUG on every render asks the catalog again"


def test_only_literal_messages_are_kept():
    def nodes(text):
        return [type(node).__name__ for node in PROJECT.from_string("{% load i18n %}" + text).nodelist[1:]]

    assert nodes('{% translate "January" %}') == [ConstantTranslateNode.__name__]
    assert nodes('{% translate "May" context "long month name" %}') == [ConstantTranslateNode.__name__]
    for dynamic in (
        "{% translate name %}",
        '{% translate "May" context month_context %}',
        '{% translate "Yes"|upper %}',
        '{% translate "January" as j %}',
    ):
        assert nodes(dynamic) == ["TranslateNode"], dynamic


def test_the_rest_of_djangos_library_is_there():
    text = (
        "{% load i18n %}{% get_current_language as lang %}{{ lang }}|"
        "{% blocktranslate count n=2 %}one{% plural %}{{ n }} many{% endblocktranslate %}|"
        '{{ "zh-hans"|language_name_local }}'
    )
    with translation.override("zh-hans"):
        assert PROJECT.from_string(text).render(Context()) == "zh-hans|2 many|简体中文"


def test_i18n_is_the_only_template_library_name_given_to_two_modules():
    """settings silences templates.W003 for the `i18n` replaced on purpose: any other clash still shows here."""
    clashes = [warning.msg for warning in engines["django"].check() if warning.id == "templates.W003"]
    assert clashes == [
        "'i18n' is used for multiple template tag modules: "
        "'core.templatetags.i18n_constant', 'django.templatetags.i18n'"
    ]
