from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# The hash before the first entry of the chain (README 安全审计).
GENESIS_HASH = "0" * 64


class AuditLogImmutableError(Exception):
    """Raised when code tries to change or delete an audit entry: the log only grows."""

    def __init__(self, message=None):
        super().__init__(message or _("操作日志只能追加，不能修改或删除。"))


class AuditEntryQuerySet(models.QuerySet):
    """Reads only: every bulk write is refused, so that no code path changes the log behind the chain."""

    def update(self, **kwargs):
        raise AuditLogImmutableError

    def delete(self):
        raise AuditLogImmutableError

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogImmutableError

    def bulk_create(self, objs, *args, **kwargs):
        # Entries are written one by one by core.services.audit.log_action, which chains them.
        raise AuditLogImmutableError

    def update_or_create(self, *args, **kwargs):
        raise AuditLogImmutableError

    def archived_delete(self, *, up_to_sequence: int) -> int:
        """Remove entries already written to an archive file (core.services.audit_archive only).

        The PostgreSQL trigger allows this delete only for sequences covered by an `AuditArchive` row.
        """
        return self.filter(sequence__lte=up_to_sequence)._raw_delete(self.db)


class AuditEntry(models.Model):
    """An explicit log entry for a meaningful action (accept, extend, reveal personal data, export…) or a
    security event (sign-in, lockout, permission change…).

    Field-level changes are recorded by django-simple-history; this log says *what was done and why*. It is
    append-only: each entry carries the SHA-256 hash of the one before it (`prev_hash`) and its own hash over its
    content (`entry_hash`), so that `manage.py audit_verify` detects a changed, removed or inserted entry.
    """

    sequence = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    # PROTECT: a person or unit named in the log cannot be deleted (deactivate the account instead), and the
    # chained hash covers these ids, so they must never be nulled behind it.
    actor = models.ForeignKey(
        "core.User", verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("单位"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, editable=False)
    entry_hash = models.CharField(_("本条哈希"), max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutableError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutableError


class AuditChainHead(models.Model):
    """The one row that holds the chain's last sequence and hash; writers lock it to append in turn."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("操作日志链头")
        verbose_name_plural = _("操作日志链头")

    def __str__(self):
        return f"{self.last_sequence} {self.last_hash[:12]}"


class AuditArchive(models.Model):
    """A range of the chain moved to an archive file by `manage.py audit_archive` (never deleted unrecorded)."""

    first_sequence = models.PositiveBigIntegerField(_("起始序号"), unique=True)
    last_sequence = models.PositiveBigIntegerField(_("截止序号"), unique=True)
    first_prev_hash = models.CharField(_("起始前一条哈希"), max_length=64)
    last_hash = models.CharField(_("截止哈希"), max_length=64)
    entry_count = models.PositiveIntegerField(_("条数"))
    oldest_at = models.DateTimeField(_("最早时间"))
    newest_at = models.DateTimeField(_("最晚时间"))
    file_name = models.CharField(_("归档文件"), max_length=200)
    file_sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("归档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("操作日志归档")
        verbose_name_plural = _("操作日志归档")
        ordering = ["-last_sequence"]

    def __str__(self):
        return f"{self.file_name} ({self.first_sequence}–{self.last_sequence})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutableError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutableError


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
