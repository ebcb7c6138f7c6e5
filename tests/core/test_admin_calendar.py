from django.urls import reverse

from core.models import AuditEntry, WorkCalendarDay, WorkCalendarYear


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


def test_editing_a_day_bumps_the_year_revision_and_is_logged(client_for, administrator):
    day = WorkCalendarDay.objects.get(date="2026-06-01")
    response = client_for(administrator).post(
        reverse("admin:core_workcalendarday_change", args=[day.pk]),
        {
            "date": "2026-06-01",
            "year": 2026,
            "is_working_day": "",
            "kind": "holiday",
            "note": "示例更正",
            "source_notice": "国办发明电〔2025〕示例",
        },
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.is_working_day is False
    assert WorkCalendarYear.objects.get(year=2026).revision == 2
    assert AuditEntry.objects.filter(action="core.calendar.day_changed").count() == 1
    assert day.history.first().history_change_reason == "示例更正"
