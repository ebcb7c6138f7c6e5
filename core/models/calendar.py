from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class WorkCalendarYear(models.Model):
    """Whether a year of the official working-day calendar is verified.

    A 已核对 year is official. A draft year (predicted by rule when a deadline first reaches it, or added by hand
    before the State Council's notice is entered) is still counted over, but the deadlines it touches are
    provisional (暂定) until the year is verified (docs/domain.md, "跨年度：暂定期限"). Only the strict `deadline`
    command refuses it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿（未核对）")
        VERIFIED = "verified", _("已核对")

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    # Bumped on every change to a day of the year; stored with each computed deadline.
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年"


class WorkCalendarDay(models.Model):
    class Kind(models.TextChoices):
        WORKDAY = "workday", _("工作日")
        WEEKEND = "weekend", _("周末")
        HOLIDAY = "holiday", _("法定节假日")
        SHIFTED_WORKDAY = "shifted_work", _("调休上班")
        SHIFTED_REST = "shifted_rest", _("调休休息")

    date = models.DateField(_("日期"), unique=True)
    year = models.ForeignKey(WorkCalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days")
    is_working_day = models.BooleanField(_("是否工作日"))
    kind = models.CharField(_("类型"), max_length=15, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=60, blank=True)
    source_notice = models.CharField(_("依据通知"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
