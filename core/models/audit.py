from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """An explicit log entry for a meaningful action (accept, extend, reveal personal data, export…).

    Field-level changes are recorded by django-simple-history; this log says *what was done and why*.
    """

    action = models.CharField(_("操作"), max_length=80, db_index=True)
    actor = models.ForeignKey(
        "core.User", verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("单位"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"


class NumberSequence(models.Model):
    """Counters for human-facing numbers (case numbers, document numbers) per office, kind and year."""

    org = models.ForeignKey("core.OrgUnit", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["org", "key", "year"], name="number_sequence_unique")]

    def __str__(self):
        return f"{self.key}-{self.year}: {self.last_value}"
