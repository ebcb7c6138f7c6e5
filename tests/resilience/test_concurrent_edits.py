"""Twenty people write to the same case at the same moment (threads, each with its own PostgreSQL connection).

Every case action locks the row (SELECT … FOR UPDATE) and checks the `version` the user's page was built from:
a write is either applied or refused with the stale-edit message, and nothing is lost silently.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from complaints.models import Case, CaseEvent
from complaints.services import case_record_progress
from complaints.services.common import STALE_MESSAGE

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 20


def run_writers(write) -> list[str]:
    """Start WRITERS threads together; each returns "applied" or "refused"."""
    barrier = threading.Barrier(WRITERS)

    def one(index: int) -> str:
        try:
            barrier.wait(timeout=30)
            return write(index)
        finally:
            connection.close()  # each thread had its own connection

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        return list(pool.map(one, range(WRITERS)))


def progress(case_id: int, actor, version: int, index: int) -> str:
    try:
        case_record_progress(actor=actor, case=Case(pk=case_id), version=version, note=f"第{index:02d}人的办理情况")
    except ValidationError as exc:
        assert exc.code == "stale" and exc.messages == [str(STALE_MESSAGE)]
        return "refused"
    return "applied"


def test_twenty_writers_from_the_same_page_one_applied_the_rest_refused_as_stale(frozen, register, clerk_a):
    case = register("complaint")
    version, events, history = case.version, CaseEvent.objects.count(), case.history.count()

    outcomes = run_writers(lambda index: progress(case.pk, clerk_a, version, index))

    assert outcomes.count("applied") == 1 and outcomes.count("refused") == WRITERS - 1
    case.refresh_from_db()
    assert case.version == version + 1
    notes = list(CaseEvent.objects.filter(case=case, action="progress").values_list("note", flat=True))
    assert len(notes) == 1 and CaseEvent.objects.count() == events + 1
    assert case.history.count() == history + 1
    assert str(STALE_MESSAGE) == "该案件已被他人修改，请刷新后重试"


def test_twenty_writers_who_refresh_and_retry_all_get_their_note_in(frozen, register, clerk_a):
    case = register("complaint")
    version, history = case.version, case.history.count()

    def refresh_and_retry(index: int) -> str:
        refusals = 0
        while True:
            current = Case.objects.values_list("version", flat=True).get(pk=case.pk)
            if progress(case.pk, clerk_a, current, index) == "applied":
                return f"applied after {refusals} refusals"
            refusals += 1
            assert refusals < 200, "a writer never got through"

    outcomes = run_writers(refresh_and_retry)

    assert all(outcome.startswith("applied") for outcome in outcomes)
    case.refresh_from_db()
    assert case.version == version + WRITERS
    notes = sorted(CaseEvent.objects.filter(case=case, action="progress").values_list("note", flat=True))
    assert notes == [f"第{index:02d}人的办理情况" for index in range(WRITERS)], "every write is there, once"
    assert case.history.count() == history + WRITERS
