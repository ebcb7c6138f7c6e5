"""Thin Celery tasks: ids in, one service call."""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from core.models import BackgroundJob

from .documents import STEPS, report_generate_files


@shared_task(name="statistics.tasks.generate_report_files", bind=True, acks_late=True)
def generate_report_files(self, report_id: int) -> int:
    """Queued by report_request_files; a redelivered message finds its job's files made and stops."""
    job = BackgroundJob.objects.filter(task_id=self.request.id).first()
    if job is not None and job.progress_done >= STEPS:
        return report_id
    with translation.override(settings.LANGUAGE_CODE):
        report_generate_files(report_id, job_id=job.pk if job is not None else None)
    return report_id
