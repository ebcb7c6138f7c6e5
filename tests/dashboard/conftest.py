"""Helpers of the dashboard tests: cases and dated items on fixed dates."""

import datetime as dt

import pytest

from core.services.deadlines import deadline_open_custom


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
