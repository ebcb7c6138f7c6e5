"""Celery tasks of core. Thin: they take plain values and call one function."""

import datetime as dt

from celery import shared_task


@shared_task(name="core.send_reminders", acks_late=True)
def send_reminders_task(date: str | None = None) -> dict:
    """The morning reminders (scheduled in django-celery-beat as "每日期限提醒"). `date` is YYYY-MM-DD."""
    from core.reminders import send_reminders

    run = send_reminders(dt.date.fromisoformat(date) if date else None)
    return {"date": run.today.isoformat(), "sent": run.sent, "skipped": run.skipped_reason}


@shared_task(name="core.republish_jobs", ignore_result=True)
def republish_jobs_task() -> dict:
    """Every minute (beat entry "补发待发送的后台任务"): send the jobs kept while the queue was down, and the
    e-mail copies that failed."""
    from core.services.jobs import republish_pending
    from core.services.notifications import retry_unsent_emails

    outcome = republish_pending()
    outcome["emails_unsent"] = retry_unsent_emails()
    return outcome


@shared_task(name="core.purge_expired_job_files", ignore_result=True)
def purge_expired_job_files_task() -> int:
    """Every night (beat entry "清理过期的导出文件", core/schedules.py): free the disk of expired export files."""
    from core.services.jobs import purge_expired_job_files

    return purge_expired_job_files()


@shared_task(name="core.verify_files", ignore_result=True)
def verify_files_task() -> dict:
    """Weekly (beat entry "文件完整性校验"): re-read every stored file against its SHA-256 and tell the system
    administrators about any that is missing or altered."""
    from core.integrity import notify_administrators, verify_files

    report = verify_files()
    return {"checked": report.checked, "problems": len(report.problems), "notified": notify_administrators(report)}
