import datetime as dt

from core.models import WorkCalendarDay
from core.services.calendar_change import calendar_change_apply

D = dt.date.fromisoformat


def test_a_calendar_correction_moves_the_case_due_date_with_history(frozen, register, administrator):
    case = register("complaint")
    # C-FWD: 7 working days from Tuesday 2026-03-10 end on Thursday 03-19.
    assert case.due_on == D("2026-03-19")
    version = case.version
    day = WorkCalendarDay.objects.get(date="2026-03-16")
    calendar_change_apply(
        actor=administrator, day=day, is_working_day=False, kind="holiday", note="示例", source_notice=""
    )
    case.refresh_from_db()
    assert case.due_on == D("2026-03-20")
    assert case.version == version + 1
    assert case.history.first().history_change_reason == "工作日历变更，期限重新计算"


def test_cases_whose_deadlines_do_not_move_are_left_alone(frozen, register, administrator):
    case = register("complaint")
    version = case.version
    day = WorkCalendarDay.objects.get(date="2026-03-20")
    calendar_change_apply(
        actor=administrator, day=day, is_working_day=False, kind="holiday", note="示例", source_notice=""
    )
    case.refresh_from_db()
    assert (case.due_on, case.version) == (D("2026-03-19"), version)
