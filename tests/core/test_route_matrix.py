"""The permission matrix, tested for every URL of the project (README 组织、角色与权限; 安全).

`ROUTES` names every app URL with the status each persona must get. The completeness test walks the URL
resolver and fails as soon as a URL has no row here (or a row names a URL that is gone), so a new page cannot
ship without saying who may open it. The Django admin is handled as a group in test_admin_routes_*.

Each route is requested by every persona against real records of 莱州支局 (tests/core/route_world.py):

    anon    not signed in                 clerk   林晓岚, 莱州 clerk, A岗 of the case and requester of the export
    sup     莱州 supervisor                med     莱州 mediator, assigned to the mediation case and declared
    rev     烟台 branch reviewer           admin   superuser of the branch
    other   招远 clerk (another sub-bureau: must get 404 for every 莱州 record)

Expected outcomes: a status code, "L" (302 to the login page), or "R" (302 anywhere else). GET routes are
fetched; POST-only routes are posted empty (which tests the gates in front of the form: login, scope, role;
what the services refuse with valid data is tested in each app's own tests) and must answer GET with 405.
Every request runs in a savepoint that is rolled back, so the personas see the same records.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.auth import sign_in
from tests.core import route_world

PERSONAS = ("anon", "clerk", "sup", "med", "rev", "admin", "other")
FIXTURES = {
    "clerk": "clerk_a",
    "sup": "supervisor",
    "med": "mediator",
    "rev": "reviewer",
    "admin": "administrator",
    "other": "other_clerk",
}
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@dataclass(frozen=True)
class Route:
    method: str
    expected: dict[str, object]
    kwargs: dict[str, object] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)


def get(anon, clerk, sup, med, rev, admin, other, query=None, **kwargs) -> Route:
    return Route(
        "GET", dict(zip(PERSONAS, (anon, clerk, sup, med, rev, admin, other), strict=True)), kwargs, query or {}
    )


def post(anon, clerk, sup, med, rev, admin, other, **kwargs) -> Route:
    return Route("POST", dict(zip(PERSONAS, (anon, clerk, sup, med, rev, admin, other), strict=True)), kwargs)


class Lit(str):
    """A literal URL argument (a slug), not the name of a record of the world."""


L, R = "L", "R"
ALL = (200, 200, 200, 200, 200, 200)

# fmt: off
ROUTES: dict[str, Route] = {
    # --- Shared pages ------------------------------------------------------------------------------
    #                                  anon clerk sup  med  rev  admin other
    "home":                        get(L,   *ALL),
    "login":                       get(200, *ALL),
    "logout":                     post(L,   L,   L,   L,   L,   L,   L),
    # Account security (core/security): each person's own account only.
    "security:account":            get(L,   *ALL),
    "security:password_change":    get(L,   *ALL),
    "security:otp_verify":         get(L,   *ALL),
    "security:otp_enrol":          get(L,   *ALL),
    "security:otp_remove":        post(L,   R,   R,   R,   R,   R,   R),
    "core:deadline_calculator":    get(L,   *ALL),
    "core:absence_list":           get(L,   *ALL),
    # The audit log: the 审计管理员 alone (below); a superuser without the role is refused too (三员分立).
    "core:audit_log":              get(L,   403, 403, 403, 403, 403, 403),
    "core:audit_export":           get(L,   403, 403, 403, 403, 403, 403),

    # --- 信访投诉: the ledger and exports (mediators 403; the export is clerk_a's own) ----------------
    "complaints:index":            get(L,   200, 200, 403, 200, 200, 200),
    "complaints:ledger_export":    get(L,   200, 200, 403, 200, 200, 200),
    "complaints:export_status":    get(L,   200, 200, 404, 404, 200, 404, pk="export"),
    "complaints:export_download":  get(L,   200, 200, 404, 404, 200, 404, pk="export"),
    "complaints:summary":          get(L,   200, 200, 403, 200, 200, 200),
    # Ledger imports: supervisors and administrators only; the record of 莱州 is 404 for other offices' importers.
    "complaints:import_start":     get(L,   403, 200, 403, 403, 200, 403),
    "complaints:import_template":  get(L,   403, 200, 403, 403, 200, 403),
    "complaints:import_detail":    get(L,   403, 200, 403, 403, 200, 403, pk="ledger_import"),
    "complaints:import_mapping":   get(L,   403, 200, 403, 403, 200, 403, pk="ledger_import"),
    "complaints:import_run":      post(L,   403, R,   403, 403, R,   403, pk="ledger_import"),
    # Intake: clerks and supervisors register, in their own unit.
    "complaints:intake":           get(L,   200, 200, 403, 403, 200, 200),
    "complaints:repeat_candidates": post(L, 200, 200, 403, 403, 200, 200),
    # Visit and call records: the ledger's rule; the call was logged today by clerk_a, who may correct it today.
    "complaints:contact_list":     get(L,   200, 200, 403, 200, 200, 200),
    "complaints:transfer_list":    get(L,   200, 200, 403, 200, 200, 200),
    "complaints:contact_detail":   get(L,   200, 200, 403, 200, 200, 404, pk="contact"),
    "complaints:contact_reveal":  post(L,   200, 200, 403, 403, 200, 404, pk="contact"),
    "complaints:contact_correct":  get(L,   200, 200, 403, 403, 200, 404, pk="contact"),
    # The case page, documents, attachments: the office reads; mediators and other units get 404.
    "complaints:case_detail":      get(L,   200, 200, 404, 200, 200, 404, pk="case"),
    "complaints:step_redirect":    get(L,   R,   R,   404, R,   R,   404, step_pk="step"),
    "complaints:case_reveal":     post(L,   200, 200, 404, 403, 200, 404, pk="case"),
    "complaints:case_action":     post(L,   400, 400, 404, 400, 400, 404, pk="case", action=Lit("progress")),
    "complaints:extension_decide": post(L,  R,   R,   404, R,   R,   404, pk="case", request_pk="extension"),
    "complaints:step_complete":   post(L,   R,   R,   404, R,   R,   404, pk="case", step_pk="step"),
    # 暂停计时, 重大/群体性, 暴露一件: who may is checked by the services (tested in the apps' own tests).
    "complaints:clock_pause":     post(L,   R,   R,   404, R,   R,   404, pk="case"),
    "complaints:clock_resume":    post(L,   R,   R,   404, R,   R,   404, pk="case"),
    "complaints:mark_major":      post(L,   R,   R,   404, R,   R,   404, pk="case"),
    "complaints:urgent_report":   post(L,   R,   R,   404, R,   R,   404, pk="case"),
    "complaints:interview_from_case": post(L, R, R,   404, R,   R,   404, pk="case"),
    "complaints:attachment_upload": post(L, R,   R,   404, R,   R,   404, pk="case"),
    "complaints:attachment_download": get(L, 200, 200, 404, 200, 200, 404, pk="case", attachment_pk="attachment"),
    "complaints:document_pdf":     get(L,   200, 200, 404, 403, 200, 404, pk="case", document_pk="document"),
    # The archive (归档): a filed case's supplements and bundle; the yearly list and destruction of each office.
    "complaints:case_file":       post(L,   R,   R,   404, R,   R,   404, pk="case"),
    "complaints:supplement_add":  post(L,   R,   R,   404, R,   R,   404, pk="filed_case"),
    "complaints:bundle_request":  post(L,   R,   R,   404, R,   R,   404, pk="filed_case"),
    "complaints:bundle_status":    get(L,   200, 200, 404, 200, 200, 404, pk="filed_case"),
    "complaints:bundle_download":  get(L,   200, 200, 404, 403, 200, 404, pk="filed_case", part=Lit("pdf")),
    "complaints:archive_index":    get(L,   200, 200, 403, 200, 200, 200),
    "complaints:destruction_index": get(L,  200, 200, 403, 200, 200, 200),
    "complaints:destruction_propose": post(L, R, R,   404, R,   R,   404, archive_pk="filed_archive"),
    "complaints:destruction_decide": post(L, R,  R,   404, R,   R,   404, decision_pk="decision"),

    # --- 机构与清单 (mediators 403 on pages, 404 on records; the import is the administrator's) ------
    "institutions:index":          get(L,   200, 200, 403, 200, 200, 200),
    "institutions:ranking":        get(L,   200, 200, 403, 200, 200, 200),
    "institutions:import":         get(L,   403, 403, 403, 403, 200, 403),
    "institutions:import_template": get(L,  403, 403, 403, 403, 200, 403),
    "institutions:interview_list": get(L,   200, 200, 403, 200, 200, 200),
    "institutions:interview_create": post(L, R,  R,   403, R,   R,   R),
    "institutions:interview_propose": post(L, R, R,   403, 403, 403, R),
    "institutions:interview_detail": get(L, 200, 200, 404, 200, 200, 404, pk="interview"),
    "institutions:interview_attach": post(L, R,  R,   404, R,   R,   404, pk="interview"),
    "institutions:rectification_done": post(L, R, R,  404, R,   R,   404, pk="interview", item_pk="rectification"),
    "institutions:interview_action": post(L, R,  R,   404, R,   R,   404, pk="interview", action=Lit("dismiss")),
    "institutions:rectification_item": get(L, R, R,   404, R,   R,   404, pk="rectification"),
    "institutions:survey_finding": get(L,   R,   R,   404, R,   R,   404, pk="finding"),
    "institutions:attachment_download": get(L, 200, 200, 404, 200, 200, 404, pk="interview_attachment"),
    "institutions:survey_list":    get(L,   200, 200, 403, 200, 200, 200),
    "institutions:survey_detail":  get(L,   200, 200, 404, 200, 200, 404, pk="survey"),
    "institutions:survey_add_finding": post(L, R, R,  404, R,   R,   404, pk="survey"),
    "institutions:survey_close":  post(L,   R,   R,   404, R,   R,   404, pk="survey"),
    "institutions:survey_follow_up": post(L, R,  R,   404, R,   R,   404, pk="survey", finding_pk="finding"),
    "institutions:survey_finding_to_list": post(L, R, R, 404, R, R,  404, pk="survey", finding_pk="finding"),
    "institutions:survey_finding_interview": post(L, R, R, 404, R, R, 404, pk="survey", finding_pk="finding"),
    "institutions:list_index":     get(L,   200, 200, 403, 200, 200, 200),
    "institutions:list_create":   post(L,   R,   R,   403, 403, 403, R),
    # The branch sees only lists reported to it: the reported list for reading, the draft for editing.
    "institutions:list_detail":    get(L,   200, 200, 404, 200, 200, 404, pk="reported_list"),
    "institutions:list_status":    get(L,   200, 200, 404, 200, 200, 404, pk="reported_list"),
    "institutions:list_download":  get(L,   200, 200, 404, 200, 200, 404, pk="reported_list", kind=Lit("pdf")),
    "institutions:list_generate": post(L,   R,   R,   404, 404, R,   404, pk="draft_list"),
    "institutions:item_decide":   post(L,   R,   R,   404, 404, R,   404, pk="draft_list", item_pk="item"),
    "institutions:item_edit":     post(L,   R,   R,   404, 404, R,   404, pk="draft_list", item_pk="item"),
    "institutions:item_add":      post(L,   R,   R,   404, 404, R,   404, pk="draft_list", row_pk="row"),
    "institutions:row_assessment": post(L,  R,   R,   404, 404, R,   404, pk="draft_list", row_pk="row"),
    "institutions:list_action":   post(L,   R,   R,   404, 404, R,   404, pk="draft_list", action=Lit("submit")),

    # --- 信访投诉统计 (the branch sees only reports submitted to it; a mediator none) ------------------
    "statistics:index":            get(L,   200, 200, 403, 200, 200, 200),
    "statistics:create":          post(L,   R,   R,   403, 403, 403, R),
    "statistics:branch":           get(L,   403, 403, 403, 200, 200, 403),
    "statistics:detail":           get(L,   200, 200, 403, 200, 200, 404, pk="submitted_report"),
    "statistics:status":           get(L,   200, 200, 403, 200, 200, 404, pk="submitted_report"),
    "statistics:download":         get(L,   200, 200, 403, 200, 200, 404, pk="submitted_report", kind=Lit("pdf")),
    "statistics:generate":        post(L,   R,   R,   403, 404, R,   404, pk="draft_report"),
    "statistics:summary":         post(L,   400, 400, 403, 404, 400, 404, pk="draft_report"),  # empty form: 400
    "statistics:action":          post(L,   R,   R,   403, 404, R,   404, pk="draft_report", action=Lit("check")),

    # --- 纠纷调解 (the mediator sees only the case assigned to them, after declaring) ----------------
    "mediation:index":             get(L,   *ALL),
    "mediation:register":          get(L,   200, 200, 403, 403, 200, 200),
    "mediation:refer_case":       post(L,   R,   R,   403, 403, R,   404, case_pk="case"),
    "mediation:figures":           get(L,   *ALL),
    "mediation:figures_export":    get(L,   200, 200, 404, 200, 200, 200),
    "mediation:detail":            get(L,   200, 200, 200, 200, 200, 404, pk="mediation"),
    "mediation:recusal":           get(L,   404, 404, 200, 404, 404, 404, pk="mediation_waiting"),
    "mediation:case_action":     post(L,   400, 400, 400, 400, 400, 404, pk="mediation", action=Lit("payment")),
    "mediation:agent_document":    get(L,   200, 200, 200, 403, 200, 404, pk="mediation", agent_pk="agent"),
    "mediation:agreement_pdf":     get(L,   200, 200, 200, 200, 200, 404, pk="mediation"),

    # --- 宣传教育 (mediators 403; the branch reads only) -------------------------------------------
    "outreach:index":              get(L,   200, 200, 403, 200, 200, 200),
    "outreach:event_create":       get(L,   200, 200, 403, 403, 200, 200),
    "outreach:event_detail":       get(L,   200, 200, 403, 200, 200, 404, pk="event"),
    "outreach:event_edit":         get(L,   200, 200, 403, 403, 200, 404, pk="event"),
    "outreach:photo_upload":      post(L,   R,   R,   403, 403, R,   404, pk="event"),
    "outreach:photo_delete":      post(L,   R,   R,   403, 403, R,   404, pk="photo"),
    "outreach:photo_file":         get(L,   200, 200, 403, 200, 200, 404, pk="photo", size=Lit("thumb")),
    "outreach:calendar":           get(L,   200, 200, 403, 200, 200, 200),
    "outreach:figures":            get(L,   200, 200, 403, 200, 200, 200),
    "outreach:figures_export":     get(L,   200, 200, 403, 200, 200, 200),
    "outreach:media_list":         get(L,   200, 200, 403, 200, 200, 200),
    "outreach:media_create":       get(L,   200, 200, 403, 403, 200, 200),
    "outreach:media_detail":       get(L,   200, 200, 403, 200, 200, 404, pk="media"),
    "outreach:media_edit":         get(L,   200, 200, 403, 403, 200, 404, pk="media"),
    "outreach:media_award_add":   post(L,   R,   R,   403, 403, R,   404, pk="media"),
    "outreach:training_list":      get(L,   200, 200, 403, 200, 200, 200),
    "outreach:training_create":    get(L,   200, 200, 403, 403, 200, 200),
    "outreach:training_detail":    get(L,   200, 200, 403, 200, 200, 404, pk="training"),
    "outreach:training_edit":      get(L,   200, 200, 403, 403, 200, 404, pk="training"),

    # --- 督办看板、工作任务、通知 (the task: supervisor assigned it to clerk_a; the notice is clerk_a's) --
    "dashboard:board":             get(L,   403, 200, 403, 200, 200, 403),
    "dashboard:deadline_list":     get(L,   403, 200, 403, 200, 200, 403),
    "dashboard:task_list":         get(L,   *ALL),
    "dashboard:task_add":         post(L,   403, 400, 403, 403, 400, 403),  # empty form: shown again, 400
    "dashboard:task_detail":       get(L,   200, 200, 404, 200, 200, 404, pk="task"),
    "dashboard:task_edit":         get(L,   403, 200, 404, 403, 200, 404, pk="task"),
    "dashboard:task_done":        post(L,   R,   R,   404, R,   R,   404, pk="task"),
    "dashboard:task_cancel":      post(L,   R,   R,   404, R,   R,   404, pk="task"),
    "dashboard:notification_list": get(L,   *ALL),
    "dashboard:notification_read": post(L,  R,   404, 404, 404, 404, 404, pk="notification"),
    "dashboard:notification_read_all": post(L, R, R,  R,   R,   R,   R),
}
# fmt: on

APP_GROUPS = {
    "core": ("home", "login", "logout", "core:", "security:"),
    "complaints": ("complaints:",),
    "institutions": ("institutions:",),
    "mediation": ("mediation:",),
    "outreach": ("outreach:",),
    "dashboard": ("dashboard:",),
    "statistics": ("statistics:",),
}
BUILDERS = {
    "core": (),
    "complaints": ("complaints",),
    "institutions": ("institutions",),
    "mediation": ("complaints", "mediation"),
    "outreach": ("outreach",),
    "dashboard": ("dashboard",),
    "statistics": ("statistics",),
}


def walk(patterns, namespace: str = "", prefix: str = ""):
    """Every URL pattern as (qualified name, route text, callback)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, prefix + str(entry.pattern), entry.callback


def app_routes():
    return [(name, route) for name, route, _cb in walk(get_resolver().url_patterns) if not route.startswith("admin/")]


def admin_routes():
    return [(name, route) for name, route, _cb in walk(get_resolver().url_patterns) if route.startswith("admin/")]


def test_every_url_has_an_expectation():
    unnamed = [route for name, route in app_routes() if name is None]
    assert not unnamed, f"URL 没有名称，无法写入权限矩阵：{unnamed}"
    names = {name for name, _route in app_routes()}
    missing = sorted(names - ROUTES.keys())
    stale = sorted(ROUTES.keys() - names)
    assert not missing, f"新 URL 尚未写入 tests/core/test_route_matrix.py 的 ROUTES：{missing}"
    assert not stale, f"ROUTES 中的 URL 已不存在：{stale}"
    grouped = {name for name in ROUTES if any(name.startswith(p) for ps in APP_GROUPS.values() for p in ps)}
    assert grouped == set(ROUTES), f"未归入任何分组：{sorted(set(ROUTES) - grouped)}"


# --- The world and the walk ------------------------------------------------------------------------


@pytest.fixture
def world(request, orgs, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "files"
    settings.MEDIA_ROOT = tmp_path / "files"
    users = {persona: request.getfixturevalue(name) for persona, name in FIXTURES.items()}
    with time_machine.travel(NOW, tick=False):
        records = route_world.build_world(users, orgs["laizhou"], BUILDERS[request.node.callspec.params["group"]])
        yield records


def _url(name: str, route: Route, records: dict) -> str:
    kwargs = {key: value if isinstance(value, Lit) else records[value].pk for key, value in route.kwargs.items()}
    return reverse(name, kwargs=kwargs)


def _outcome(response):
    if response.status_code == 302:
        return L if response["Location"].startswith(reverse("login")) else R
    return response.status_code


def _request(client: Client, method: str, url: str, query: dict):
    """One request in a savepoint that is rolled back: nothing a persona does is seen by the next."""
    with transaction.atomic():
        try:
            response = client.get(url, query) if method == "GET" else client.post(url, {})
        except Exception as exc:  # a crash is an outcome to report, with the others
            response = exc
        transaction.set_rollback(True)
    return response


def _client(persona: str, records: dict) -> Client:
    client = Client()
    if persona != "anon":
        sign_in(client, records["users"][persona])
    return client


@pytest.mark.parametrize("group", list(APP_GROUPS))
def test_every_persona_gets_the_expected_status_on_every_url(group, world):
    names = [name for name in ROUTES if any(name.startswith(prefix) for prefix in APP_GROUPS[group])]
    mismatches = []
    with time_machine.travel(NOW, tick=False):
        clients = {persona: _client(persona, world) for persona in PERSONAS}
        for name in names:
            route = ROUTES[name]
            url = _url(name, route, world)
            for persona in PERSONAS:
                # Signing out ends the client's session: it gets a client of its own.
                client = _client(persona, world) if name == "logout" else clients[persona]
                response = _request(client, route.method, url, route.query)
                outcome = f"异常 {response!r}" if isinstance(response, Exception) else _outcome(response)
                if outcome != route.expected[persona]:
                    mismatches.append(
                        f"{name} {route.method} {url} {persona}: 应为 {route.expected[persona]}，实为 {outcome}"
                    )
                elif not isinstance(response, Exception):
                    assert response.has_header("Content-Security-Policy"), f"{url} {persona} 缺少 CSP"
                    assert response["X-Content-Type-Options"] == "nosniff", f"{url} {persona}"
            if route.method == "POST":
                outcome = _outcome(_request(clients["clerk"], "GET", url, {}))
                if outcome != 405:
                    mismatches.append(f"{name} GET {url} clerk: 只接受 POST，GET 应为 405，实为 {outcome}")
    assert not mismatches, "\n".join(mismatches)


# --- The admin, as a group -------------------------------------------------------------------------


def concrete_admin_path(route: str) -> str:
    """A real path for an admin pattern: object ids 1, the first app label, a name for the catch-all."""
    path = re.sub(r"<(?:\w+:)?\w+>", "1", route).replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<app_label>(\w+)[^)]*\)", r"\1", path)
    path = path.replace("([^/]+)", "1").replace("(?P<url>.*)", "no-such-page/")
    return "/" + path


# The admin's login sends everyone to the one login page (second factor and all, core/security); signing out of
# the admin without being signed in to it just goes back to the index.
ADMIN_OPEN = {"admin:login": (302, "/accounts/login/?next=%2Fadmin%2F"), "admin:logout": (302, "/admin/")}


# Every non-staff persona meets the same check (is_staff); one of the office, one of the branch, and anonymous.
@pytest.mark.parametrize("persona", ["anon", "clerk", "rev"])
def test_admin_routes_send_everyone_but_staff_to_the_admin_login(request, persona, base_data, orgs):
    client = Client()
    if persona != "anon":
        sign_in(client, request.getfixturevalue(FIXTURES[persona]))
    login = reverse("admin:login")
    wrong = []
    for name, route in admin_routes():
        path = concrete_admin_path(route)
        assert resolve(path), path
        response = client.get(path)
        if name in ADMIN_OPEN:
            status, location = ADMIN_OPEN[name]
            ok = response.status_code == status and response.get("Location", "") == location
        else:
            ok = response.status_code == 302 and response["Location"].startswith(login)
        if not ok:
            wrong.append(f"{name or route} {path}: {response.status_code} {response.get('Location', '')}")
    assert not wrong, "\n".join(wrong)
    assert len(admin_routes()) > 100  # every registered model's pages were walked


def test_the_administrator_opens_every_admin_list_and_form(client_for, administrator):
    client = client_for(administrator)
    wrong = []
    for name, route in admin_routes():
        if name is None or "<" in route or "(" in route or name in ADMIN_OPEN:
            continue
        status = client.get(concrete_admin_path(route)).status_code
        # 403: the admin offers no form where records are made by the app's own pages (e.g. events).
        if status not in (200, 403):
            wrong.append(f"{name}: {status}")
    assert not wrong, wrong
