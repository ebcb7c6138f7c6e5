"""The mediation case page's actions: one view, the menu from mediation/transitions.py, the real forms posted."""

import pytest
from django.urls import reverse

from mediation.models import Offer, Source
from tests.factories import at
from tests.helpers import page_form, page_forms

pytestmark = pytest.mark.django_db


def _detail(case):
    return reverse("mediation:detail", args=[case.pk])


def test_the_menu_follows_the_transition_table_for_each_person_and_status(
    make_mediation, client_for, clerk_a, reviewer, mediator, court_mediator
):
    with at("2026-03-10"):
        applied = make_mediation()
        mediating = make_mediation(stage="mediating", mediator=court_mediator)
        session = make_mediation(stage="session", mediator=court_mediator)
        # One signed-in person at a time: client_for signs the one test client in.
        office = client_for(clerk_a)
        assert page_forms(office.get(_detail(applied))) == {"consent", "agent", "outcome"}
        assert page_forms(office.get(_detail(mediating))) == {"extend", "agent", "session", "outcome"}
        assert "private_note" not in page_forms(office.get(_detail(session)))
        assert page_forms(client_for(reviewer).get(_detail(session))) == set()
        # Only the case's own mediator writes the private notes, one form per session.
        own_mediator = client_for(mediator)
        assert page_forms(own_mediator.get(_detail(session))) == {"session", "offer", "private_note", "outcome"}


def test_an_offer_is_recorded_on_its_session_through_the_page(make_mediation, client_for, mediator, court_mediator):
    client = client_for(mediator)
    with at("2026-03-10"):
        case = make_mediation(stage="session", mediator=court_mediator)
        url, data = page_form(client.get(_detail(case)), "offer")
        data.update(side="respondent", amount="1500", terms="退还一半手续费")
        response = client.post(url, data, follow=True)
    assert "登记方案/还价：已完成。" in response.content.decode()
    offer = Offer.objects.get()
    assert offer.session == case.sessions.get() and offer.terms == "退还一半手续费"


def test_an_offer_on_another_cases_session_is_refused(make_mediation, client_for, clerk_a, paper_mediator):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        case = make_mediation(stage="session", mediator=paper_mediator)
        other = make_mediation(stage="session", mediator=paper_mediator, source=Source.DIRECT)
        url, data = page_form(client.get(_detail(case)), "offer")
        data.update(session=str(other.sessions.get().pk), side="respondent", amount="1500")
        response = client.post(url, data)
    assert response.status_code == 400 and not Offer.objects.exists()
    assert "选择一个有效的选项" in response.content.decode()  # the hidden field's error, shown as a message


def test_a_form_that_does_not_validate_comes_back_filled_in_with_its_errors(
    make_mediation, client_for, clerk_a, paper_mediator
):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        case = make_mediation(stage="mediating", mediator=paper_mediator)
        url, data = page_form(client.get(_detail(case)), "session")
        data.update(minutes="申请人陈述，机构未到场。", attendees="")
        response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "申请人陈述，机构未到场。" in body and "这个字段是必填项。" in body
    assert not case.sessions.exists()


def test_an_unknown_action_is_404(make_mediation, client_for, clerk_a):
    with at("2026-03-10"):
        case = make_mediation()
        response = client_for(clerk_a).post(reverse("mediation:case_action", args=[case.pk, "delete"]), {})
    assert response.status_code == 404
