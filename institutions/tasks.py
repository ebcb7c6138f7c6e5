"""Thin Celery tasks: ids and plain values in, one service call."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import translation

from .models import QuarterlyList
from .services.documents import list_generate_files
from .services.jobs import draft_quarterly_lists as run_quarterly_job


@shared_task(name="institutions.tasks.generate_list_files")
def generate_list_files(list_id: int) -> int:
    """Queued by list_request_files (which sets 排队中), by name; a redelivered message finds the files made and
    stops."""
    if QuarterlyList.objects.filter(pk=list_id, generation=QuarterlyList.Generation.DONE).exists():
        return list_id
    with translation.override(settings.LANGUAGE_CODE):
        list_generate_files(list_id)
    return list_id


@shared_task(name="institutions.tasks.draft_quarterly_lists")
def draft_quarterly_lists(today: str | None = None) -> list[int]:
    """Beat entry (see institutions/schedules.py); the function decides whether today is the day.

    `today` (ISO date) is for running the job as of a given day by hand; beat passes nothing.
    """
    day = dt.date.fromisoformat(today) if today else None
    with translation.override(settings.LANGUAGE_CODE):
        return [quarterly_list.pk for quarterly_list in run_quarterly_job(day)]
