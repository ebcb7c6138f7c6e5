"""The roster in the admin: a mediator's linked account must hold the mediator role."""

import pytest
from django.urls import reverse

from mediation.admin import MediatorAdminForm
from mediation.models import Mediator

pytestmark = pytest.mark.django_db


def test_linked_account_must_have_the_mediator_role(partners, clerk_a, mediator):
    form = MediatorAdminForm(
        data={"partner": partners["court"].pk, "name": "林晓岚", "active": True, "user": clerk_a.pk}
    )
    assert not form.is_valid()
    assert "调解员" in form.errors["user"][0]
    form = MediatorAdminForm(
        data={"partner": partners["court"].pk, "name": "高文静", "active": True, "user": mediator.pk}
    )
    assert form.is_valid(), form.errors
    assert form.save().user == mediator


def test_administrator_maintains_partners_and_roster_in_the_admin(client_for, administrator, partners, clerk_a):
    Mediator.objects.create(partner=partners["banking"], name="刘春华", specialities="银行卡")
    client = client_for(administrator)
    assert "烟台市银行业协会" in client.get(reverse("admin:mediation_partnerorganisation_changelist")).content.decode()
    assert "刘春华" in client.get(reverse("admin:mediation_mediator_changelist")).content.decode()
    # Clerks have no admin access to the roster.
    assert client_for(clerk_a).get(reverse("admin:mediation_mediator_changelist")).status_code == 302
