import pytest
from django.urls import reverse

from core.models import Absence
from tests.factories import PASSWORD


def test_anonymous_is_sent_to_login(client, base_data):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_and_django_messages_are_chinese(client, base_data):
    response = client.get(reverse("login"))
    assert "登录" in response.content.decode()
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert "请输入一个正确的" in response.content.decode()


def test_home_is_chinese_and_names_the_user(client_for, clerk_a):
    response = client_for(clerk_a).get(reverse("home"))
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    body = response.content.decode()
    assert "林晓岚" in body and "信访投诉" in body


def test_pages_send_a_content_security_policy(client_for, clerk_a):
    response = client_for(clerk_a).get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_404_page_is_chinese(client_for, clerk_a):
    response = client_for(clerk_a).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_logout_ends_the_session(client_for, clerk_a):
    client = client_for(clerk_a)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_failed_logins_are_throttled(client, clerk_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "clerk_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_deadline_calculator_computes_with_the_calendar(client_for, clerk_a):
    url = reverse("core:deadline_calculator")
    response = client_for(clerk_a).get(url, {"start": "2025-09-16", "days": 15, "kind": "calendar"})
    body = response.content.decode()
    assert "2025-10-09" in body and "顺延" in body and "国庆节" in body


def test_deadline_calculator_gives_a_provisional_date_for_a_year_not_verified(client_for, clerk_a):
    url = reverse("core:deadline_calculator")
    response = client_for(clerk_a).get(url, {"start": "2026-12-20", "days": 15, "kind": "calendar"})
    body = response.content.decode()
    assert "2027-01-04" in body and "暂定" in body
    assert "2027年工作日历尚未核对" in body and "未含调休" in body


def test_deadline_calculator_says_why_it_cannot_compute_an_absurd_year(client_for, clerk_a):
    url = reverse("core:deadline_calculator")
    response = client_for(clerk_a).get(url, {"start": "2300-01-01", "days": 15, "kind": "calendar"})
    assert "2300年工作日历尚未维护" in response.content.decode()


def test_clerk_records_own_absence_and_sees_the_ab_warning(client_for, clerk_a, clerk_b):
    Absence.objects.create(user=clerk_b, start_on="2025-05-06", end_on="2025-05-09")
    response = client_for(clerk_a).post(
        reverse("core:absence_list"),
        {"user": clerk_a.pk, "start_on": "2025-05-08", "end_on": "2025-05-10", "kind": "leave", "note": "年假"},
        follow=True,
    )
    body = response.content.decode()
    assert "缺岗已登记" in body and "不应同时缺岗" in body
    assert Absence.objects.filter(user=clerk_a).count() == 1


def test_clerk_cannot_pick_another_person(client_for, clerk_a, clerk_b):
    response = client_for(clerk_a).post(
        reverse("core:absence_list"),
        {"user": clerk_b.pk, "start_on": "2025-05-08", "end_on": "2025-05-10", "kind": "leave"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Absence.objects.exists()


def test_absence_with_end_before_start_shows_a_message_and_saves_nothing(client_for, clerk_a):
    response = client_for(clerk_a).post(
        reverse("core:absence_list"),
        {"user": clerk_a.pk, "start_on": "2025-05-08", "end_on": "2025-05-01", "kind": "leave"},
    )
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not Absence.objects.exists()


def test_supervisor_sees_only_own_office_absences(client_for, supervisor, clerk_a, other_clerk):
    Absence.objects.create(user=clerk_a, start_on="2026-11-20", end_on="2026-12-20", note="莱州")
    Absence.objects.create(user=other_clerk, start_on="2026-11-20", end_on="2026-12-20", note="招远的缺岗")
    body = client_for(supervisor).get(reverse("core:absence_list")).content.decode()
    assert "林晓岚" in body and "招远的缺岗" not in body


@pytest.mark.parametrize(
    ("url_name", "title"),
    [("admin:core_workcalendarday_changelist", "工作日历"), ("admin:core_deadlinerule_changelist", "期限规则")],
)
def test_admin_is_for_administrators_only(client_for, clerk_a, administrator, url_name, title):
    assert client_for(clerk_a).get(reverse(url_name)).status_code == 302
    response = client_for(administrator).get(reverse(url_name))
    assert response.status_code == 200
    assert title in response.content.decode()
