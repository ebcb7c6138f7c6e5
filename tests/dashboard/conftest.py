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


def summary_groups(orgs, today: dt.date) -> list[dict]:
    """The dashboard's groups of `orgs` on `today`, read from the summary table, after checking that the summary
    says what the open deadlines say: key by key (core's check) and bucket by bucket against the direct aggregate
    over core.Deadline that the dashboard used before the summary."""
    from core.services.deadline_counts import count_differences
    from laizhou_xiaobao.dashboard.selectors import deadline_groups, deadline_groups_direct, make_horizon

    assert count_differences() == []
    horizon = make_horizon(today, 3)
    org_ids = [org.pk for org in orgs]

    def ordered(groups):
        return sorted(groups, key=lambda group: [str(group[name]) for name in sorted(group)])

    groups = ordered(deadline_groups(org_ids, horizon))
    assert groups == ordered(deadline_groups_direct(org_ids, horizon))
    return groups


def bucket_totals(groups: list[dict]) -> dict[str, int]:
    names = ("overdue", "today", "soon", "on_time", "paused", "provisional")
    return {name: sum(group[name] for group in groups) for name in names}
