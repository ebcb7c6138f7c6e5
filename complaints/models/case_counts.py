from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseMonthCount(models.Model):
    """How many cases one office received or closed in one month, by one grouping (docs/architecture.md「看板汇总表」).

    The dashboard's closure rates, intake by channel and institution ranking are sums over these rows (a few dozen
    per office and month) instead of aggregates over every case. Three measures, each keyed by month:
    received by channel, received about an institution, and closed with a known on-time mark (on time or not).
    Every case period the dashboard shows starts on the first of a month and no case is received or closed in the
    future, so months are exact. Derived data: complaints/services/case_counts.py moves a case's counts in the
    transaction of every case write, and `manage.py rebuild_case_counts` recomputes the table from the cases.
    Not history-tracked, for the reasons of core.DeadlineDayCount; the grouping columns are NOT NULL for the same
    reason ("" and 0 for "not part of this measure").
    """

    class Measure(models.TextChoices):
        RECEIVED = "received", _("受理（按渠道）")
        INSTITUTION = "institution", _("受理（按涉及机构）")
        CLOSED = "closed", _("办结（按是否按时）")

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    measure = models.CharField(_("指标"), max_length=20, choices=Measure.choices)
    channel = models.CharField(_("渠道"), max_length=20, default="", blank=True)
    # institutions.Institution id, 0 for none: a summary row must not stop an institution from being changed.
    institution_id = models.BigIntegerField(_("涉及机构"), default=0)
    on_time = models.BooleanField(_("按时办结"), default=False)
    count = models.IntegerField(_("件数"), default=0)

    class Meta:
        verbose_name = _("案件按月汇总")
        verbose_name_plural = _("案件按月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "measure", "month", "channel", "institution_id", "on_time"],
                name="case_month_count_key",
            ),
        ]

    def __str__(self):
        return f"{self.org_id} {self.measure} {self.month:%Y-%m}: {self.count}"
