"""Bringing an office's old Excel ledgers and batches of 12378 items in (docs/domain.md, "历史台账导入")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerImportMapping(models.Model):
    """Which column of the office's workbooks feeds which ledger field: saved once per office and reused.

    `columns` maps a field key of complaints/services/ledger_import/columns.py to a workbook header text.
    """

    org = models.OneToOneField(
        "core.OrgUnit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="ledger_import_mapping"
    )
    columns = models.JSONField(_("列对应关系"), default=dict)
    updated_by = models.ForeignKey("core.User", verbose_name=_("设置人"), on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("台账导入列对应")
        verbose_name_plural = _("台账导入列对应")

    def __str__(self):
        return str(self.org)


class LedgerImport(models.Model):
    """One uploaded workbook and what became of it: checked (dry run), refused with its problems, or imported.

    Operational record like the ledger export log (not history-tracked): the cases it creates carry their own
    history. The uploaded file holds personal data; it is deleted once the import has been written.
    """

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("已上传")
        RUNNING = "running", _("处理中")
        REFUSED = "refused", _("有问题，未导入")
        CHECKED = "checked", _("试运行通过")
        IMPORTED = "imported", _("已导入")

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey("core.User", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file = models.FileField(_("文件"), upload_to="ledger-imports/", max_length=255, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    headers = models.JSONField(_("表头"), default=list)
    row_count = models.PositiveIntegerField(_("数据行数"), default=0)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.UPLOADED)
    dry_run = models.BooleanField(_("试运行"), default=False)
    run_by = models.ForeignKey(
        "core.User", verbose_name=_("执行人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the last check or import found: counts, problems by row and column, unmatched institutions, skipped
    # rows, the first rows that would be (or were) created.
    result = models.JSONField(_("结果"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    job = models.OneToOneField(
        "core.BackgroundJob",
        verbose_name=_("后台任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_import",
    )

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.file_name} {self.get_state_display()}"
