import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEntry, WorkCalendarDay, WorkCalendarYear
from core.services.calendar_change import (
    _moved_listeners,
    calendar_change_apply,
    calendar_change_preview,
    on_deadlines_moved,
)
from core.services.deadlines import deadline_complete, deadline_open

D = dt.date.fromisoformat


def test_admin_adds_a_following_year_as_a_draft(client_for, administrator):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:core_workcalendaryear_changelist"),
        {"action": "add_following_year", "_selected_action": [2026]},
        follow=True,
    )
    assert "已新增 2027 年草稿" in response.content.decode()
    year = WorkCalendarYear.objects.get(year=2027)
    assert year.status == WorkCalendarYear.Status.DRAFT
    assert year.days.count() == 365
    assert WorkCalendarDay.objects.get(date="2027-01-02").kind == WorkCalendarDay.Kind.WEEKEND


def test_adding_an_existing_year_is_refused(client_for, administrator):
    response = client_for(administrator).post(
        reverse("admin:core_workcalendaryear_changelist"),
        {"action": "add_following_year", "_selected_action": [2025]},
        follow=True,
    )
    assert "2026年工作日历已存在" in response.content.decode()


@pytest.fixture
def open_deadline(orgs, clerk_a):
    # P-OBJ, 5 working days from Wednesday 2026-05-27: 28, 29, 06-01, 02, 03.
    return deadline_open(
        item=orgs["laizhou"],
        rule_code="P-OBJ",
        started_on=D("2026-05-27"),
        label="TS-2026-0007 转办",
        org=orgs["laizhou"],
    )


def correct(client, day, confirm, **data):
    payload = {"is_working_day": "", "kind": "holiday", "note": "示例更正", "source_notice": "国办发明电示例"}
    payload.update(data)
    if confirm:
        payload["_confirm"] = "1"
    return client.post(reverse("admin:core_workcalendarday_correct", args=[day.pk]), payload, follow=True)


def test_the_change_form_leads_to_the_correction_page(client_for, administrator):
    day = WorkCalendarDay.objects.get(date="2026-06-01")
    response = client_for(administrator).get(reverse("admin:core_workcalendarday_change", args=[day.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{day.pk}/correct/")


def test_preview_lists_the_open_deadlines_a_correction_moves_and_changes_nothing(
    client_for, administrator, open_deadline
):
    assert open_deadline.due_on == D("2026-06-03")
    day = WorkCalendarDay.objects.get(date="2026-06-01")
    response = correct(client_for(administrator), day, confirm=False)
    body = response.content.decode()
    assert "此更正将调整 1 个未结期限" in body
    assert "TS-2026-0007 转办" in body and "2026-06-03" in body and "2026-06-04" in body
    day.refresh_from_db()
    open_deadline.refresh_from_db()
    assert day.is_working_day and open_deadline.due_on == D("2026-06-03")


def test_confirmed_correction_recomputes_deadlines_with_history(client_for, administrator, open_deadline):
    day = WorkCalendarDay.objects.get(date="2026-06-01")
    response = correct(client_for(administrator), day, confirm=True)
    assert "1 个未结期限已重新计算" in response.content.decode()
    day.refresh_from_db()
    open_deadline.refresh_from_db()
    assert day.is_working_day is False and day.kind == "holiday"
    assert open_deadline.due_on == D("2026-06-04")
    assert "工作日历更正" in open_deadline.history.first().history_change_reason
    assert WorkCalendarYear.objects.get(year=2026).revision == 2
    assert AuditEntry.objects.filter(action="core.calendar.corrected").count() == 1
    assert day.history.first().history_change_reason.startswith("工作日历更正")


def test_listeners_receive_the_moved_deadlines(administrator, open_deadline):
    received = []
    on_deadlines_moved(received.extend)
    try:
        day = WorkCalendarDay.objects.get(date="2026-06-01")
        calendar_change_apply(
            actor=administrator, day=day, is_working_day=False, kind="holiday", note="", source_notice=""
        )
    finally:
        _moved_listeners.remove(received.extend)
    assert received == [open_deadline]


def test_inconsistent_correction_is_refused(client_for, administrator):
    day = WorkCalendarDay.objects.get(date="2026-06-01")
    response = correct(client_for(administrator), day, confirm=True, is_working_day="on", kind="holiday")
    assert "与类型不一致" in response.content.decode()
    day.refresh_from_db()
    assert day.kind == "workday"


def test_closed_deadlines_are_not_moved(administrator, open_deadline):
    deadline_complete(deadline=open_deadline, completed_on=D("2026-05-29"))
    day = WorkCalendarDay.objects.get(date="2026-06-01")
    assert calendar_change_preview(day=day.date, is_working_day=False) == []
