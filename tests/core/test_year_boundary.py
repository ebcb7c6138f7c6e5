"""The year boundary: a deadline reaching a year not yet verified is provisional (暂定), never refused.

The test database holds the verified 2024–2026 calendar (chinesecalendar); 2027 and later are drafted by rule
(the `holidays` package, no 调休) the first time a computation reaches them.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import Deadline, DeadlinePause, WorkCalendarDay, WorkCalendarYear
from core.services.calendar import PREDICTED_SOURCE, calendar_add_year_draft, calendar_verify_year
from core.services.deadlines import compute_due, deadline_extend, deadline_open, deadline_pause, deadline_resume
from core.workcalendar import CalendarMissingError, get_calendar, get_strict_calendar
from tests.factories import make_institution

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(base_data):
    return get_calendar()


def test_a_year_not_held_is_drafted_by_rule_when_first_reached(calendar):
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
    # 15 calendar days after 2026-12-20 is 2027-01-04, a Monday and a working day of the draft.
    assert calendar.add_days(D("2026-12-20"), 15, "calendar") == D("2027-01-04")
    year = WorkCalendarYear.objects.get(year=2027)
    assert year.status == WorkCalendarYear.Status.DRAFT and year.source == PREDICTED_SOURCE
    assert WorkCalendarDay.objects.filter(year=year).count() == 365
    new_year = WorkCalendarDay.objects.get(date="2027-01-01")
    assert new_year.kind == WorkCalendarDay.Kind.HOLIDAY and not new_year.is_working_day and new_year.note == "元旦"
    # No 调休 is guessed: every weekend day of the draft is a rest day.
    assert not WorkCalendarDay.objects.filter(year=year, kind=WorkCalendarDay.Kind.SHIFTED_WORKDAY).exists()
    assert calendar.provisional_years(D("2026-12-20"), D("2027-01-04")) == [2027]


@pytest.mark.parametrize(
    ("start", "days", "kind", "expected", "provisional"),
    [
        # Across 12-31/01-01: 12-31 counts, 01-01 (元旦) and the weekend do not, then 01-04 and 01-05.
        ("2026-12-30", 3, "working", "2027-01-05", "2027"),
        # Ending on 12-31 itself, within the verified year: official.
        ("2026-12-30", 1, "working", "2026-12-31", ""),
        # 60 calendar days from 2026-11-10 is Saturday 2027-01-09: moved to Monday 01-11.
        ("2026-11-10", 60, "calendar", "2027-01-11", "2027"),
        # Calendar-day rollover onto a predicted holiday: 2027-09-20 + 15 = 10-05 (国庆节 predicted) → 10-06.
        ("2027-09-20", 15, "calendar", "2027-10-06", "2027"),
        # Into a year two ahead: both drafts are made and named.
        ("2026-12-01", 300, "working", "2028-02-18", "2027,2028"),
        # Leap day: 2028-02-29 is a Tuesday, a working day of the 2028 draft.
        ("2028-02-14", 15, "calendar", "2028-02-29", "2028"),
    ],
)
def test_provisional_dates_across_the_year_boundary(calendar, start, days, kind, expected, provisional):
    computed = compute_due(started_on=D(start), days=days, kind=kind, calendar=calendar)
    assert computed.due_on == D(expected)
    assert computed.provisional_years == provisional
    if provisional:
        assert "d1" in computed.calendar_stamp


def test_a_verified_year_is_official_and_its_draft_no_longer_marks(calendar, administrator):
    calendar.add_days(D("2026-12-20"), 15, "calendar")
    calendar_verify_year(year=WorkCalendarYear.objects.get(year=2027), actor=administrator)
    computed = compute_due(started_on=D("2026-12-20"), days=15, kind="calendar")
    assert computed.provisional_years == "" and computed.calendar_stamp == "2026r1,2027r2"


def test_verifying_a_year_without_any_holiday_needs_an_explicit_confirmation(base_data, administrator):
    year = calendar_add_year_draft(year=2027, actor=administrator)
    for day in WorkCalendarDay.objects.filter(year=year, kind=WorkCalendarDay.Kind.HOLIDAY):
        day.kind = WorkCalendarDay.Kind.WEEKEND if day.date.weekday() >= 5 else WorkCalendarDay.Kind.WORKDAY
        day.is_working_day = day.date.weekday() < 5
        day.save()
    with pytest.raises(ValidationError, match="没有任何法定节假日") as excinfo:
        calendar_verify_year(year=year, actor=administrator)
    assert excinfo.value.code == "no_holidays"
    assert WorkCalendarYear.objects.get(year=2027).status == WorkCalendarYear.Status.DRAFT
    calendar_verify_year(year=year, actor=administrator, confirm_no_holidays=True)
    assert WorkCalendarYear.objects.get(year=2027).status == WorkCalendarYear.Status.VERIFIED


def test_the_strict_calendar_refuses_a_draft_and_a_missing_year(base_data, administrator):
    with pytest.raises(CalendarMissingError, match="2027年工作日历尚未维护"):
        get_strict_calendar().add_days(D("2026-12-20"), 15, "calendar")
    calendar_add_year_draft(year=2027, actor=administrator)
    with pytest.raises(CalendarMissingError, match="2027年工作日历尚未核对：该年度仍为草稿") as excinfo:
        get_strict_calendar().add_days(D("2026-12-20"), 15, "calendar")
    assert excinfo.value.draft
    # Nothing was created by the strict calendar.
    assert not WorkCalendarYear.objects.filter(year=2028).exists()


def test_an_absurd_year_is_refused_with_a_message_not_drafted(calendar):
    with pytest.raises(CalendarMissingError, match="2300年工作日历尚未维护"):
        calendar.add_days(D("2300-01-01"), 5, "working")
    assert not WorkCalendarYear.objects.filter(year=2300).exists()


# --- Deadlines ---------------------------------------------------------------------------------------


@pytest.fixture
def item(orgs):
    # Any saved model can carry a deadline; an institution is the simplest.
    return make_institution(org=orgs["laizhou"])


def open_reply(item, orgs, clerk_a, started_on="2026-12-20"):
    return deadline_open(
        item=item, rule_code="P-REPLY", started_on=D(started_on), label="XF-2026-0001 书面答复", org=orgs["laizhou"],
        owner=clerk_a,
    )  # fmt: skip


def test_a_deadline_into_a_draft_year_is_stored_as_provisional_with_its_reason(item, orgs, clerk_a):
    deadline = open_reply(item, orgs, clerk_a)
    # 2026-12-20 + 60 = 2027-02-18, a Thursday outside the predicted Spring Festival (02-05..02-10).
    assert deadline.due_on == D("2027-02-18")
    assert deadline.provisional_years == "2027" and deadline.is_provisional
    assert "（暂定）" in str(deadline)
    assert "暂定：2027年工作日历尚未核对" in deadline.history.first().history_change_reason


def test_extension_and_pause_on_a_provisional_deadline(item, orgs, clerk_a, supervisor):
    deadline = open_reply(item, orgs, clerk_a)
    deadline_extend(deadline=deadline, days=30, actor=supervisor, reason="情况复杂", today=D("2026-12-21"))
    # 90 days after 2026-12-20 is 2027-03-20, a Saturday: moved to Monday 03-22; still provisional.
    assert (deadline.due_on, deadline.provisional_years) == (D("2027-03-22"), "2027")
    deadline_pause(deadline=deadline, start_on=D("2027-01-05"), reason="等待补充材料", actor=clerk_a)
    deadline_resume(deadline=deadline, end_on=D("2027-01-14"), actor=clerk_a)
    # Ten paused days: 2027-03-30 (Tuesday).
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.provisional_years) == (D("2027-03-30"), "2027")
    assert DeadlinePause.objects.filter(deadline=deadline, end_on=D("2027-01-14")).exists()


def test_a_deadline_within_a_verified_year_is_not_provisional(item, orgs, clerk_a):
    deadline = open_reply(item, orgs, clerk_a, started_on="2026-03-10")
    assert deadline.provisional_years == "" and not deadline.is_provisional
    assert Deadline.objects.provisional().count() == 0
