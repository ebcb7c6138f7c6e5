"""A case's clocks move their counts in the dashboard's summary (core.DeadlineDayCount) as the office works the
case from its page: registration, acceptance, an approved extension, a reassignment, a pause and its resumption,
and a ledger import. After each step the summary equals the direct aggregate over core.Deadline."""

import datetime as dt

import pytest
from django.urls import reverse

from complaints.services import (
    complaint_forward,
    complaint_institution_acknowledge,
    extension_request,
    petition_accept,
)
from core.models import Deadline
from tests.complaints.page_forms import page_form
from tests.complaints.test_clock_pauses import institution_clock, pause_data, rendered_form
from tests.complaints.test_ledger_import import HISTORICAL, OPEN, run, start
from tests.dashboard.conftest import bucket_totals, summary_groups
from tests.factories import at, make_institution

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)  # the complaints tests' frozen Tuesday


def detail(case):
    return reverse("complaints:case_detail", args=[case.pk])


@pytest.fixture
def forwarded(register, clerk_a, frozen):
    """A complaint forwarded and signed for today: the institution's clock C-INST runs 15 days, to 03-25."""
    case = register("complaint")
    complaint_forward(actor=clerk_a, case=case, version=case.version, told_via="phone", told_on=case.received_on)
    case.refresh_from_db()
    complaint_institution_acknowledge(
        actor=clerk_a, case=case, version=case.version, acknowledged_on=TODAY, acknowledged_by="王经理"
    )
    case.refresh_from_db()
    return case


def test_a_petition_worked_from_its_page_keeps_the_summary_in_step(
    register, clerk_a, clerk_b, supervisor, orgs, client_for, frozen
):
    office = orgs["laizhou"]
    case = register("petition")
    groups = summary_groups([office], TODAY)
    assert [(g["owner_id"], g["item_kind"], g["on_time"]) for g in groups] == [(clerk_a.pk, "case:petition", 1)]

    case = petition_accept(actor=clerk_a, case=case, version=case.version, route="办理")
    request = extension_request(actor=clerk_a, case=case, version=case.version, days=10, reason="需调取录音")
    supervisor_client = client_for(supervisor)
    response = supervisor_client.post(
        reverse("complaints:extension_decide", args=[case.pk, request.pk]), {"decision": "approve", "note": "同意"}
    )
    assert response.status_code == 302
    reply = Deadline.objects.get(object_id=case.pk, rule__code="P-REPLY")
    assert reply.extension_days == 10
    assert [g["on_time"] for g in summary_groups([office], TODAY)] == [1]

    form = page_form(supervisor_client.get(detail(case)).content.decode(), **{"data-action": "reassign"})
    response = supervisor_client.post(form.url, form.fill(owner=clerk_b.pk, backup=clerk_a.pk, reason="A岗长期培训"))
    assert response.status_code == 302
    groups = summary_groups([office], TODAY)
    assert [(g["owner_id"], g["backup_id"], g["on_time"]) for g in groups] == [(clerk_b.pk, clerk_a.pk, 1)]


def test_a_paused_and_resumed_complaint_clock_moves_between_buckets(orgs, clerk_a, forwarded, client_for, frozen):
    office = orgs["laizhou"]
    client = client_for(clerk_a)
    assert bucket_totals(summary_groups([office], TODAY))["paused"] == 0
    response = client.post(reverse("complaints:clock_pause", args=[forwarded.pk]), pause_data(client, forwarded))
    assert response.status_code == 302
    assert bucket_totals(summary_groups([office], TODAY))["paused"] == 1

    frozen.move_to(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC))
    client = client_for(clerk_a)
    data = rendered_form(client.get(detail(forwarded)).content.decode(), "clock-resume")
    response = client.post(reverse("complaints:clock_resume", args=[forwarded.pk]), data)
    assert response.status_code == 302
    totals = bucket_totals(summary_groups([office], dt.date(2026, 3, 20)))
    assert totals["paused"] == 0 and totals["on_time"] == 1
    assert institution_clock(forwarded).due_on > dt.date(2026, 3, 25)


def test_a_ledger_import_counts_the_clocks_of_its_open_rows(client_for, supervisor, clerk_a, orgs, private_files):
    office = {
        "org": orgs["laizhou"],
        "bank": make_institution(org=orgs["laizhou"], short_name="莱州农商", full_name="莱州农商银行"),
    }
    with at("2026-06-01"):
        client, record = start(client_for, supervisor, office, HISTORICAL + OPEN)
        run(client, record, "import")
        groups = summary_groups([orgs["laizhou"]], dt.date(2026, 6, 1))
    # The open 12378 row's C-FWD clock (due 06-03), under the bank it names; the historical rows have none.
    assert [(g["institution_id"], g["item_kind"], g["soon"]) for g in groups] == [
        (office["bank"].pk, "case:complaint", 1)
    ]
