"""Celery tasks of core. Thin: they take plain values and call one function."""

import datetime as dt

from celery import shared_task


@shared_task(name="core.send_reminders", acks_late=True)
def send_reminders_task(date: str | None = None) -> dict:
    """The morning reminders (scheduled in django-celery-beat as "每日期限提醒"). `date` is YYYY-MM-DD."""
    from core.reminders import send_reminders

    run = send_reminders(dt.date.fromisoformat(date) if date else None)
    return {"date": run.today.isoformat(), "sent": run.sent, "skipped": run.skipped_reason}
