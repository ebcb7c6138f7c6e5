"""The archive (docs/domain.md, "归档"): a closed case filed with its retention period and its case-file bundle (卷宗),
supplements added after filing, and the destruction decisions taken when the retention period has run out."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def bundle_path(instance, filename):
    # The stored name carries the office and the archive row only; the download gets the case number as its name.
    return f"archive/{instance.org_id}/{instance.pk}/{filename}"


class CaseArchiveQuerySet(models.QuerySet):
    def due_for_destruction(self, today):
        """Filed cases whose retention ran out before `today`, not permanent, not destroyed yet."""
        return self.filter(is_permanent=False, retention_until__lt=today, destroyed_at__isnull=True)


class CaseArchive(models.Model):
    """The filing of one closed case: who filed it, what was missing and who allowed it, how long it is kept, and
    the bundle's files. A filed case is read-only (complaints/services/common.py `require_not_filed`)."""

    case = models.OneToOneField("complaints.Case", on_delete=models.PROTECT, related_name="archive")
    # The case's office, kept here for the archive list's index (the yearly 归档目录 per office).
    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    archive_number = models.CharField(_("归档号"), max_length=40)
    filed_on = models.DateField(_("归档日期"))
    filed_at = models.DateTimeField(_("归档时间"))
    filed_by = models.ForeignKey("core.User", verbose_name=_("归档人"), on_delete=models.PROTECT, related_name="+")
    # What the filing check found missing; empty when the file was complete.
    missing = models.JSONField(_("归档时缺少的材料"), default=list, blank=True)
    approved_by = models.ForeignKey(
        "core.User",
        verbose_name=_("批准人（材料不全时）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approval_reason = models.TextField(_("材料不全仍归档的理由"), blank=True)
    is_permanent = models.BooleanField(_("永久保管"), default=False)
    retention_years = models.PositiveSmallIntegerField(_("保管年限"), null=True, blank=True)
    retention_until = models.DateField(_("保管期限至"), null=True, blank=True)
    permanent_reason = models.CharField(_("永久保管理由"), max_length=200, blank=True)
    bundle_pdf = models.FileField(_("卷宗PDF"), upload_to=bundle_path, blank=True, max_length=255)
    bundle_zip = models.FileField(_("原件包（ZIP）"), upload_to=bundle_path, blank=True, max_length=255)
    bundle_pdf_sha256 = models.CharField(_("卷宗PDF SHA-256"), max_length=64, blank=True)
    bundle_zip_sha256 = models.CharField(_("原件包 SHA-256"), max_length=64, blank=True)
    bundle_pages = models.PositiveIntegerField(_("卷宗页数"), null=True, blank=True)
    bundle_built_at = models.DateTimeField(_("卷宗生成时间"), null=True, blank=True)
    # Set when an approved destruction decision has been carried out; the row itself is never deleted.
    destroyed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CaseArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("归档记录")
        verbose_name_plural = _("归档记录")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "archive_number"], name="archive_unique_number_per_org"),
            models.CheckConstraint(
                condition=Q(is_permanent=True, retention_until__isnull=True, retention_years__isnull=True)
                | Q(is_permanent=False, retention_until__isnull=False, retention_years__isnull=False),
                name="archive_permanent_or_dated",
            ),
        ]
        indexes = [models.Index(fields=["org", "filed_on"], name="archive_org_filed")]

    def __str__(self):
        return self.archive_number

    @property
    def retention_label(self) -> str:
        if self.is_permanent:
            return str(_("永久"))
        return str(_("%(years)s年（至%(until)s）") % {"years": self.retention_years, "until": self.retention_until})


class CaseSupplement(models.Model):
    """补充材料/更正 added to a filed case: a later 复查/复核 result, a correction, or material that came later.

    The filed case itself stays as it was; corrections are records of their own, with history."""

    class Kind(models.TextChoices):
        REVIEW_RESULT = "review_result", _("复查/复核结果")
        CORRECTION = "correction", _("更正")
        MATERIAL = "material", _("补充材料")

    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="supplements")
    kind = models.CharField(_("类型"), max_length=15, choices=Kind.choices)
    text = models.TextField(_("内容"))
    added_by = models.ForeignKey("core.User", verbose_name=_("添加人"), on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("添加时间"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("补充材料/更正")
        verbose_name_plural = _("补充材料/更正")
        ordering = ["added_at", "id"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class DestructionDecision(models.Model):
    """A proposal to destroy a filed case past its retention, and the supervisor's decision; kept for ever.

    Carrying out an approved decision deletes the case's stored files (attachments, bundle) and its personal data;
    the case's ledger row, its archive row and this decision stay (docs/domain.md, "归档")."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已批准并销毁")
        REJECTED = "rejected", _("不予销毁")

    archive = models.ForeignKey(CaseArchive, on_delete=models.PROTECT, related_name="destruction_decisions")
    # Copied so that the decision reads on its own whatever happens to the case.
    case_number = models.CharField(_("案件编号"), max_length=20)
    archive_number = models.CharField(_("归档号"), max_length=40)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PROPOSED)
    reason = models.TextField(_("销毁理由"))
    proposed_by = models.ForeignKey("core.User", verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(
        "core.User", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # What was destroyed: file names and SHA-256 of the deleted files, for the record.
    destroyed_files = models.JSONField(_("已销毁文件"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("档案销毁决定")
        verbose_name_plural = _("档案销毁决定")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["archive"], condition=Q(state="proposed"), name="destruction_one_pending_per_archive"
            )
        ]

    def __str__(self):
        return f"{self.archive_number} {self.get_state_display()}"
