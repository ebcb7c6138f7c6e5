from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one person; reminders, approvals and warnings all arrive here.

    Titles and bodies carry labels only (case numbers, stage names), never personal data.
    `key` makes a delivery idempotent: a reminder for one user and day is stored once, so re-running
    the job (or a crashed run) never sends it twice.
    """

    class Kind(models.TextChoices):
        INFO = "info", _("通知")
        REMINDER = "reminder", _("期限提醒")
        OVERDUE = "overdue", _("超期督办")
        APPROVAL = "approval", _("待审批")
        WARNING = "warning", _("警示")
        SYSTEM = "system", _("系统")

    recipient = models.ForeignKey(
        "core.User", verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.INFO)
    key = models.CharField(_("投递键"), max_length=150, null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Set once the e-mail copy went out; a row without it (and with an address) is retried on re-run.
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_recent"),
            # The navbar badge counts unread rows on every page; a partial index keeps that count cheap.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=Q(key__isnull=False), name="notification_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.recipient} {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
