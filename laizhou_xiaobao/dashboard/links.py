"""Where a dated item (a core.Deadline's item) is shown, and how to link the ledger with a filter.

My work and the reminders link to an item without loading it: the deadline's content type names the model,
and this table names the page. A model that opens deadlines gets a row here (docs/architecture.md).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from django.urls import get_script_prefix, get_urlconf, reverse

from core.markup import id_url

# content type "app_label.model" -> URL name taking the object's id
ITEM_URL_NAMES = {
    "complaints.case": "complaints:case_detail",
    "complaints.casestep": "complaints:step_redirect",
    "core.task": "dashboard:task_detail",
    "mediation.mediationcase": "mediation:detail",
    "institutions.interview": "institutions:interview_detail",
    "institutions.rectificationitem": "institutions:rectification_item",
    "institutions.surveyfinding": "institutions:survey_finding",
}


def item_link(model_label: str, object_id: int) -> str:
    name = ITEM_URL_NAMES.get(model_label)
    return _id_url(name, get_script_prefix(), get_urlconf())(object_id) if name else ""


@lru_cache(maxsize=32)
def _id_url(url_name: str, prefix: str, urlconf):
    # A page of my work links 50 items: each kind's URL is reversed once per URL configuration and script prefix.
    return id_url(url_name)


@lru_cache(maxsize=32)
def _page(url_name: str, prefix: str, urlconf) -> str:
    return reverse(url_name, urlconf=urlconf)


def _with_query(url_name: str, params: dict) -> str:
    # The board links every number (a few hundred per page): the page's path is resolved once per URL
    # configuration and script prefix, not once per number (docs/performance.md「督办看板」).
    base = _page(url_name, get_script_prefix(), get_urlconf())
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def ledger_url(**params) -> str:
    """The ledger (complaints:index) with its documented query parameters, e.g. acting=3, overdue=1."""
    return _with_query("complaints:index", params)


def deadline_list_url(**params) -> str:
    """期限清单 (dashboard:deadline_list) with the board's filters: org, acting, institution, kind, bucket, within."""
    return _with_query("dashboard:deadline_list", params)


def deadline_list_urls(base: dict, buckets, *, within=None) -> dict[str, str]:
    """`deadline_list_url(**base, bucket=b, within=within)` for each bucket b, the common part encoded once: a board
    row links each of its eight numbers (about 250 links a page for a branch reviewer)."""
    head = _with_query("dashboard:deadline_list", base)
    joiner = "&" if "?" in head else "?"
    tail = f"&{urlencode({'within': within})}" if within not in (None, "") else ""
    return {bucket: f"{head}{joiner}{urlencode({'bucket': bucket})}{tail}" for bucket in buckets}
