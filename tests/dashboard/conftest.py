"""Helpers of the dashboard tests: cases and dated items on fixed dates."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.services.deadlines import deadline_open_custom

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """A moment on `day` in Shanghai, for time_machine.travel."""
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)


def make_case(*, org, owner, backup=None, case_type="petition", channel="visit", received_on=None, **fields):
    from complaints.models import Case

    received_on = received_on or timezone.localdate()
    n = next(_numbers)
    closed_at = fields.pop("closed_at", None)
    case = Case(
        org=org,
        number=f"XF-{received_on.year}-{n:05d}",
        case_type=case_type,
        channel=channel,
        received_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(9, 0))),
        received_on=received_on,
        summary="测试事项",
        owner=owner,
        backup=backup,
        created_by=owner,
        closed_at=closed_at,
        status="closed" if closed_at else fields.pop("status", "accepted"),
        **fields,
    )
    case.save()
    return case


def open_item(case, due_on: dt.date, *, label: str = "书面答复", started_on=None, owner=None, backup=None):
    """An open deadline of `case` due on `due_on` (a custom deadline: the rule does not matter here)."""
    return deadline_open_custom(
        item=case,
        due_on=due_on,
        label=f"{case.number} {label}",
        org=case.org,
        owner=owner or case.owner,
        backup=backup if backup is not None else case.backup,
        institution_id=case.institution_id,
        item_kind=f"case:{case.case_type}",
        started_on=started_on or min(due_on, dt.date(2025, 9, 1)),
    )


@pytest.fixture
def institution(orgs):
    from tests.factories import make_institution

    return make_institution(org=orgs["laizhou"], short_name="莱州农商银行")
