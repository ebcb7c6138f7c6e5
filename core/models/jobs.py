from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    """A piece of background work (an export, a list's files) recorded before it is handed to Celery.

    The one job model of the project (docs/architecture.md, "Background work"): state, progress (`progress_done`
    of `progress_total` steps or rows), and — for work whose product is a download — the result file and when it
    expires (like pretix's CachedFile). A domain row that users see (a ledger export with its filters, a quarterly
    list) points at its job; the job is never history-tracked, so progress is written with plain updates.

    The row is written in the same transaction as the work's own record; the message is published after the
    commit. When the message queue cannot be reached the job stays 待发送 and `jobs_republish` (run every
    minute by beat, or by hand) publishes it once the queue is back, so no request for work is ever lost.
    The Celery task id is `task_id`, so the worker's signals update the row (see core/services/jobs.py).
    Operational data, not a record of the office: plain updates, no history.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        QUEUED = "queued", _("已入队")
        RUNNING = "running", _("执行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    task_id = models.CharField(_("任务编号"), max_length=64, unique=True)
    task_name = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("参数"), default=list, blank=True)
    kwargs = models.JSONField(_("命名参数"), default=dict, blank=True)
    target = models.CharField(_("对象"), max_length=100, blank=True, db_index=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    publish_attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    runs = models.PositiveIntegerField(_("执行次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("入队时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总量"), null=True, blank=True)
    file = models.FileField(_("结果文件"), upload_to="jobs/", blank=True, max_length=255)
    expires_at = models.DateTimeField(_("文件过期时间"), null=True, blank=True)

    ACTIVE_STATES = (State.PENDING, State.QUEUED, State.RUNNING)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="job_state_created"),
            models.Index(fields=["expires_at"], name="job_expires", condition=models.Q(expires_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.task_name} {self.task_id} {self.state}"

    @property
    def is_active(self) -> bool:
        """Not finished yet: a page showing it keeps polling."""
        return self.state in self.ACTIVE_STATES

    @property
    def percent(self) -> int | None:
        """Progress in per cent when the total is known."""
        if not self.progress_total:
            return 100 if self.state == self.State.DONE else None
        return min(100, self.progress_done * 100 // self.progress_total)

    def is_expired(self, now) -> bool:
        return self.expires_at is not None and self.expires_at < now
