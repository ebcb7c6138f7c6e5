"""Accessibility in the browser: axe-core (axe-playwright-python, bundled, no CDN) over every main page, as each role
that can open it, on demo data. No violation of impact serious or critical under the WCAG 2.1 A/AA rules may remain.
One browser context per role visits that role's pages. Also: the skip link and the visible focus ring, and the branch
reviewer's side-by-side dashboard keeps its table headers on one line."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from complaints.models import Case, Contact
from core.models import Task
from institutions.models import Interview, QuarterlyList, Survey
from laizhou_xiaobao.demo.base import demo_password
from mediation.models import MediationCase
from outreach.models import Event, MediaWork, TrainingSession
from tests.auth import submit_login
from tests.conftest import empty_database, ensure_base_data

# One seeding and one server serve the module: its two tests share one xdist worker (`--dist loadgroup`). The
# django_db mark has pytest-django create the test database and run these tests with the transactional ones, but the
# module, not each test, keeps the database (see `_django_db_helper` below).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("accessibility"),
]

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_A_AA}, "resultTypes": ["violations"]}


@pytest.fixture
def _django_db_helper():
    """Replaces pytest-django's per-test transaction (or emptying of the database) for this module's tests: they
    share the committed demo of `demo_site`, which empties the database after the last of them."""
    yield


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """seed_demo with few cases, on a pinned day (the clock keeps ticking for the server), served by a live server
    of the module's own: once for both tests. The demo is committed so that the server's thread sees it; pytest-django's
    `live_server` would make each test transactional and empty the database, demo and all, after each. Afterwards
    the database is emptied and the base data put back, as a transactional test leaves it."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True):
        ensure_base_data()
        call_command("seed_demo", "--cases", "40", "--force", stdout=io.StringIO())
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            empty_database()


def role_pages() -> dict[str, list[str]]:
    # An open case of Laizhou, so that the page shows its action forms (which statuses the demo's few cases reach
    # depends on the seed, not on this test).
    laizhou_case = Case.objects.filter(org__code="laizhou").exclude(status="closed").order_by("status", "pk").first()
    case = f"/complaints/cases/{laizhou_case.pk}/"
    task = f"/dashboard/tasks/{Task.objects.filter(org__code='laizhou').order_by('pk').first().pk}/"
    interview = f"/institutions/interviews/{Interview.objects.order_by('pk').first().pk}/"
    quarterly_list = f"/institutions/lists/{QuarterlyList.objects.order_by('pk').first().pk}/"
    survey = f"/institutions/surveys/{Survey.objects.order_by('pk').first().pk}/"
    mediation = f"/mediation/{MediationCase.objects.filter(org__code='laizhou').order_by('pk').first().pk}/"
    own = MediationCase.objects.filter(mediator__user__username="lz_mediator")
    mediator_case = f"/mediation/{own.filter(recusal_declared_at__isnull=False).first().pk}/"
    recusal = f"/mediation/{own.filter(recusal_declared_at__isnull=True).first().pk}/recusal/"
    contact = f"/complaints/contacts/{Contact.objects.filter(org__code='laizhou').order_by('pk').first().pk}/"
    event = f"/outreach/events/{Event.objects.order_by('pk').first().pk}/"
    media = f"/outreach/media/{MediaWork.objects.order_by('pk').first().pk}/"
    training = f"/outreach/training/{TrainingSession.objects.order_by('pk').first().pk}/"
    common = ["/", "/dashboard/tasks/", "/dashboard/notifications/", "/core/tools/deadline/", "/core/absences/"]
    return {
        "lz_clerk_a": [
            *common,
            "/complaints/",
            "/complaints/intake/?channel=visit",
            "/complaints/intake/?channel=phone",
            "/complaints/intake/?channel=12378",
            case,
            "/complaints/contacts/",
            contact,
            f"{contact}correct/",
            "/complaints/summary/",
            task,
            "/institutions/",
            "/institutions/ranking/",
            "/institutions/interviews/",
            interview,
            "/institutions/lists/",
            quarterly_list,
            "/institutions/surveys/",
            survey,
            "/mediation/",
            "/mediation/new/",
            mediation,
            "/mediation/figures/",
            "/outreach/",
            "/outreach/events/new/",
            event,
            "/outreach/calendar/",
            "/outreach/figures/",
            "/outreach/media/",
            media,
            "/outreach/training/",
            training,
        ],
        "lz_supervisor": [*common, "/dashboard/", "/complaints/", case, quarterly_list],
        "lz_mediator": [*common, "/mediation/", mediator_case, recusal],
        "yt_reviewer": [
            "/",
            "/dashboard/",
            "/complaints/",
            case,
            "/complaints/contacts/",
            "/institutions/",
            "/institutions/ranking/",
            "/institutions/interviews/",
            "/institutions/lists/",
            "/mediation/",
            "/outreach/",
        ],
        "admin": ["/", "/dashboard/", "/complaints/", "/institutions/import/", "/core/absences/"],
    }


def log_in(page, server, username):
    page.goto(server.url + "/accounts/login/")
    submit_login(page, username, demo_password())
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def serious_violations(axe: Axe, page) -> list[str]:
    results = axe.run(page, options=AXE_OPTIONS)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [" ".join(node["target"]) for node in violation["nodes"][:8]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def test_every_main_page_as_every_role_passes_axe(demo_site, browser):
    axe = Axe()
    failures: dict[str, list[str]] = {}
    pages = role_pages()
    for username, urls in {"": ["/accounts/login/"], **pages}.items():
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce")
        page = context.new_page()
        page.set_default_timeout(20_000)
        if username:
            log_in(page, demo_site, username)
        for url in urls:
            response = page.goto(demo_site.url + url)
            assert response.status == 200, (username, url, response.status)
            page.wait_for_load_state("load")
            if problems := serious_violations(axe, page):
                failures[f"{username or '未登录'} {url}"] = problems
        context.close()
    assert failures == {}, "\n".join(f"{page}: {problems}" for page, problems in failures.items())


def test_skip_link_focus_ring_and_reviewer_dashboard_headers(demo_site, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1500, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, demo_site, "yt_reviewer")
    page.goto(demo_site.url + "/dashboard/")
    # The first Tab reaches the skip link, which shows itself and jumps to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab lands inside the content with a visible focus ring.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    # Side by side (two offices), no header is squeezed to one character a line.
    expect(page.get_by_test_id("office-laizhou")).to_be_visible()
    heights = page.evaluate(
        """() => Array.from(document.querySelectorAll('.dashboard-board th')).map(th => {
             const style = getComputedStyle(th);
             return [th.textContent.trim(), th.getBoundingClientRect().height, parseFloat(style.lineHeight)];
           })"""
    )
    assert heights
    tall = [(text, height) for text, height, line in heights if height > 2.2 * line]
    assert tall == []
    context.close()
