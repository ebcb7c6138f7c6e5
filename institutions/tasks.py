"""Thin Celery tasks: ids and plain values in, one service call."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import translation

from core.models import BackgroundJob

from .services.documents import STEPS, list_generate_files
from .services.jobs import draft_quarterly_lists as run_quarterly_job


@shared_task(name="institutions.tasks.generate_list_files", bind=True)
def generate_list_files(self, list_id: int) -> int:
    """Queued by list_request_files; a redelivered message finds its job's files made and stops."""
    job = BackgroundJob.objects.filter(task_id=self.request.id).first()
    if job is not None and job.progress_done >= STEPS:
        return list_id
    with translation.override(settings.LANGUAGE_CODE):
        list_generate_files(list_id, job_id=job.pk if job is not None else None)
    return list_id


@shared_task(name="institutions.tasks.draft_quarterly_lists")
def draft_quarterly_lists(today: str | None = None) -> list[int]:
    """Beat entry (see core/schedules.py); the function decides whether today is the day.

    `today` (ISO date) is for running the job as of a given day by hand; beat passes nothing.
    """
    day = dt.date.fromisoformat(today) if today else None
    with translation.override(settings.LANGUAGE_CODE):
        return [quarterly_list.pk for quarterly_list in run_quarterly_job(day)]
