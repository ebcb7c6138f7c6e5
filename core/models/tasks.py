from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Task.Status.OPEN)

    def for_orgs(self, org_ids):
        return self.filter(org_id__in=org_ids)


class Task(models.Model):
    """An office work item assigned to a person ("将工作任务分解到具体人员"), with A and B like a case.

    Each open task has a core.Deadline so that it appears in my-work, the dashboard and reminders.
    A recurring task creates its next occurrence when it is completed; `previous` links the chain and is
    unique so that completing twice never creates two successors.
    """

    class Recurrence(models.TextChoices):
        ONCE = "once", _("一次性")
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("任务名称"), max_length=200)
    requirement = models.TextField(_("工作要求"), blank=True)
    owner = models.ForeignKey("core.User", verbose_name=_("A岗"), on_delete=models.PROTECT, related_name="+")
    backup = models.ForeignKey(
        "core.User", verbose_name=_("B岗"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("完成期限"))
    recurrence = models.CharField(_("周期"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_note = models.TextField(_("完成情况"), blank=True)
    done_by = models.ForeignKey(
        "core.User", verbose_name=_("完成人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("上一期"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_occurrence",
    )
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("布置人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("布置时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["status", "due_on", "id"]
        indexes = [
            models.Index(fields=["org", "due_on"], condition=Q(status="open"), name="task_open_org_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(owner=models.F("backup")), name="task_backup_not_owner"),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | ~Q(status="done"), name="task_done_has_date"
            ),
        ]

    def __str__(self):
        return self.title
