"""HTML written in Python for the busiest lists (docs/performance.md「2026-12-05 第三轮」)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from django.urls import reverse


def as_html(value) -> str:
    """`value` as HTML: text escaped, HTML (format_html's or mark_safe's result) kept.

    What `format_html("{}", value)` does, without its lazy-aware wrappers, which cost ~5 ms of a 50-row ledger page
    (13 cells a row) and as much again for the filter form's option lists. Python's `html.escape` escapes the same
    five characters as Django's `escape`, the same way."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def id_url(url_name: str) -> Callable[[int], str]:
    """The URL named `url_name` (one object id argument) for any id, reversed once for a list instead of once a row."""
    prefix, suffix = reverse(url_name, args=[0]).rsplit("0", 1)
    return lambda pk: f"{prefix}{pk}{suffix}"
