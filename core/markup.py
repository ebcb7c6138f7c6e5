"""HTML written in Python for the busiest lists (docs/performance.md「2026-12-05 第三轮」)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import add_truncation_text
from django.utils.translation import get_language


def as_html(value) -> str:
    """`value` as HTML: text escaped, HTML (format_html's or mark_safe's result) kept.

    What `format_html("{}", value)` does, without its lazy-aware wrappers, which cost ~5 ms of a 50-row ledger page
    (13 cells a row) and as much again for the filter form's option lists. Python's `html.escape` escapes the same
    five characters as Django's `escape`, the same way."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def cut(text: str, length: int) -> str:
    """`text` in at most `length` characters, ending in Django's (translated) truncation text when cut: what
    `Truncator(text).chars(length)` gives for text without combining marks, without its per-call normalisation,
    translation and character loop (tens of µs a call, ~1 ms of a 50-row list; docs/performance.md「第九轮」)."""
    if len(text) <= length:
        return text
    ellipsis = _ellipsis(get_language())
    return text[: max(length - len(ellipsis), 0)] + ellipsis


@lru_cache(maxsize=16)
def _ellipsis(language: str | None) -> str:
    return add_truncation_text("")


def id_url(url_name: str) -> Callable[[int], str]:
    """The URL named `url_name` (one object id argument) for any id, reversed once for a list instead of once a row."""
    prefix, suffix = reverse(url_name, args=[0]).rsplit("0", 1)
    return lambda pk: f"{prefix}{pk}{suffix}"


class Drawings:
    """HTML fragments drawn once per process per key: the main menu, the ledger's filter fields (docs/performance.md
    「主菜单」「台账的筛选表单」). With DEBUG on, or without a key, a fragment is drawn every time (an edited template
    shows at once under runserver); when `limit` are kept, all are let go."""

    def __init__(self, limit: int = 256):
        self.limit = limit
        self._kept: dict[Hashable, str] = {}

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        self._kept.clear()

    def draw(self, key: Hashable | None, render: Callable[[], str]) -> SafeString:
        if settings.DEBUG or key is None:
            html = render()
        elif (html := self._kept.get(key)) is None:
            if len(self._kept) >= self.limit:
                self._kept.clear()
            html = self._kept[key] = render()
        return mark_safe(html)  # noqa: S308  # nosec B308 B703 # drawn from our own templates, escaped by them
