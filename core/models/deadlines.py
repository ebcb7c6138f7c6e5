from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CountKind(models.TextChoices):
    CALENDAR = "calendar", _("自然日")
    WORKING = "working", _("工作日")


class DeadlineRule(models.Model):
    """A time limit of the rule table (docs/domain.md, "期限与工作日历"), data an administrator can change."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    days = models.PositiveSmallIntegerField(_("期限天数"))
    count_kind = models.CharField(_("计算方式"), max_length=10, choices=CountKind.choices)
    clock_start = models.CharField(_("起算事件"), max_length=60)
    # Empty: no cap on the total (court mediation extended by the parties' consent); 0: no extension at all.
    max_extension_days = models.PositiveSmallIntegerField(
        _("最长延期天数"), default=0, null=True, blank=True, help_text=_("留空表示不设上限；0 表示不得延期。")
    )
    extension_approver = models.CharField(_("延期审批"), max_length=60, blank=True)
    legal_source = models.CharField(_("依据"), max_length=200, blank=True)
    is_configurable_default = models.BooleanField(_("可配置默认值"), default=True)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Deadline.Status.OPEN)

    def running(self):
        """Open and not paused: the deadlines whose clock is ticking."""
        return self.open().filter(paused_since__isnull=True)

    def overdue(self, today):
        return self.running().filter(due_on__lt=today)

    def due_between(self, start, end):
        return self.running().filter(due_on__gte=start, due_on__lte=end)

    def for_orgs(self, org_ids):
        return self.filter(org_id__in=org_ids)

    def provisional(self):
        return self.exclude(provisional_years="")

    def made_under_older_rule(self):
        """Rule deadlines computed with days or a counting their rule no longer has: they keep what they were
        computed with (docs/domain.md「期限规则」), and the admin lists them."""
        return self.filter(rule__isnull=False).filter(
            ~Q(rule_days=F("rule__days")) | ~Q(rule_count_kind=F("rule__count_kind"))
        )

    def reaching_year(self, year: int):
        """Rule deadlines whose counting reached `year`: made provisional by it, or running through it."""
        return self.filter(rule__isnull=False).filter(
            Q(provisional_years__contains=str(year)) | Q(started_on__year__lte=year, due_on__year__gte=year)
        )


class Deadline(models.Model):
    """One statutory or assigned time limit of any dated item (a case stage, a task, an interview step…).

    Keeping every deadline in one table lets the dashboard, my-work and reminders treat all items alike.
    The rule's days and kind and the calendar revision are stored with the computed date so a later
    calendar correction can show which open deadlines it moves.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    item_kind = models.CharField(_("事项类型"), max_length=60)
    # What the reminder says: never personal data, e.g. "XF-2026-0001 书面答复".
    label = models.CharField(_("事项"), max_length=200)
    # The institution concerned (institutions.Institution), by id only: core is the ground floor and knows no
    # domain model; the dashboard groups open deadlines by it and names the institutions itself.
    institution_id = models.BigIntegerField(_("涉及机构"), null=True, blank=True)
    rule = models.ForeignKey(DeadlineRule, verbose_name=_("期限规则"), null=True, blank=True, on_delete=models.PROTECT)
    rule_days = models.PositiveSmallIntegerField(_("规则天数"))
    rule_count_kind = models.CharField(_("计算方式"), max_length=10, choices=CountKind.choices)
    started_on = models.DateField(_("起算日"))
    extension_days = models.PositiveSmallIntegerField(_("延期天数"), default=0)
    due_on = models.DateField(_("截止日期"))
    calendar_stamp = models.CharField(_("所用日历"), max_length=200, blank=True)
    # The draft years (not yet verified) this due date was computed over, e.g. "2027": it is provisional (暂定)
    # until they are verified and it is recomputed (docs/domain.md, "跨年度：暂定期限").
    provisional_years = models.CharField(_("暂定（未核对的日历年度）"), max_length=60, blank=True)
    owner = models.ForeignKey(
        "core.User", verbose_name=_("A岗"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    backup = models.ForeignKey(
        "core.User", verbose_name=_("B岗"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # Set while an open pause stops the clock; reminders and buckets leave paused deadlines out.
    paused_since = models.DateField(_("暂停起始"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The dashboard and reminders read only open deadlines; a partial index keeps them small.
            models.Index(fields=["org", "due_on"], condition=Q(status="open"), name="deadline_open_org_due"),
            models.Index(fields=["owner", "due_on"], condition=Q(status="open"), name="deadline_open_owner_due"),
            # The dashboard groups an office's open deadlines by A, B, institution and kind and counts them per
            # due-date bucket; with these columns included PostgreSQL answers from the index alone.
            models.Index(
                fields=["org", "due_on"],
                include=["owner", "backup", "institution_id", "item_kind", "paused_since"],
                condition=Q(status="open"),
                name="deadline_open_org_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("started_on")), name="deadline_due_after_start"),
        ]

    def __str__(self):
        mark = _("（暂定）") if self.provisional_years else ""
        return f"{self.label}（{self.due_on:%Y-%m-%d}{mark}）"

    @property
    def is_provisional(self) -> bool:
        return bool(self.provisional_years)


class PauseKind(models.TextChoices):
    """Why a clock stops (docs/domain.md「暂停计时」)."""

    MATERIALS = "materials", _("材料待补")
    APPRAISAL = "appraisal", _("鉴定/检测/评估")
    MEDIATION = "mediation", _("调解")
    HEARING = "hearing", _("听证")
    OTHER = "other", _("其他")


class DeadlinePause(models.Model):
    """An interval in which a deadline's clock does not run (waiting for supplements, hearings…).

    Both ends are paused days: `end_on` is the last day not counted.
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("暂停事由"), max_length=20, choices=PauseKind.choices, default=PauseKind.OTHER)
    start_on = models.DateField(_("暂停开始"))
    end_on = models.DateField(_("暂停结束"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200)
    started_by = models.ForeignKey(
        "core.User", verbose_name=_("暂停人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        "core.User", verbose_name=_("恢复人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("期限暂停")
        verbose_name_plural = _("期限暂停")
        ordering = ["start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="pause_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.start_on}～{self.end_on or '…'} {self.get_kind_display()}：{self.reason}"
