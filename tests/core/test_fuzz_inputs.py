"""Malformed input on every page and every form: an answer in Chinese or a 404, never a server error.

Systematic, not a list kept by hand: every GET route of the permission matrix (tests/core/test_route_matrix.py)
is opened against the records of tests/core/route_world.py; the query parameters a user can send are read from
the page itself (the fields of its GET forms and the parameters of its links), and each is sent with every bad
value below. Every POST form found on those pages is then submitted with its own defaults and one field at a
time replaced by each bad value. Each request runs in a savepoint that is rolled back.

The same tests run on PostgreSQL (the `postgres` copies at the end), where a NUL byte or a 20-digit number reach
the database differently from SQLite.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from tests.auth import sign_in
from tests.core import route_world
from tests.core.test_route_matrix import APP_GROUPS, BUILDERS, ROUTES, _url

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
BAD_VALUES = {
    "huge": "99999999999999999999",
    "beyond 2^63": str(2**63),
    "negative": "-1",
    "zero": "0",
    "NUL": "a\x00b",
    "overlong": "长" * 5000,
    "bad date": "2026-13-45",
    "last day": "9999-12-31",
    "first day": "0001-01-01",
    "far date": "9999-12",
    "ancient date": "0001-01",
    "not a number": "abc",
    "decimal": "1e400",
}
# The value most likely to get past a form into a query or a date, sent to each parameter and field alone: 2^63,
# the smallest integer beyond the 64-bit range. It stands for its whole class ("huge" too): a guard that lets the
# 20-digit "huge" through (a comparison with a larger bound, or none) lets 2^63 through as well, and a guard by digit
# count (at most 19) lets only 2^63 through, so sending "huge" alone as well would find nothing more. Every value,
# "huge" included, is still sent to all parameters and fields at once. FUZZ_FULL=1 sends every value to each one
# alone, as both personas (slower; the suite keeps the short walk).
FULL = os.environ.get("FUZZ_FULL") == "1"
SINGLY = tuple(BAD_VALUES) if FULL else ("beyond 2^63",)
# Parameters every list understands whether or not the page shows a link with them (an empty list has no pager).
COMMON_PARAMETERS = ("page", "per_page", "year", "month", "org", "sort", "from", "to", "start", "end")
PERSONAS = ("admin", "clerk")


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class _PageParser(HTMLParser):
    """The forms of a page (their fields with default values) and the query parameters of its links."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.link_parameters: set[str] = set()
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "?" in (attrs.get("href") or ""):
            self.link_parameters.update(key for key, _value in parse_qsl(urlsplit(attrs["href"]).query, True))
        elif tag == "form":
            self._form = Form((attrs.get("method") or "get").lower(), attrs.get("action") or "")
            self.forms.append(self._form)
        elif self._form is not None and attrs.get("name"):
            self._field(tag, attrs)
        elif tag == "option" and self._select and "selected" in attrs:
            self._form.fields[self._select].append(attrs.get("value") or "")

    def _field(self, tag, attrs):
        name, kind = attrs["name"], (attrs.get("type") or "text").lower()
        values = self._form.fields.setdefault(name, [])
        if tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
        elif kind in ("checkbox", "radio"):
            if "checked" in attrs:
                values.append(attrs.get("value") or "on")
        elif kind not in ("file", "submit", "button", "reset", "image"):
            values.append(attrs.get("value") or "")

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _parse(response) -> _PageParser:
    parser = _PageParser()
    if response.get("Content-Type", "").startswith("text/html"):
        parser.feed(response.content.decode())
    return parser


def _request(client: Client, method: str, url: str, data: dict):
    """One request in a savepoint that is rolled back; a crash is returned as the outcome."""
    with transaction.atomic():
        try:
            response = client.get(url, data) if method == "get" else client.post(url, data)
        except Exception as exc:  # a crash is an outcome to report, with the others
            response = exc
        transaction.set_rollback(True)
    return response


def _failure(response) -> str | None:
    if isinstance(response, Exception):
        return f"异常 {type(response).__name__}: {str(response)[:160]}"
    if response.status_code >= 500:
        return f"状态 {response.status_code}"
    return None


@pytest.fixture
def world(request, orgs, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "files"
    settings.MEDIA_ROOT = tmp_path / "files"
    names = {"clerk": "clerk_a", "sup": "supervisor", "med": "mediator", "admin": "administrator"}
    users = {persona: request.getfixturevalue(name) for persona, name in names.items()}
    with time_machine.travel(NOW, tick=False):
        records = route_world.build_world(users, orgs["laizhou"], BUILDERS[request.node.callspec.params["group"]])
        yield records


def _pages(world, group):
    """(persona, client, url, parsed page) for every GET route of the group, opened by the superuser and, for
    the pages the superuser does not open (or with FUZZ_FULL), by clerk A of the records."""
    clients = {}
    for persona in PERSONAS:
        clients[persona] = Client()
        sign_in(clients[persona], world["users"][persona])
    for name, route in ROUTES.items():
        if route.method != "GET" or not name.startswith(APP_GROUPS[group]):
            continue
        openers = [p for p in PERSONAS if route.expected[p] == 200]
        for persona in openers if FULL else openers[:1]:
            client = clients[persona]
            url = _url(name, route, world)
            response = _request(client, "get", url, route.query)
            assert not _failure(response), f"{url} {persona}: {_failure(response)}"
            yield persona, client, url, _parse(response)


def _fuzz_filters(world, group) -> list[str]:
    failures = []
    for persona, client, url, page in _pages(world, group):
        parameters = set(COMMON_PARAMETERS) | page.link_parameters
        for form in page.forms:
            if form.method == "get":
                parameters |= form.fields.keys()
        for label, value in BAD_VALUES.items():
            # All parameters at once; then each alone (a view may stop at the first bad one and never read the
            # next).
            attempts = [dict.fromkeys(parameters, value)]
            if label in SINGLY:
                attempts += [{name: value} for name in sorted(parameters)]
            for query in attempts:
                problem = _failure(_request(client, "get", url, query))
                if problem:
                    failures.append(f"GET {url} {persona} {label} {sorted(query)}: {problem}")
                    break
    return failures


def _post_forms(world, group):
    seen = set()
    for persona, client, url, page in _pages(world, group):
        for form in page.forms:
            action = form.action or url
            key = (persona, action, tuple(sorted(form.fields)))
            if form.method == "post" and key not in seen and not action.endswith("/logout/"):
                seen.add(key)
                yield persona, client, action, form


def _fuzz_forms(world, group) -> list[str]:
    failures, forms = [], 0
    for persona, client, action, form in _post_forms(world, group):
        forms += 1
        defaults = {key: values for key, values in form.fields.items() if values}
        names = [name for name in form.fields if name != "csrfmiddlewaretoken"]
        # Every field bad at once, for each value; then one field at a time, the others as the form has them.
        attempts = [(label, dict.fromkeys(names, value)) for label, value in BAD_VALUES.items()]
        attempts += [(label, {name: BAD_VALUES[label]}) for name in names for label in SINGLY]
        for label, bad in attempts:
            problem = _failure(_request(client, "post", action, {**defaults, **bad}))
            if problem:
                failures.append(f"POST {action} {persona} {sorted(bad)}={label}: {problem}")
    # The walk must really have found the forms (a parser that sees none would pass vacuously).
    assert forms >= MIN_FORMS[group], forms
    return failures


# At least this many distinct POST forms are found on each group's pages.
MIN_FORMS = {
    "core": 1,
    "complaints": 5,
    "institutions": 5,
    "mediation": 5,
    "outreach": 2,
    "dashboard": 2,
    "statistics": 1,
}


@pytest.mark.parametrize("group", list(APP_GROUPS))
def test_no_page_fails_on_malformed_query_parameters(world, group):
    with time_machine.travel(NOW, tick=False):
        failures = _fuzz_filters(world, group)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("group", list(APP_GROUPS))
def test_no_form_fails_on_malformed_fields(world, group):
    with time_machine.travel(NOW, tick=False):
        failures = _fuzz_forms(world, group)
    assert not failures, "\n".join(failures)


@pytest.mark.postgres
@pytest.mark.parametrize("group", list(APP_GROUPS))
def test_no_page_fails_on_malformed_query_parameters_on_postgresql(world, group):
    test_no_page_fails_on_malformed_query_parameters(world, group)


@pytest.mark.postgres
@pytest.mark.parametrize("group", list(APP_GROUPS))
def test_no_form_fails_on_malformed_fields_on_postgresql(world, group):
    test_no_form_fails_on_malformed_fields(world, group)
