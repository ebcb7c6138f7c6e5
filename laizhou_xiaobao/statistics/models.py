"""The statistics report of one sub-bureau for a quarter or a year (docs/domain.md, "信访投诉统计")."""

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import within_org_q
from core.roles import Role, has_role

# Quarter 0 is the whole year.
YEAR = 0
# The branch expects a report by the 10th calendar day after its period ends (docs/domain.md, "信访投诉统计").
DUE_DAYS_AFTER_PERIOD = 10


def period_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter == YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
    return start, end


def period_label(year: int, quarter: int) -> str:
    return f"{year}年度" if quarter == YEAR else f"{year}年第{quarter}季度"


def due_on(year: int, quarter: int) -> dt.date:
    return period_bounds(year, quarter)[1] + dt.timedelta(days=DUE_DAYS_AFTER_PERIOD)


class ReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff see their unit's reports; a branch reviewer sees only what was submitted to the branch."""
        if user.is_superuser:
            return self
        if user.org_id is None:
            return self.none()
        qs = self.filter(within_org_q(user.org))
        if has_role(user, Role.REVIEWER) and not has_role(user, Role.SUPERVISOR, Role.CLERK):
            qs = qs.filter(status__in=StatisticsReport.BRANCH_VISIBLE_STATUSES)
        return qs

    def current(self):
        return self.exclude(status=StatisticsReport.Status.SUPERSEDED)


def report_file_path(instance, filename):
    return f"statistics/{instance.org_id}/{instance.pk}/{uuid.uuid4().hex}-{filename}"


def _user(verbose_name):
    return models.ForeignKey(
        "core.User", verbose_name=verbose_name, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class StatisticsReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        CHECKED = "checked", _("已核对")
        APPROVED = "approved", _("负责人已批准")
        SUBMITTED = "submitted", _("已报送分局（已锁定）")
        RETURNED = "returned", _("分局退回更正")
        SUPERSEDED = "superseded", _("已被更正版本替代")

    FROZEN_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.SUPERSEDED)
    BRANCH_VISIBLE_STATUSES = FROZEN_STATUSES

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度（0为全年）"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The tables drafted from the data (laizhou_xiaobao/statistics/figures.py), refreshed while a draft.
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)
    drafted_at = models.DateTimeField(_("数据提取时间"), null=True, blank=True)
    summary = models.TextField(_("工作小结"), blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    supersede_reason = models.TextField(_("更正原因"), blank=True)
    created_by = _user(_("编制人"))
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)
    checked_by = _user(_("核对人"))
    checked_at = models.DateTimeField(_("核对时间"), null=True, blank=True)
    approved_by = _user(_("批准人"))
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    submitted_by = _user(_("报送人"))
    submitted_at = models.DateTimeField(_("报送分局时间"), null=True, blank=True)
    # What the branch received: every table and the summary, and the SHA-256 of that JSON.
    snapshot = models.JSONField(_("报送快照"), default=dict, blank=True)
    snapshot_sha256 = models.CharField(_("快照 SHA-256"), max_length=64, blank=True)
    returned_by = _user(_("退回人"))
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    pdf_file = models.FileField(_("PDF文件"), upload_to=report_file_path, blank=True, max_length=255)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    xlsx_file = models.FileField(_("Excel文件"), upload_to=report_file_path, blank=True, max_length=255)
    xlsx_sha256 = models.CharField(_("Excel SHA-256"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("文件生成时间"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("信访投诉统计报表")
        verbose_name_plural = _("信访投诉统计报表")
        ordering = ["-year", "-quarter", "org", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "quarter", "version"], name="stats_unique_version"),
            models.UniqueConstraint(
                fields=["org", "year", "quarter"],
                condition=~Q(status="superseded"),
                name="stats_one_current_per_period",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=0, quarter__lte=4), name="stats_quarter_0_to_4"),
        ]

    def __str__(self):
        return f"{self.org} {self.period_label} v{self.version}"

    @property
    def period_code(self) -> str:
        return f"{self.year}" if self.quarter == YEAR else f"{self.year}Q{self.quarter}"

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.quarter)

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return period_bounds(self.year, self.quarter)

    @property
    def due_on(self) -> dt.date:
        return due_on(self.year, self.quarter)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN_STATUSES

    @property
    def is_late(self) -> bool:
        return self.submitted_at is not None and timezone.localdate(self.submitted_at) > self.due_on
