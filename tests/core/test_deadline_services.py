import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import Deadline
from core.services.deadlines import (
    days_left_text,
    deadline_complete,
    deadline_extend,
    deadline_open,
    deadline_pause,
    deadline_resume,
    deadline_state,
)

D = dt.date.fromisoformat


@pytest.fixture
def item(orgs):
    # Any saved model can carry a deadline; an org unit stands in for a case here.
    return orgs["laizhou"]


def open_reply(item, clerk_a, started_on="2025-08-01"):
    return deadline_open(
        item=item,
        rule_code="P-REPLY",
        started_on=D(started_on),
        label="XF-2025-0001 书面答复",
        org=item,
        owner=clerk_a,
        backup=clerk_a.backup,
    )


def test_open_stores_rule_and_calendar(item, clerk_a):
    deadline = open_reply(item, clerk_a)
    # 60 calendar days from 08-01 is 09-30 (Tuesday, a working day).
    assert deadline.due_on == D("2025-09-30")
    assert (deadline.rule_days, deadline.rule_count_kind) == (60, "calendar")
    assert deadline.calendar_stamp == "2025r1"


def test_extension_is_added_to_the_original_limit(item, clerk_a, supervisor):
    deadline = open_reply(item, clerk_a)
    deadline_extend(deadline=deadline, days=30, actor=supervisor, reason="案情复杂")
    # 90 days from 08-01 is 10-30.
    assert deadline.due_on == D("2025-10-30")
    assert deadline.history.first().history_change_reason == "延期 30 天：案情复杂"


def test_extension_beyond_the_rule_maximum_is_refused(item, clerk_a, supervisor):
    deadline = open_reply(item, clerk_a)
    with pytest.raises(ValidationError, match="超过规则允许的最长延期 30 天"):
        deadline_extend(deadline=deadline, days=31, actor=supervisor, reason="x")
    deadline.refresh_from_db()
    assert deadline.due_on == D("2025-09-30") and deadline.extension_days == 0


def test_a_rule_without_extension_refuses_any(item, clerk_a, supervisor):
    deadline = deadline_open(item=item, rule_code="P-OBJ", started_on=D("2025-09-30"), label="XF", org=item)
    assert deadline.due_on == D("2025-10-14")  # 5 working days
    with pytest.raises(ValidationError):
        deadline_extend(deadline=deadline, days=1, actor=supervisor, reason="x")


def test_pause_and_resume_move_the_due_date(item, clerk_a):
    deadline = open_reply(item, clerk_a)
    deadline_pause(deadline=deadline, start_on=D("2025-08-11"), reason="等待补充材料", actor=clerk_a)
    assert Deadline.objects.running().count() == 0
    deadline_resume(deadline=deadline, end_on=D("2025-08-20"), actor=clerk_a)
    # Ten paused days: 60 counted days end on 10-10 (Friday, working).
    assert deadline.due_on == D("2025-10-10")
    assert Deadline.objects.running().count() == 1


def test_opening_a_deadline_into_a_year_not_verified_is_provisional_not_refused(item, clerk_a):
    deadline = open_reply(item, clerk_a, started_on="2026-12-01")
    # 2026-12-01 + 60 days = 2027-01-30 (Saturday) → Monday 2027-02-01 over the predicted draft.
    assert (deadline.due_on, deadline.provisional_years) == (D("2027-02-01"), "2027")


def test_complete_closes_the_deadline(item, clerk_a):
    deadline = open_reply(item, clerk_a)
    deadline_complete(deadline=deadline, completed_on=D("2025-09-01"))
    assert deadline.status == Deadline.Status.DONE
    assert not Deadline.objects.open().exists()


@pytest.mark.parametrize(
    ("today", "overdue", "soon", "working_left", "label"),
    [
        ("2025-09-24", False, False, 5, "正常"),
        ("2025-09-25", False, False, 4, "正常"),
        ("2025-09-26", False, True, 3, "即将到期"),
        ("2025-09-30", False, True, 0, "今日到期"),
        # 10-01 is a holiday: one calendar day late, no working day lost yet.
        ("2025-10-01", True, False, 0, "超期未满 1 个工作日"),
        # 10-01..08 off, 10-09 the first working day after the due date.
        ("2025-10-09", True, False, -1, "超期 1 个工作日"),
        ("2025-10-14", True, False, -5, "超期 5 个工作日"),  # Saturday 10-11 was worked
    ],
)
def test_deadline_state_buckets(base_data, today, overdue, soon, working_left, label):
    # Due 2025-09-30 (Tuesday); Sunday 09-28 was a 调休 working day, so from 09-24 there are five.
    state = deadline_state(D("2025-09-30"), D(today))
    assert (state.is_overdue, state.is_due_soon, state.working_days_left, state.label) == (
        overdue,
        soon,
        working_left,
        label,
    )


def test_days_left_are_words_never_a_negative_count(base_data):
    late = deadline_state(D("2025-09-30"), D("2025-11-25"))
    # 10-09…11-25: 35 working days (10-11, a Saturday, was worked).
    assert late.working_days_left == -35
    assert late.label == late.days_text == "超期 35 个工作日"
    assert "-" not in late.days_text
    assert deadline_state(D("2025-09-30"), D("2025-09-24")).days_text == "剩余 5 个工作日（6 天）"
    assert deadline_state(D("2025-09-30"), D("2025-09-30")).days_text == "今日到期"
    assert days_left_text(-3, None) == "已超期" and days_left_text(3, None) == "剩余 3 天"


def test_due_soon_counts_working_days_across_the_national_day_holiday(base_data):
    # Due 10-09; from 09-30 that is only 1 working day away (10-01..08 off).
    state = deadline_state(D("2025-10-09"), D("2025-09-30"))
    assert state.working_days_left == 1 and state.calendar_days_left == 9 and state.is_due_soon
