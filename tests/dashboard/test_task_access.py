"""A mediator (court, association) with an account in the office sees only the tasks given to them."""

import datetime as dt

import time_machine
from django.urls import reverse

from core.services.tasks import task_create

NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


def test_a_mediator_sees_only_tasks_given_to_them(client_for, supervisor, clerk_a, mediator, orgs):
    with time_machine.travel(NOW, tick=False):
        office_task = task_create(
            actor=supervisor, org=orgs["laizhou"], title="整理一季度台账", owner=clerk_a, due_on=dt.date(2026, 3, 31)
        )
        own_task = task_create(
            actor=supervisor, org=orgs["laizhou"], title="调解室排班", owner=mediator, due_on=dt.date(2026, 3, 31)
        )
        client = client_for(mediator)
        listing = client.get(reverse("dashboard:task_list")).content.decode()
        assert "调解室排班" in listing and "整理一季度台账" not in listing
        assert client.get(reverse("dashboard:task_detail", args=[own_task.pk])).status_code == 200
        assert client.get(reverse("dashboard:task_detail", args=[office_task.pk])).status_code == 404
        response = client.post(reverse("dashboard:task_done", args=[office_task.pk]), {"note": "已完成"})
        assert response.status_code == 404
        office_task.refresh_from_db()
        assert office_task.status == "open"
        # The office itself still sees every task of the unit.
        assert "调解室排班" in client_for(clerk_a).get(reverse("dashboard:task_list")).content.decode()
