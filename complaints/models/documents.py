import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def attachment_path(instance, filename):
    # The stored name never carries the user's file name (it may hold personal data); the original is a field.
    return f"cases/{instance.case.org_id}/{instance.case_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("核查材料")
        INTERVIEW = "interview", _("谈话记录")
        RECORDING = "recording", _("录音录像")
        OPINION = "opinion", _("意见书")
        RECEIPT = "receipt", _("回执")
        OTHER = "other", _("其他")

    case = models.ForeignKey("complaints.Case", on_delete=models.CASCADE, related_name="attachments")
    step = models.ForeignKey(
        "complaints.CaseStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey("core.User", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class CaseDocument(models.Model):
    """A generated document (受理告知书, 转办单 …) with its number; the PDF is rendered on demand."""

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("受理告知书")
        NON_ACCEPTANCE = "non_acceptance", _("不予受理告知书")
        PETITION_REPLY = "petition_reply", _("信访处理意见书")
        REPORT_ACCEPTANCE = "report_acceptance", _("举报受理告知书")
        REPORT_NON_ACCEPTANCE = "report_non_acceptance", _("举报不予受理告知书")
        REPORT_FINDING = "report_finding", _("举报调查结论告知书")
        FORWARDING_SLIP = "forwarding_slip", _("投诉转办单")
        FORWARDING_NOTICE = "forwarding_notice", _("投诉转办告知书")
        EXTENSION_NOTICE = "extension_notice", _("延期告知书")
        SUGGESTION_REPLY = "suggestion_reply", _("建议意见答复书")
        ACCUSATION_RESULT = "accusation_result", _("检举控告办理结果告知书")
        TRANSFER_LETTER = "transfer_letter", _("转送函")
        URGENT_REPORT = "urgent_report", _("紧急报告")

    case = models.ForeignKey("complaints.Case", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书"), max_length=25, choices=Kind.choices)
    number = models.CharField(_("文号"), max_length=120)
    issued_on = models.DateField(_("出具日期"))
    issued_by = models.ForeignKey("core.User", verbose_name=_("出具人"), on_delete=models.PROTECT, related_name="+")
    # Wording specific to this document (facts, legal basis…); the rest comes from the case.
    body = models.JSONField(_("内容"), default=dict, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["issued_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="case_document_unique_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class LedgerExport(models.Model):
    """A ledger export as the office sees it: who, when, which filters, how many rows.

    A domain row, kept after its file is gone (it is part of the record of who exported personal data). A large
    export's work — state, progress, the file and its expiry — is its `job` (core.BackgroundJob, the one job model,
    docs/architecture.md "Background work"); a small export written at once has no job and no stored file.
    """

    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey("core.User", verbose_name=_("导出人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    file_format = models.CharField(_("格式"), max_length=5)
    filters = models.JSONField(_("筛选条件"), default=dict)
    row_count = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    job = models.OneToOneField(
        "core.BackgroundJob",
        verbose_name=_("后台任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_export",
    )

    class Meta:
        verbose_name = _("台账导出记录")
        verbose_name_plural = _("台账导出记录")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.requested_by} {self.file_format}"
