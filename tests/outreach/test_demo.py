import io

import pytest
from django.utils import timezone

from laizhou_xiaobao.demo import outreach as demo
from laizhou_xiaobao.demo.base import demo_password, seed_accounts, seed_institutions, seed_orgs
from outreach.models import Event, EventPhoto, GridCell, MediaWork, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_seed_builds_three_years_in_the_laizhou_grid_and_is_idempotent(base_data):
    orgs = seed_orgs()
    seed_accounts(orgs, demo_password())
    seed_institutions(orgs)
    out = io.StringIO()

    demo.seed(orgs=orgs, stdout=out)
    counts = (
        Event.objects.count(),
        GridCell.objects.count(),
        MediaWork.objects.count(),
        TrainingSession.objects.count(),
    )
    demo.seed(orgs=orgs, stdout=io.StringIO())

    assert (
        Event.objects.count(),
        GridCell.objects.count(),
        MediaWork.objects.count(),
        TrainingSession.objects.count(),
    ) == counts
    year = timezone.localdate().year
    years = set(Event.objects.values_list("held_on__year", flat=True))
    assert years == {year - 2, year - 1, year}
    towns = set(GridCell.objects.filter(org=orgs["laizhou"], parent=None).values_list("name", flat=True))
    assert {"文昌路街道", "城港路街道", "永安路街道", "三山岛街道", "沙河镇", "朱桥镇", "金城镇"} <= towns
    assert GridCell.objects.filter(org=orgs["laizhou"], parent__isnull=False).count() >= 15
    assert EventPhoto.objects.exists()
    assert "宣传教育：" in out.getvalue()
