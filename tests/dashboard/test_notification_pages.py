import pytest
from django.urls import reverse

from core.models import Notification
from core.services.notifications import notify

pytestmark = pytest.mark.django_db


def test_bell_shows_the_unread_count_in_the_navbar(clerk_a, clerk_b, client_for):
    notify(user=clerk_b, title="别人的提醒")
    notify(user=clerk_a, title="提醒一")
    notify(user=clerk_a, title="提醒二")
    Notification.objects.create(recipient=clerk_a, title="旧通知", read_at="2025-01-01T00:00:00Z")
    html = client_for(clerk_a).get(reverse("dashboard:notification_list")).content.decode()
    assert 'data-testid="notification-bell"' in html
    assert 'data-testid="unread-count">2<' in html


def test_list_shows_only_my_notifications(clerk_a, clerk_b, client_for):
    notify(user=clerk_a, title="给林的提醒")
    notify(user=clerk_b, title="给周的提醒")
    html = client_for(clerk_a).get(reverse("dashboard:notification_list")).content.decode()
    assert "给林的提醒" in html and "给周的提醒" not in html


def test_mark_one_read_and_open_its_link(clerk_a, client_for):
    notification = notify(user=clerk_a, title="提醒", link="/dashboard/tasks/")
    response = client_for(clerk_a).post(reverse("dashboard:notification_read", args=[notification.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/tasks/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read(clerk_a, clerk_b, client_for):
    notify(user=clerk_a, title="一")
    notify(user=clerk_a, title="二")
    notify(user=clerk_b, title="三")
    client_for(clerk_a).post(reverse("dashboard:notification_read_all"))
    assert not Notification.objects.filter(recipient=clerk_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=clerk_b, read_at__isnull=True).count() == 1


def test_someone_elses_notification_is_404(clerk_a, clerk_b, client_for):
    notification = notify(user=clerk_b, title="周的")
    response = client_for(clerk_a).post(reverse("dashboard:notification_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_anonymous_is_sent_to_login_and_marking_needs_post(clerk_a, client, client_for):
    response = client.get(reverse("dashboard:notification_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(clerk_a).get(reverse("dashboard:notification_read_all")).status_code == 405


def test_notification_list_query_count_is_constant(clerk_a, client_for, django_assert_num_queries):
    client = client_for(clerk_a)
    notify(user=clerk_a, title="提醒")
    # session; user with roles and org (one query); page count; page rows; unread count for the bell.
    with django_assert_num_queries(5):
        client.get(reverse("dashboard:notification_list"))
    for n in range(20):
        notify(user=clerk_a, title=f"提醒{n}")
    with django_assert_num_queries(5):
        client.get(reverse("dashboard:notification_list"))


def test_administrator_sees_notifications_tasks_and_the_editable_schedule_in_the_admin(
    administrator, clerk_a, client_for
):
    from django_celery_beat.models import PeriodicTask

    notify(user=clerk_a, title="提醒")
    client = client_for(administrator)
    assert "提醒" in client.get(reverse("admin:core_notification_changelist")).content.decode()
    assert client.get(reverse("admin:core_task_changelist")).status_code == 200
    schedule = PeriodicTask.objects.get(name="每日期限提醒")
    page = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[schedule.pk]))
    assert page.status_code == 200 and 'name="crontab"' in page.content.decode()
