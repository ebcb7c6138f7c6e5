"""Handing background work to Celery without ever losing it (可靠性：消息队列不可用时任务不丢失).

`dispatch(task, *args, target=obj)` records a `BackgroundJob` in the caller's transaction and publishes the
message after the commit. When the broker cannot be reached the job stays 待发送, the error is kept, and
`waiting_for_queue(obj)` tells the view to say so (QUEUE_DOWN_MESSAGE); `republish_pending()` (the beat job
`core.republish_jobs` every minute, or `manage.py jobs_republish`) sends it once the queue is back.
Without a broker (development, tests) the task runs in-process at the commit, as before.

The worker's signals keep the row's state: running, done (with the number of runs) or failed. Tasks are
written to be run twice safely (a redelivery after a killed worker, a republished job whose first message
did get through): the second run sees the work done and returns.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
import uuid
from collections.abc import Callable

from celery import current_app, signals
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import BackgroundJob

logger = logging.getLogger(__name__)

QUEUE_DOWN_MESSAGE = "任务已排队，消息队列暂不可用，恢复后自动执行"
J = BackgroundJob.State


def target_key(obj) -> str:
    """ "complaints.ledgerexport:12": which record a job works on, for the views' status messages."""
    if obj is None:
        return ""
    return f"{obj._meta.label_lower}:{obj.pk}"


def dispatch(task, *args, target=None, **kwargs) -> BackgroundJob:
    """Record the job now and publish it when the surrounding transaction commits.

    `task` is a Celery task (or its registered name); args and kwargs must be JSON values (ids, dates as text).
    """
    name = task if isinstance(task, str) else task.name
    job = BackgroundJob.objects.create(
        task_id=str(uuid.uuid4()), task_name=name, args=list(args), kwargs=kwargs, target=target_key(target)
    )
    job_id = job.pk
    transaction.on_commit(lambda: publish(job_id))
    return job


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def _task(name: str):
    """The registered task; a job dispatched by name may come before its app's tasks module was imported."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # runs the app's autodiscover_tasks()
    return current_app.tasks[name]


def publish(job_id: int) -> bool:
    """Send one job's message; on a broker error keep it 待发送 with the error and return False.

    In-process (eager) runs are not caught: a failing task fails the request as it always did.
    """
    job = BackgroundJob.objects.get(pk=job_id)
    if job.state == J.DONE:
        return True
    task = _task(job.task_name)
    BackgroundJob.objects.filter(pk=job.pk).update(publish_attempts=F("publish_attempts") + 1)
    if _eager():
        # `apply` runs it here, as the eager `apply_async` would, without setting up a producer for a broker that
        # is not configured (kombu then printed "No hostname was supplied" in the middle of `make run`'s output).
        task.apply(args=job.args, kwargs=job.kwargs, task_id=job.task_id)
        return True
    try:
        # ignore_result: the result backend is not needed (the job row is the result) and its reconnect loop
        # would hold the request for many seconds when Redis is down.
        task.apply_async(args=job.args, kwargs=job.kwargs, task_id=job.task_id, ignore_result=True)
    except Exception as exc:  # kombu.OperationalError, redis and socket errors: all mean "not sent"
        logger.warning("Background job %s (%s) not sent, kept pending: %s", job.pk, job.task_name, exc)
        BackgroundJob.objects.filter(pk=job.pk).update(last_error=f"{_('消息队列不可用')}：{exc}"[:500])
        return False
    BackgroundJob.objects.filter(pk=job.pk, state=J.PENDING).update(
        state=J.QUEUED, published_at=timezone.now(), last_error=""
    )
    return True


def waiting_for_queue(obj) -> bool:
    """True when the latest job for `obj` could not be handed to the message queue yet."""
    job = BackgroundJob.objects.filter(target=target_key(obj)).order_by("-id").first()
    return job is not None and job.state == J.PENDING and job.publish_attempts > 0


def latest_job(obj) -> BackgroundJob | None:
    """The most recent job working on `obj` (a list's latest file generation), or None."""
    return BackgroundJob.objects.filter(target=target_key(obj)).order_by("-id").first()


def stale_after() -> dt.timedelta:
    """A queued job not started after this long is sent again (the broker may have lost it in a restart)."""
    return dt.timedelta(minutes=settings.JOBS_REPUBLISH_STALE_MINUTES)


def republish_pending(*, now: dt.datetime | None = None) -> dict:
    """Publish every job still 待发送, and queued ones never started within `stale_after()`.

    Returns {"sent": n, "failed": m}. Safe to run at any time and in several places: tasks finish once.
    """
    now = now or timezone.now()
    stale = now - stale_after()
    jobs = BackgroundJob.objects.filter(
        Q(state=J.PENDING, created_at__lt=now) | Q(state=J.QUEUED, published_at__lt=stale)
    ).order_by("id")
    sent = failed = 0
    for job_id in jobs.values_list("pk", flat=True):
        if publish(job_id):
            sent += 1
        else:
            failed += 1
            break  # the queue is still down: the rest would fail the same way
    pending = BackgroundJob.objects.filter(state=J.PENDING).count()
    return {"sent": sent, "failed": failed, "pending": pending}


# --- Progress and result files (called by the services that tasks run) -----------------------------------


def job_progress(job_id: int, done: int, *, total: int | None = None) -> None:
    """Record how far the work is (rows written, steps done); a plain update, the job is not history-tracked."""
    values = {"progress_done": done}
    if total is not None:
        values["progress_total"] = total
    BackgroundJob.objects.filter(pk=job_id).update(**values)


def job_finish(job_id: int) -> None:
    """Mark the job done from inside the work's own finishing transaction (the worker's signal says so again
    after the task returns; a page polling in between already sees the result)."""
    BackgroundJob.objects.filter(pk=job_id).update(state=J.DONE, finished_at=timezone.now(), last_error="")


def job_store_file(
    job_id: int,
    *,
    folder: str,
    stem: str,
    suffix: str,
    write: Callable,
    lifetime: dt.timedelta | None,
    binary: bool = True,
    on_done: Callable | None = None,
) -> BackgroundJob | None:
    """Write a job's result file into the file storage under `folder` and finish the job; safe to run twice.

    `write(target)` writes to an open file (binary, or UTF-8 text without newline translation for CSV) and
    returns a value handed to `on_done(job, value)`, which runs inside the finishing transaction (the domain
    row's own fields, the audit entry). The file is first written to an anonymous temporary file of the worker
    (gone with the process if it is killed) and handed to the storage in one piece when complete, so a
    half-written file is never stored, on local disk or in the object store (docs/operations.md「多台服务器」).
    The job is finished once, under a row lock: a run that finds the file already stored throws its work away
    and returns None.
    """
    relative = f"{folder}/{stem}-{uuid.uuid4().hex}.{suffix}"
    with tempfile.TemporaryFile(prefix="xiaobao-job-") as spool:
        if binary:
            value = write(spool)
        else:
            text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
            value = write(text)
            text.flush()
            text.detach()
        spool.seek(0)
        with transaction.atomic():
            job = BackgroundJob.objects.select_for_update().get(pk=job_id)
            if job.file:
                return None
            storage = job.file.storage
            stored = storage.save(relative, File(spool, name=relative))
            try:
                job.file.name = stored
                job.state = J.DONE
                job.finished_at = timezone.now()
                job.expires_at = job.finished_at + lifetime if lifetime is not None else None
                job.last_error = ""
                job.save(update_fields=["file", "state", "finished_at", "expires_at", "last_error"])
                if on_done is not None:
                    on_done(job, value)
            except Exception:
                storage.delete(stored)  # the row says nothing was stored: keep it so
                raise
    return job


def purge_expired_job_files(*, now: dt.datetime | None = None) -> int:
    """Delete the result files whose time is up (the job rows and the domain rows stay); returns how many.

    Run every night by beat (core/schedules.py, "清理过期的导出文件"); an expired file is already refused for
    download, this frees the disk.
    """
    now = now or timezone.now()
    removed = 0
    for job in BackgroundJob.objects.filter(expires_at__lt=now).exclude(file=""):
        job.file.delete(save=False)
        job.file = ""
        job.save(update_fields=["file"])
        removed += 1
    return removed


# --- The worker side: signals keep the job's row in step ------------------------------------------------


def _update(task_id, **values) -> None:
    if task_id:
        BackgroundJob.objects.filter(task_id=task_id).update(**values)


@signals.task_prerun.connect(dispatch_uid="core.jobs.prerun")
def _job_started(task_id=None, **_kwargs):
    _update(task_id, state=J.RUNNING, runs=F("runs") + 1, started_at=timezone.now())


@signals.task_success.connect(dispatch_uid="core.jobs.success")
def _job_done(sender=None, **_kwargs):
    task_id = getattr(getattr(sender, "request", None), "id", None)
    _update(task_id, state=J.DONE, finished_at=timezone.now(), last_error="")


@signals.task_failure.connect(dispatch_uid="core.jobs.failure")
def _job_failed(task_id=None, exception=None, **_kwargs):
    _update(task_id, state=J.FAILED, finished_at=timezone.now(), last_error=str(exception)[:500])
