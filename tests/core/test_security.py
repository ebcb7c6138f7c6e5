"""Security settings that hold for every page: session lifetime, CSP, login throttling, private uploads.

The permission of each URL is in test_route_matrix.py; the production settings are checked by
`manage.py check --deploy` in .ci/run.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.views.static import serve

from core.middleware import ContentSecurityPolicyMiddleware
from tests.core import route_world
from tests.core.test_route_matrix import walk
from tests.factories import PASSWORD, make_institution

START = dt.datetime(2026, 3, 10, 8, 30, tzinfo=dt.UTC)


def _login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


# --- Session lifetime ------------------------------------------------------------------------------


def test_session_lasts_a_working_day_and_ends_with_the_browser(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_a_session_expires_after_eight_hours(client, clerk_a):
    with time_machine.travel(START, tick=False) as traveller:
        response = _login(client, "clerk_a")
        assert response.status_code == 302
        cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
        # A browser-session cookie: no max-age and no expiry date, so closing the browser ends it.
        assert cookie["max-age"] == "" and cookie["expires"] == ""
        # Busy all day (a page every 20 minutes, within the idle timeout): still signed in at 7 h 59 min …
        for _ in range(23):
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=19))
        assert client.get(reverse("home")).status_code == 200
        # … and signed out past eight hours, however busy.
        traveller.shift(dt.timedelta(minutes=2))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _settings_value(name: str, env: dict) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "laizhou_xiaobao.settings", **env},
    )
    return result.stdout.strip()


def test_session_lifetime_is_configurable_by_environment():
    assert _settings_value("SESSION_COOKIE_AGE", {"SESSION_COOKIE_AGE": "3600"}) == "3600"


# --- Content security policy -----------------------------------------------------------------------


def test_policy_allows_no_inline_script_no_plugins_and_no_framing():
    policy = dict(part.strip().split(" ", 1) for part in ContentSecurityPolicyMiddleware.POLICY.split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_policy_is_sent_on_the_login_page_and_on_errors(client, base_data, client_for, clerk_a):
    for response in (client.get(reverse("login")), client_for(clerk_a).get("/no-such-page/")):
        assert response["Content-Security-Policy"] == ContentSecurityPolicyMiddleware.POLICY
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_templates_carry_no_inline_script_the_policy_would_block():
    offenders = []
    for path in Path(django_settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8").lower()
        if "<script>" in text or "<script type" in text or any(f" on{e}=" in text for e in ("click", "change", "load")):
            offenders.append(str(path))
    assert not offenders, offenders


# --- Login throttling (django-axes) ----------------------------------------------------------------


def test_five_failures_lock_that_username_from_that_address_for_thirty_minutes(client, clerk_a, clerk_b):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
            assert _login(client, "clerk_a", "wrong").status_code == 200
        assert _login(client, "clerk_a", "wrong").status_code == 429
        locked = _login(client, "clerk_a")  # now even the right password
        assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
        # Only that username from that address: a colleague at the same desk, or the same user elsewhere, gets in.
        assert _login(Client(), "clerk_b").status_code == 302
        assert _login(Client(), "clerk_a", REMOTE_ADDR="10.0.0.9").status_code == 302
        traveller.shift(dt.timedelta(minutes=29))
        assert _login(Client(), "clerk_a").status_code == 429
        # Every attempt while locked counts as a failure and starts the 30 minutes again.
        traveller.shift(dt.timedelta(minutes=29))
        assert _login(Client(), "clerk_a").status_code == 429
        traveller.shift(dt.timedelta(minutes=31))
        assert _login(Client(), "clerk_a").status_code == 302


# --- Uploaded files --------------------------------------------------------------------------------


def _inside(path, root) -> bool:
    return Path(path).resolve().is_relative_to(Path(root).resolve())


def test_private_files_live_outside_every_static_tree_and_have_no_url(settings):
    roots = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    for root in roots:
        assert not _inside(settings.PRIVATE_FILES_ROOT, root), root
        assert not _inside(root, settings.PRIVATE_FILES_ROOT), root
    assert settings.MEDIA_ROOT == settings.PRIVATE_FILES_ROOT
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    assert not getattr(settings, "WHITENOISE_ROOT", None)
    assert not [route for _name, route, callback in walk(get_resolver().url_patterns) if callback is serve]
    with pytest.raises(Resolver404):
        resolve("/media/complaints/anything.pdf")


@pytest.fixture
def uploads(orgs, clerk_a, supervisor, mediator, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = settings.MEDIA_ROOT = tmp_path / "files"
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC), tick=False):
        from institutions.reference_data import ensure_default_rules

        ensure_default_rules()
        laizhou = orgs["laizhou"]
        institution = make_institution(org=laizhou)
        records: dict = {}
        route_world.build_complaints(
            records, clerk_a=clerk_a, supervisor=supervisor, laizhou=laizhou, institution=institution
        )
        route_world.build_institutions(records, clerk_a=clerk_a, laizhou=laizhou, institution=institution)
        route_world.build_mediation(
            records, clerk_a=clerk_a, mediator=mediator, laizhou=laizhou, institution=institution
        )
        route_world.build_outreach(records, clerk_a=clerk_a, laizhou=laizhou)
        yield records


def test_uploads_are_stored_privately_and_leave_only_as_attachments(client_for, clerk_a, uploads, settings):
    stored = [
        uploads["attachment"].file,
        uploads["interview_attachment"].file,
        uploads["agent"].document,
        uploads["photo"].file,
        uploads["export"].job.file,  # a large export's file is its background job's result
    ]
    for field in stored:
        assert _inside(field.path, settings.PRIVATE_FILES_ROOT), field.path
        assert finders.find(field.name) is None, field.name
    client = client_for(clerk_a)
    downloads = [
        reverse("complaints:attachment_download", args=[uploads["case"].pk, uploads["attachment"].pk]),
        reverse("complaints:export_download", args=[uploads["export"].pk]),
        reverse("institutions:attachment_download", args=[uploads["interview_attachment"].pk]),
        reverse("institutions:list_download", args=[uploads["reported_list"].pk, "pdf"]),
        reverse("mediation:agent_document", args=[uploads["mediation"].pk, uploads["agent"].pk]),
    ]
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment"), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert "text/html" not in response["Content-Type"], url
    # Photos show inline in the event page: only as the image type they were checked to be.
    photo = client.get(reverse("outreach:photo_file", args=[uploads["photo"].pk, "original"]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(photo.streaming_content).startswith(b"\xff\xd8\xff")


def test_a_mediator_cannot_probe_which_ledger_cases_exist(client_for, mediator, uploads):
    """Referring a case to mediation is refused before the case is looked up: same answer, real or not."""
    client = client_for(mediator)
    real = client.post(reverse("mediation:refer_case", args=[uploads["case"].pk]))
    missing = client.post(reverse("mediation:refer_case", args=[uploads["case"].pk + 1000]))
    assert real.status_code == missing.status_code == 403


def test_charts_escape_every_label_they_mark_safe():
    """core/charts.py marks its SVG safe (bandit B308/B703 accepted): names from records must stay text."""
    from core.charts import bar_chart, line_chart

    hostile = '<script>alert(1)</script>"&'
    for svg in (
        bar_chart([hostile], {hostile: [3]}, title=hostile),
        bar_chart([hostile], {hostile: [3]}, title=hostile, horizontal=True),
        line_chart([hostile, "二月"], {hostile: [1, 2]}, title=hostile),
    ):
        assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;" in svg
