"""Django's `i18n` tag library, with `{% translate "…" %}` of a constant message translated once per language.

Registered under the name `i18n` (settings.TEMPLATES → OPTIONS → libraries), so `{% load i18n %}` in every
template loads this library: Django's own tags and filters unchanged, only `translate` (and its old name `trans`)
wrapped. Django's `TranslateNode` builds a lazy translation and resolves it on every render, ~6 µs a tag; a case
page renders over a hundred of them (docs/performance.md「界面文字」). A tag whose message and context are
literals, with no filter and no `as` variable, gives the same text for the same language and autoescape setting
every time (with DEBUG off the message catalogs are loaded once per process), so its text is kept on the node
per (language, autoescape). With DEBUG on nothing is kept: runserver reloads a catalog whose .mo file changed
without reloading the templates. Any other form of the tag is Django's node as it is.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.base import Node
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


def _literal(expression) -> bool:
    """A FilterExpression that is a quoted string and nothing else (kept as the string itself, or, once
    TranslateNode has wrapped it, as a Variable holding the literal)."""
    var = expression.var
    return not expression.filters and (isinstance(var, str) or getattr(var, "literal", None) is not None)


def constant(node: django_i18n.TranslateNode) -> bool:
    context = node.message_context
    return node.asvar is None and _literal(node.filter_expression) and (context is None or _literal(context))


class ConstantTranslateNode(Node):
    """A `{% translate "…" %}` of a literal: Django's node rendered once per (language, autoescape)."""

    child_nodelists = ()

    def __init__(self, node: django_i18n.TranslateNode):
        self.node = node
        self.texts: dict[tuple[str | None, bool], str] = {}

    def render(self, context):
        if settings.DEBUG:
            return self.node.render(context)
        key = (get_language(), context.autoescape)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = self.node.render(context)
        return text


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return ConstantTranslateNode(node) if constant(node) else node
