"""Where a dated item (a core.Deadline's item) is shown, and how to link the ledger with a filter.

Apps that open deadlines for their own items register a link builder here, so that my-work and the
reminders can link to the item without loading it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

# content type "app_label.model" -> function(object_id) -> URL
_ITEM_LINKS: dict[str, Callable[[int], str]] = {}


def register_item_link(model_label: str, build: Callable[[int], str]) -> None:
    _ITEM_LINKS[model_label] = build


def _reverse_or_empty(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


register_item_link("complaints.case", lambda pk: _reverse_or_empty("complaints:case_detail", pk))
register_item_link("core.task", lambda pk: _reverse_or_empty("dashboard:task_detail", pk))


def item_link(model_label: str, object_id: int) -> str:
    build = _ITEM_LINKS.get(model_label)
    return build(object_id) if build else ""


def ledger_url(**params) -> str:
    """The ledger (complaints:index) with its documented query parameters, e.g. acting=3, overdue=1."""
    try:
        base = reverse("complaints:index")
    except NoReverseMatch:
        base = "/complaints/"
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base
