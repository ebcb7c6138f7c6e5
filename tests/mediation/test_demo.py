"""The demo seed: partners, roster and mediations over three years; running it twice changes nothing."""

import pytest

from laizhou_xiaobao.demo import mediation as demo
from laizhou_xiaobao.demo.base import demo_password, seed_accounts, seed_institutions, seed_orgs
from mediation.models import MediationCase, Mediator, PartnerOrganisation, Status
from tests.factories import at

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_spans_three_years(base_data):
    with at("2026-11-26"):
        orgs = seed_orgs()
        seed_accounts(orgs, demo_password())
        seed_institutions(orgs)
        demo.seed(orgs=orgs, cases=None, stdout=None)
        counts = (PartnerOrganisation.objects.count(), Mediator.objects.count(), MediationCase.objects.count())
        demo.seed(orgs=orgs, cases=None, stdout=None)
    assert counts == (PartnerOrganisation.objects.count(), Mediator.objects.count(), MediationCase.objects.count())
    assert set(PartnerOrganisation.objects.values_list("name", flat=True)) == {
        "莱州市人民法院",
        "烟台市银行业协会",
        "烟台市保险行业协会",
        "莱州金融监管支局",
    }
    assert Mediator.objects.get(user__username="lz_mediator").partner.name == "莱州市人民法院"
    years = {d.year for d in MediationCase.objects.values_list("received_on", flat=True)}
    assert years == {2024, 2025, 2026}
    assert MediationCase.objects.filter(outcome="agreement").exists()
    assert MediationCase.objects.filter(mediator__user__username="lz_mediator", status=Status.ASSIGNED).exists()
    # The court's rules in the demo: 委托 agreements go back to the court, never to judicial confirmation; the
    # summary procedure's 委托 cases run on 7 days.
    entrusted = MediationCase.objects.filter(source="court_after", outcome="agreement")
    assert entrusted.exists() and not entrusted.filter(confirmation_applied_on__isnull=False).exists()
    assert not entrusted.filter(returned_to_court_on__isnull=True).exists()
    from core.models import Deadline

    short = Deadline.objects.filter(rule__code="M-ENTRUST", rule_days=7)
    assert short.exists() and MediationCase.objects.filter(summary_procedure=True).exists()
