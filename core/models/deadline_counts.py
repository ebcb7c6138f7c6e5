from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineDayCount(models.Model):
    """How many open deadlines share one due day and one grouping: office, A, B, institution, kind, paused or
    running, provisional or not (docs/architecture.md「看板汇总表」).

    The dashboard's buckets are sums over these rows (a few hundred per office) instead of an aggregate over every
    open deadline. Derived data: core/services/deadline_counts.py moves a deadline's count in the transaction of
    every deadline change, and `manage.py rebuild_deadline_counts` recomputes the table from core.Deadline. Not
    history-tracked: Deadline's own history says what changed, and the rows are written with plain SQL.

    The grouping columns are NOT NULL, 0 standing for "no A岗/B岗/institution": a unique index treats NULLs as
    distinct (SQLite and PostgreSQL alike), and the upsert that moves a count needs exactly one row per key. A row
    whose count reaches 0 is deleted.
    """

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    # core.User and institutions.Institution ids, 0 for none (plain ids, as Deadline.institution_id: a summary
    # row must not stop a user or an institution from being changed, and core knows no institution model).
    owner_id = models.BigIntegerField(_("A岗"), default=0)
    backup_id = models.BigIntegerField(_("B岗"), default=0)
    institution_id = models.BigIntegerField(_("涉及机构"), default=0)
    item_kind = models.CharField(_("事项类型"), max_length=60)
    due_on = models.DateField(_("截止日期"))
    paused = models.BooleanField(_("暂停计时"), default=False)
    provisional = models.BooleanField(_("暂定"), default=False)
    count = models.IntegerField(_("在办期限数"), default=0)

    class Meta:
        verbose_name = _("在办期限按日汇总")
        verbose_name_plural = _("在办期限按日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "org",
                    "owner_id",
                    "backup_id",
                    "institution_id",
                    "item_kind",
                    "due_on",
                    "paused",
                    "provisional",
                ],
                name="deadline_day_count_key",
            ),
        ]

    def __str__(self):
        return f"{self.org_id} {self.item_kind} {self.due_on}: {self.count}"
