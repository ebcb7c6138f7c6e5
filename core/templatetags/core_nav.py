"""`{% nav_items %}`: the main menu, drawn once per process for each combination of what it depends on
(docs/performance.md「主菜单」).

The menu is the same for every user who holds the same flags (mediator only, may register, audit administrator,
staff, superuser): a dozen `{% url %}` and `{% translate %}` tags that every page of the site paid for again. The
drawn menu is kept per flags, language and URL prefix. With DEBUG on it is drawn every time, so that an edited
template shows at once under runserver.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.translation import get_language

from core.markup import Drawings

register = template.Library()

TEMPLATE = "fragment_nav_items.html"
FLAGS = ("is_mediator_only", "can_register", "is_audit_admin")
_drawn = Drawings()


@register.simple_tag(takes_context=True)
def nav_items(context) -> str:
    user = context.get("user")
    flags = {name: bool(context.get(name)) for name in FLAGS}
    staff, superuser = bool(getattr(user, "is_staff", False)), bool(getattr(user, "is_superuser", False))
    key = (*flags.values(), staff, superuser, get_language(), get_script_prefix())
    context = {**flags, "user": {"is_staff": staff, "is_superuser": superuser}}
    return _drawn.draw(key, lambda: render_to_string(TEMPLATE, context))
