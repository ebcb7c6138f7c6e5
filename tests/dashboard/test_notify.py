import pytest
from django.core import mail

from core.models import Notification
from core.services.notifications import Message, notify, notify_many

pytestmark = pytest.mark.django_db


def test_notify_writes_in_app_notification_and_emails_after_commit(clerk_a, django_capture_on_commit_callbacks):
    clerk_a.email = "lin@example.com"
    clerk_a.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=clerk_a, title="XF-2026-0001 书面答复即将到期", link="/complaints/1/")
    assert Notification.objects.get().pk == notification.pk
    assert notification.kind == "info" and notification.read_at is None
    assert len(mail.outbox) == 1
    assert "XF-2026-0001" in mail.outbox[0].subject
    assert "/complaints/1/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_notify_without_address_sends_no_email(clerk_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=clerk_a, title="提醒")
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_notify_with_same_key_is_stored_and_sent_once(clerk_a, django_capture_on_commit_callbacks):
    clerk_a.email = "lin@example.com"
    clerk_a.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=clerk_a, title="提醒", key="reminder:2026-11-26")
        second = notify(user=clerk_a, title="提醒", key="reminder:2026-11-26")
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_notify_many_retries_email_of_a_crashed_delivery(clerk_a, django_capture_on_commit_callbacks):
    clerk_a.email = "lin@example.com"
    clerk_a.save(update_fields=["email"])
    # A previous run stored the notification but crashed before the e-mail went out.
    Notification.objects.create(recipient=clerk_a, title="提醒", key="k1")
    with django_capture_on_commit_callbacks(execute=True):
        notify_many([Message(user=clerk_a, title="提醒", key="k1")])
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None
