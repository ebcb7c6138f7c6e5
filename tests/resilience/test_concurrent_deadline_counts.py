"""Many people change deadlines of the same summary row at the same moment, and a rebuild runs among them (threads,
each with its own PostgreSQL connection): the dashboard's summary (core.DeadlineDayCount) loses no count."""

import datetime as dt

import pytest
from django.db import transaction

from core.models import Deadline, DeadlineDayCount
from core.services.deadline_counts import count_differences, deadline_counts_rebuild
from core.services.deadlines import deadline_complete, deadline_open_custom
from tests.resilience.test_concurrent_edits import WRITERS, run_writers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DUE = dt.date(2026, 3, 20)


def open_task(office, owner, label: str, due_on: dt.date = DUE) -> Deadline:
    return deadline_open_custom(
        item=office,
        due_on=due_on,
        label=label,
        org=office,
        owner=owner,
        item_kind="core.task",
        started_on=dt.date(2026, 3, 1),
    )


def test_writers_of_one_key_and_a_rebuild_among_them_lose_no_count(orgs, clerk_a):
    office = orgs["laizhou"]
    existing = [open_task(office, clerk_a, f"工作任务：第{n:02d}项") for n in range(WRITERS)]

    def write(index: int) -> str:
        if index == 0:
            deadline_counts_rebuild()
            return "rebuilt"
        with transaction.atomic():
            # A new deadline on a day with no row yet (every writer inserts it at once), one more on the busy day,
            # and one of the busy day's deadlines completed: two rows, each touched by every writer.
            open_task(office, clerk_a, f"工作任务：新{index:02d}", due_on=DUE + dt.timedelta(days=1))
            open_task(office, clerk_a, f"工作任务：再{index:02d}")
            deadline_complete(deadline=Deadline.objects.get(pk=existing[index].pk), completed_on=DUE)
        return "written"

    outcomes = run_writers(write)

    assert outcomes.count("written") == WRITERS - 1
    assert count_differences() == []
    counts = dict(DeadlineDayCount.objects.values_list("due_on", "count"))
    assert counts == {DUE: WRITERS, DUE + dt.timedelta(days=1): WRITERS - 1}
