"""Entering and verifying next year's calendar: the admin is told in time, and verifying recomputes deadlines.

The flow of issue 12 at a pinned 2026-12-20: petitions accepted into 2027 are provisional everywhere a due date
shows; the administrator corrects the 2027 draft from the State Council's notice and verifies it; the deadlines
are recomputed with history, the 暂定 mark goes, and people whose deadline came earlier are told.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from complaints.models import Case
from complaints.services import petition_accept
from core.calendar_watch import check_calendar_years, unverified_years
from core.models import Deadline, Notification, WorkCalendarDay, WorkCalendarYear
from core.services.calendar import calendar_add_year_draft
from tests.factories import at

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def accept_petition(register, clerk_a, day: str) -> Case:
    with at(day):
        case = register("petition")
        return petition_accept(actor=clerk_a, case=case, version=case.version, route="办理")


def reply_deadline(case) -> Deadline:
    return Deadline.objects.get(object_id=case.pk, content_type__model="case", rule__code="P-REPLY")


def correct_day(client, date: str, *, kind: str, working: bool):
    day = WorkCalendarDay.objects.get(date=date)
    payload = {"kind": kind, "note": "春节调休", "source_notice": "国务院办公厅关于2027年部分节假日安排的通知"}
    if working:
        payload["is_working_day"] = "on"
    return client.post(
        reverse("admin:core_workcalendarday_correct", args=[day.pk]), {**payload, "_confirm": "1"}, follow=True
    )


def test_provisional_deadlines_are_recomputed_when_the_year_is_verified(
    register, clerk_a, clerk_b, administrator, client_for
):
    # 2026-12-08 + 60 days = Saturday 2027-02-06, inside the predicted Spring Festival (02-05..02-10): 02-11.
    early = accept_petition(register, clerk_a, "2026-12-08")
    # 2026-12-20 + 60 days = Thursday 2027-02-18.
    late = accept_petition(register, clerk_a, "2026-12-20")
    assert (early.due_on, early.due_provisional) == (D("2027-02-11"), True)
    assert (late.due_on, late.due_provisional) == (D("2027-02-18"), True)

    with at("2026-12-20"):
        clerk = client_for(clerk_a)
        case_page = clerk.get(reverse("complaints:case_detail", args=[late.pk])).content.decode()
        ledger = clerk.get(reverse("complaints:index")).content.decode()
        my_work = clerk.get(reverse("home")).content.decode()
    for page in (case_page, ledger, my_work):
        assert "2027-02-18" in page and "暂定" in page
    assert 'id="provisional-note"' in case_page

    # The notice declares Saturday 2027-02-06 a 调休 working day: the early deadline comes back to it.
    with at("2026-12-21"):
        admin = client_for(administrator)
        response = correct_day(admin, "2027-02-06", kind="shifted_work", working=True)
    assert "1 个未结期限已重新计算" in response.content.decode()
    early.refresh_from_db()
    assert (early.due_on, early.due_provisional) == (D("2027-02-06"), True)
    told = Notification.objects.filter(recipient__in=[clerk_a, clerk_b], title__contains=early.number)
    assert {n.recipient for n in told} == {clerk_a, clerk_b}
    assert "提前" in told.first().title and "2027-02-11" in told.first().body

    with at("2026-12-21"):
        preview = admin.get(reverse("admin:core_workcalendaryear_verify", args=[2027])).content.decode()
        assert "核对后将重新计算 2 个未结期限" in preview and "2027-02-18（暂定）" in preview
        response = admin.post(reverse("admin:core_workcalendaryear_verify", args=[2027]), {}, follow=True)
    assert "2 个未结期限已重新计算" in response.content.decode()
    assert WorkCalendarYear.objects.get(year=2027).status == WorkCalendarYear.Status.VERIFIED
    for case, due in ((early, "2027-02-06"), (late, "2027-02-18")):
        case.refresh_from_db()
        assert (case.due_on, case.due_provisional) == (D(due), False)
        deadline = reply_deadline(case)
        assert deadline.provisional_years == "" and "2027r" in deadline.calendar_stamp
        assert deadline.history.first().history_change_reason.startswith("2027年工作日历核对")
        assert case.history.first().history_change_reason == "工作日历变更，期限重新计算"
    with at("2026-12-21"):
        page = clerk.get(reverse("complaints:case_detail", args=[late.pk])).content.decode()
    assert "provisional-mark" not in page and 'id="provisional-note"' not in page


def test_the_verify_page_asks_to_confirm_a_year_without_holidays(client_for, administrator):
    year = calendar_add_year_draft(year=2027, actor=administrator)
    for day in WorkCalendarDay.objects.filter(year=year, kind=WorkCalendarDay.Kind.HOLIDAY):
        weekday = day.date.weekday() < 5
        day.kind = WorkCalendarDay.Kind.WORKDAY if weekday else WorkCalendarDay.Kind.WEEKEND
        day.is_working_day = weekday
        day.save()
    admin = client_for(administrator)
    url = reverse("admin:core_workcalendaryear_verify", args=[2027])
    page = admin.get(url).content.decode()
    assert 'id="no-holidays"' in page and "确认该年度没有法定节假日" in page
    refused = admin.post(url, {}).content.decode()
    assert "没有任何法定节假日" in refused
    assert WorkCalendarYear.objects.get(year=2027).status == WorkCalendarYear.Status.DRAFT
    admin.post(url, {"confirm_no_holidays": "on"})
    assert WorkCalendarYear.objects.get(year=2027).status == WorkCalendarYear.Status.VERIFIED


def test_the_verify_action_leads_to_the_preview(client_for, administrator):
    calendar_add_year_draft(year=2027, actor=administrator)
    response = client_for(administrator).post(
        reverse("admin:core_workcalendaryear_changelist"), {"action": "mark_verified", "_selected_action": [2027]}
    )
    assert response.status_code == 302 and response["Location"].endswith("/2027/verify/")


@pytest.mark.parametrize(
    ("today", "years"),
    [
        ("2026-09-30", []),
        ("2026-10-01", [2027]),
        ("2026-12-31", [2027]),
        # The current year unverified is always named, next year only from October.
        ("2027-01-04", [2027]),
        ("2027-10-15", [2027, 2028]),
    ],
)
def test_which_years_administrators_are_told_about(base_data, today, years):
    assert [year.year for year in unverified_years(D(today))] == years


def test_the_warning_date_is_a_setting(base_data, settings):
    settings.CALENDAR_WARN_FROM = "11-15"
    assert unverified_years(D("2026-11-14")) == []
    assert [year.year for year in unverified_years(D("2026-11-15"))] == [2027]


def test_admin_index_and_the_administrators_home_page_show_the_banner(client_for, administrator, clerk_a):
    with at("2026-12-03"):
        admin_index = client_for(administrator).get(reverse("admin:index")).content.decode()
        admin_home = client_for(administrator).get(reverse("home")).content.decode()
        clerk_home = client_for(clerk_a).get(reverse("home")).content.decode()
    for page in (admin_index, admin_home):
        assert 'data-testid="calendar-banner-2027"' in page and "2027年工作日历尚未录入" in page
    assert "calendar-banner" not in clerk_home


def test_system_check_names_the_year(base_data, capsys):
    with at("2026-12-03"):
        [warning] = check_calendar_years()
        call_command("check")
    assert warning.id == "core.W002" and "2027年工作日历" in warning.msg
    assert "core.W002" in capsys.readouterr().err


def test_no_system_check_warning_once_verified(base_data, administrator):
    from core.services.calendar import calendar_verify_year

    calendar_verify_year(year=calendar_add_year_draft(year=2027, actor=administrator), actor=administrator)
    with at("2026-12-03"):
        assert check_calendar_years() == []


def test_the_year_status_is_not_editable_and_years_are_not_added_empty(client_for, administrator):
    admin = client_for(administrator)
    assert admin.get(reverse("admin:core_workcalendaryear_add")).status_code == 403
    change = admin.get(reverse("admin:core_workcalendaryear_change", args=[2026])).content.decode()
    assert 'name="status"' not in change


def test_reloading_a_year_from_the_library_recomputes_its_open_deadlines(register, clerk_a, capsys):
    case = accept_petition(register, clerk_a, "2026-08-10")
    # 2026-08-10 + 60 = Friday 2026-10-09. Make 10-09 a rest day by hand, then reload the official year.
    day = WorkCalendarDay.objects.get(date="2026-10-09")
    from core.services.calendar_change import calendar_change_apply

    with at("2026-08-11"):
        calendar_change_apply(actor=None, day=day, is_working_day=False, kind="holiday", note="误录", source_notice="")
    assert reply_deadline(case).due_on == D("2026-10-10")  # Saturday 10-10 is a 调休 working day in 2026
    with at("2026-08-12"):
        call_command("load_work_calendar", "--from", "2026", "--to", "2026", "--overwrite")
    assert "2026 年：1 个未结期限已重新计算" in capsys.readouterr().out
    deadline = reply_deadline(case)
    assert deadline.due_on == D("2026-10-09")
    assert deadline.history.first().history_change_reason.startswith("2026年工作日历重新载入")
