"""A mediator's my-work page lists the 回避声明 they owe: the file stays closed to them until they declare."""

import pytest
from django.urls import reverse

from mediation.models import Source
from mediation.services import mediation_declare_recusal

pytestmark = pytest.mark.django_db


def test_a_pending_declaration_shows_on_the_mediators_my_work_until_made(
    client_for, mediator, court_mediator, make_mediation, frozen
):
    case = make_mediation(stage="assigned", source=Source.COURT_BEFORE_FILING, mediator=court_mediator)
    client = client_for(mediator)
    response = client.get(reverse("home"))
    assert [c.pk for c in response.context["recusals"]] == [case.pk]
    html = response.content.decode()
    assert "待作回避声明" in html and reverse("mediation:recusal", args=[case.pk]) in html
    assert case.number in html
    # The list shows the number, the source and the date only: no party's name before the declaration.
    assert "王小明" not in html
    mediation_declare_recusal(actor=mediator, case=case, has_conflict=False, statement="无利害关系。")
    response = client.get(reverse("home"))
    assert response.context["recusals"] == [] and "待作回避声明" not in response.content.decode()


def test_only_the_assigned_mediator_sees_it(
    client_for, mediator, other_mediator_user, court_mediator, clerk_a, make_mediation, frozen
):
    make_mediation(stage="assigned", mediator=court_mediator)
    assert client_for(other_mediator_user).get(reverse("home")).context["recusals"] == []
    assert client_for(clerk_a).get(reverse("home")).context["recusals"] == []


def test_mediator_home_query_count(
    client_for, mediator, court_mediator, make_mediation, frozen, django_assert_num_queries
):
    for _n in range(3):
        make_mediation(stage="assigned", mediator=court_mediator)
    client = client_for(mediator)
    client.get(reverse("home"))
    # session, the user with roles and unit (one query); calendar revisions; own items; covered items; their counts;
    # the recusal declarations owed; tasks; unread notifications.
    with django_assert_num_queries(9):
        response = client.get(reverse("home"))
    assert len(response.context["recusals"]) == 3
