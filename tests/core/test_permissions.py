"""The foundation's rows of the README permission matrix."""

import pytest
from django.urls import reverse

PERSONAS = ["clerk_a", "supervisor", "mediator", "reviewer", "administrator", "other_clerk"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", ["home", "core:deadline_calculator", "core:absence_list"])
def test_every_signed_in_persona_reaches_the_shared_pages(request, client_for, persona, url_name):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["home", "core:deadline_calculator", "core:absence_list", "admin:index"])
def test_anonymous_is_redirected_to_login(client, base_data, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "can_manage"),
    [("clerk_a", False), ("mediator", False), ("reviewer", False), ("supervisor", True), ("administrator", True)],
)
def test_only_supervisors_and_administrators_record_absences_for_others(
    request, client_for, clerk_b, persona, can_manage
):
    from core.models import Absence

    user = request.getfixturevalue(persona)
    client_for(user).post(
        reverse("core:absence_list"),
        {"user": clerk_b.pk, "start_on": "2026-12-01", "end_on": "2026-12-02", "kind": "training"},
    )
    assert Absence.objects.filter(user=clerk_b).exists() is can_manage


@pytest.mark.parametrize(("persona", "status"), [("clerk_a", 302), ("supervisor", 302), ("administrator", 200)])
def test_admin_site_is_for_administrators(request, client_for, persona, status):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("admin:index")).status_code == status


@pytest.mark.parametrize("url_name", ["complaints:index", "complaints:summary", "complaints:ledger_export"])
def test_mediators_cannot_open_the_office_ledger(client_for, mediator, url_name):
    response = client_for(mediator).get(reverse(url_name))
    assert response.status_code == 403


def _nav(client):
    page = client.get(reverse("home")).content.decode()
    return page[page.index("<nav") : page.index("</nav>")]


def test_navigation_follows_the_role(client_for, mediator, reviewer, clerk_a):
    mediator_nav = _nav(client_for(mediator))
    assert "纠纷调解" in mediator_nav
    assert "来访来电登记" not in mediator_nav and "宣传教育" not in mediator_nav and "机构与清单" not in mediator_nav
    reviewer_nav = _nav(client_for(reviewer))
    assert "信访投诉" in reviewer_nav and "来访来电登记" not in reviewer_nav
    clerk_nav = _nav(client_for(clerk_a))
    assert "来访来电登记" in clerk_nav and "宣传教育" in clerk_nav


@pytest.mark.parametrize("order", ["administrator first", "mediator first"])
def test_the_menu_kept_for_one_role_is_never_shown_to_another(
    client_for, settings, order, administrator, mediator, clerk_a
):
    """The menu is drawn once per set of flags (core/templatetags/core_nav.py); whoever opens a page first, each
    user gets the menu of their own roles, the same as drawn fresh from the template."""
    from django.template.loader import render_to_string

    from core.templatetags import core_nav

    settings.DEBUG = False
    core_nav._drawn.clear()
    users = [administrator, mediator, clerk_a] if order == "administrator first" else [mediator, clerk_a, administrator]
    menus = {user.username: _nav(client_for(user)) for user in users}
    assert "管理后台" in menus[administrator.username]
    assert "管理后台" not in menus[clerk_a.username] and "来访来电登记" in menus[clerk_a.username]
    assert "信访投诉台账" not in menus[mediator.username] and "纠纷调解" in menus[mediator.username]
    assert len(core_nav._drawn) == 3
    for user in users:
        request = client_for(user).get(reverse("home")).wsgi_request
        fresh = render_to_string(core_nav.TEMPLATE, request=request)
        assert fresh.strip() in menus[user.username]
