"""The route matrix's write routes with valid data: the allowed personas change the record, no one else does.

test_route_matrix.py posts empty forms, which tests the gates in front of each form. Here the forms are
filled in, so what is checked is the refusal itself: for each persona the record's state is read before and
after the request (inside a savepoint that is rolled back), and it must change exactly for the personas the
README permission matrix allows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from tests.auth import sign_in
from tests.core import route_world
from tests.core.test_route_matrix import FIXTURES, NOW
from tests.factories import make_institution

SIGNED_IN = ("clerk", "sup", "med", "rev", "admin", "other")


@dataclass(frozen=True)
class Write:
    url: Any  # records -> url
    data: Any  # records -> POST data
    state: Any  # records -> something that changes when the write happens
    allowed: tuple[str, ...]


def _case_events(r):
    return r["case"].events.count()


WRITES = {
    # A/B and the supervisor work a case; the branch reads it; mediators and other units do not see it.
    "complaints:case_action progress": Write(
        lambda r: reverse("complaints:case_action", args=[r["case"].pk, "progress"]),
        lambda r: {"version": r["case"].version, "note": "电话联系机构核实"},
        _case_events,
        allowed=("clerk", "sup", "admin"),
    ),
    "complaints:case_reveal": Write(
        lambda r: reverse("complaints:case_reveal", args=[r["case"].pk]),
        lambda r: {},
        lambda r: AuditEntry.objects.filter(action="complaints.case.personal_data_revealed").count(),
        allowed=("clerk", "sup", "admin"),
    ),
    # Only the supervisor approves an extension, even the case's own A may not.
    "complaints:extension_decide": Write(
        lambda r: reverse("complaints:extension_decide", args=[r["case"].pk, r["extension"].pk]),
        lambda r: {"decision": "approve", "note": "同意"},
        lambda r: type(r["extension"]).objects.get(pk=r["extension"].pk).state,
        allowed=("sup", "admin"),
    ),
    "institutions:interview_action dismiss": Write(
        lambda r: reverse("institutions:interview_action", args=[r["interview"].pk, "dismiss"]),
        lambda r: {"dismiss-note": "投诉已化解，不予约谈"},
        lambda r: type(r["interview"]).objects.get(pk=r["interview"].pk).status,
        allowed=("clerk", "sup", "admin"),
    ),
    # The case's own mediator records performance with the office; the branch only reads.
    "mediation:case_action payment": Write(
        lambda r: reverse("mediation:case_action", args=[r["mediation"].pk, "payment"]),
        lambda r: {"paid_on": "2026-03-09", "amount": "2000.00", "note": "银行转账"},
        lambda r: r["mediation"].payments.count(),
        allowed=("clerk", "sup", "med", "admin"),
    ),
    "outreach:photo_delete": Write(
        lambda r: reverse("outreach:photo_delete", args=[r["photo"].pk]),
        lambda r: {},
        lambda r: type(r["photo"]).objects.filter(pk=r["photo"].pk).exists(),
        allowed=("clerk", "sup", "admin"),
    ),
    # The task is clerk_a's: its owner, the supervisor who assigned it, and the administrator complete it.
    "dashboard:task_done": Write(
        lambda r: reverse("dashboard:task_done", args=[r["task"].pk]),
        lambda r: {"note": "台账已整理完毕"},
        lambda r: type(r["task"]).objects.get(pk=r["task"].pk).status,
        allowed=("clerk", "sup", "admin"),
    ),
}


@pytest.fixture
def records(request, orgs, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = settings.MEDIA_ROOT = tmp_path / "files"
    users = {persona: request.getfixturevalue(name) for persona, name in FIXTURES.items()}
    with time_machine.travel(NOW, tick=False):
        from institutions.reference_data import ensure_default_rules

        ensure_default_rules()
        laizhou, clerk_a = orgs["laizhou"], users["clerk"]
        institution = make_institution(org=laizhou, short_name="莱州农商银行")
        world: dict = {"users": users}
        route_world.build_complaints(
            world, clerk_a=clerk_a, supervisor=users["sup"], laizhou=laizhou, institution=institution
        )
        route_world.build_institutions(world, clerk_a=clerk_a, laizhou=laizhou, institution=institution)
        route_world.build_mediation(
            world, clerk_a=clerk_a, mediator=users["med"], laizhou=laizhou, institution=institution
        )
        route_world.build_outreach(world, clerk_a=clerk_a, laizhou=laizhou)
        route_world.build_dashboard(world, clerk_a=clerk_a, supervisor=users["sup"], laizhou=laizhou)
        yield world


def test_only_the_allowed_personas_change_anything(records):
    wrong = []
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        for name, write in WRITES.items():
            for persona in SIGNED_IN:
                client = Client()
                sign_in(client, records["users"][persona])
                with transaction.atomic():
                    before = write.state(records)
                    response = client.post(write.url(records), write.data(records))
                    changed = write.state(records) != before
                    transaction.set_rollback(True)
                if changed != (persona in write.allowed):
                    verb = "改变了" if changed else "未能改变"
                    wrong.append(f"{name} {persona}: {verb}记录（HTTP {response.status_code}）")
                if not changed and persona not in write.allowed:
                    assert response.status_code in (302, 403, 404), (name, persona, response.status_code)
    assert not wrong, "\n".join(wrong)
