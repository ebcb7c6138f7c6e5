from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import visible_org_q
from core.fields import BlindIndexedModel, BlindIndexField, EncryptedCharField

from .choices import (
    OPEN_STATUSES,
    CaseStatus,
    CaseType,
    Channel,
    Closure,
    Decision,
    Finding,
    NoticeVia,
    PetitionKind,
    Satisfaction,
)


class CaseQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(visible_org_q(user))

    def open(self):
        # Spelled as the list of open statuses, not "not closed": PostgreSQL then uses the partial indexes on open
        # cases (case_open_due, case_open_owner_due), whose condition is this list. The 已超期 ledger filter and its
        # count at 1,000,000 cases: 408 → 49 ms (docs/performance.md「已超期筛选」).
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status=CaseStatus.CLOSED)

    def overdue(self, today):
        """Open, clock running and past the due date: a paused clock is never overdue (docs/domain.md「暂停计时」)."""
        return self.open().filter(due_on__lt=today, clock_paused=False)

    def paused(self):
        return self.open().filter(clock_paused=True)

    def major(self):
        return self.filter(is_major=True)

    def due_by(self, last_day):
        return self.open().filter(due_on__lte=last_day, clock_paused=False)

    def received_between(self, start, end):
        """Cases received on dates start..end inclusive (local dates)."""
        return self.filter(received_on__gte=start, received_on__lte=end)

    def for_ledger(self):
        return self.select_related("institution", "owner", "backup")


class Case(BlindIndexedModel, models.Model):
    """A 信访, 举报 or 转办投诉 worked through its statutory steps to closure.

    `due_on` mirrors the earliest open deadline of the case (core.Deadline) so that the ledger can filter and
    sort on it without a join; services keep it in step.
    """

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("编号"), max_length=20)
    case_type = models.CharField(_("类型"), max_length=10, choices=CaseType.choices)
    petition_kind = models.CharField(_("信访类别"), max_length=12, choices=PetitionKind.choices, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=12, choices=Channel.choices)
    reference_no = models.CharField(_("来文/工单编号"), max_length=60, blank=True)
    received_at = models.DateTimeField(_("接收时间"))
    # The local date of received_at, stored for indexed period filters.
    received_on = models.DateField(_("接收日期"))
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Encrypted at rest; repeat detection finds them through the keyed hashes beside them (core/crypto.py).
    id_number = EncryptedCharField(_("身份证号"), blank=True)
    phone = EncryptedCharField(_("联系电话"), blank=True)
    id_number_hash = BlindIndexField(_("身份证号（检索用哈希）"), source="id_number", kind="id", db_index=True)
    phone_hash = BlindIndexField(_("联系电话（检索用哈希）"), source="phone", kind="phone", db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    group_size = models.PositiveSmallIntegerField(_("人数"), default=1)
    # The amount the matter is about, in yuan, as told at intake; a large one makes it a major matter.
    amount_involved = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    # 重大/群体性 (docs/domain.md「重大、群体性事项」): set automatically at intake or by a supervisor, with a reason.
    is_major = models.BooleanField(_("重大/群体性"), default=False)
    major_reason = models.CharField(_("重大/群体性原因"), max_length=200, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("涉及机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    business = models.ForeignKey(
        "core.Category",
        verbose_name=_("业务类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "business"},
        related_name="+",
    )
    cause = models.ForeignKey(
        "core.Category",
        verbose_name=_("投诉原因"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "cause"},
        related_name="+",
    )
    summary = models.CharField(_("事项摘要"), max_length=200)
    content = models.TextField(_("具体内容"), blank=True)
    owner = models.ForeignKey("core.User", verbose_name=_("A岗（承办人）"), on_delete=models.PROTECT, related_name="+")
    backup = models.ForeignKey(
        "core.User", verbose_name=_("B岗"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    due_on = models.DateField(_("当前期限"), null=True, blank=True)
    # Mirrors the provisional mark of that deadline: computed over a calendar year not yet verified (暂定).
    due_provisional = models.BooleanField(_("当前期限为暂定"), default=False)
    # Mirrors whether the earliest open deadline's clock is paused (暂停): the ledger shows 暂停, never overdue.
    clock_paused = models.BooleanField(_("暂停计时"), default=False)
    decision = models.CharField(_("处理意见"), max_length=10, choices=Decision.choices, blank=True)
    finding = models.CharField(_("调查结论"), max_length=20, choices=Finding.choices, blank=True)
    satisfaction = models.CharField(_("回访满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    closure = models.CharField(_("办结方式"), max_length=15, choices=Closure.choices, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复件所属案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # A complaint withdrawn by the complainant (撤回): how and when they said so.
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawal_via = models.CharField(_("撤回方式"), max_length=10, choices=NoticeVia.choices, blank=True, default="")
    # A 举报 opened from a complaint whose complainant was not satisfied: the complaint it came from.
    escalated_from = models.ForeignKey(
        "self",
        verbose_name=_("由投诉转来"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_reports",
    )
    # Amount recovered for the consumer (e.g. through mediation), in yuan.
    amount_recovered = models.DecimalField(_("挽回金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    # Brought in from the office's old Excel ledger (docs/domain.md, "历史台账导入"): closed with its own dates and
    # number, no clocks, no notices.
    is_historical = models.BooleanField(_("历史导入"), default=False)
    # Optimistic locking: a save based on an older version is refused instead of overwriting someone's edit.
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey("core.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("信访投诉件")
        verbose_name_plural = _("信访投诉件")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="case_unique_number_per_org"),
            models.CheckConstraint(
                condition=Q(case_type="petition") | Q(petition_kind=""), name="case_petition_kind_only_for_petitions"
            ),
            models.CheckConstraint(condition=Q(group_size__gte=1), name="case_group_size_positive"),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="case_closed_iff_closed_at",
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="case_not_duplicate_of_itself"),
        ]
        indexes = [
            # The ledger's default order and its period filters.
            models.Index(fields=["org", "-received_at", "-id"], name="case_ledger_order"),
            # Reviewers see several sub-bureaus at once: their first page walks this index instead of sorting.
            models.Index(fields=["-received_at", "-id"], name="case_received_order"),
            # Dashboard statistics read these without touching the table (covering indexes on PostgreSQL).
            models.Index(
                fields=["org", "closed_at"],
                include=["closed_on_time"],
                condition=Q(status="closed"),
                name="case_closed_on_time",
            ),
            # Period filters by office; on PostgreSQL it also answers intake-by-channel from the index alone.
            models.Index(fields=["org", "received_on"], include=["channel"], name="case_intake_by_channel"),
            # Open-case deadline buckets (dashboard, overdue filter): small because closed cases are left out. With
            # clock_paused the overdue filter's bounded count reads the index alone (3.8 -> 0.8 ms at 1,000,000 cases,
            # docs/performance.md「2026-12-06 第六轮」).
            models.Index(
                fields=["org", "due_on"],
                include=["clock_paused"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_open_due",
            ),
            models.Index(fields=["owner", "due_on"], condition=Q(status__in=OPEN_STATUSES), name="case_open_owner_due"),
            # The ledger's open-case filters (已超期, 未办结, N个工作日内到期) in its default order: the overdue
            # page joined and sorted the 17,000 overdue cases of an office for 51 (35 ms at 1,000,000 cases);
            # walking the open cases newest first stops at the 51st (9 ms; docs/performance.md「已超期筛选」).
            # case_type lets the bounded count of open complaints (or petitions) read the index alone (5.1 -> 0.8 ms).
            models.Index(
                fields=["org", "-received_at", "-id"],
                include=["due_on", "clock_paused", "case_type"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_open_order",
            ),
            models.Index(fields=["org", "institution", "received_on"], name="case_org_inst_received"),
            # The board's 重大/群体性 list (newest first): a handful of rows, where the ledger index made PostgreSQL
            # walk all of an office's cases looking for one (237 ms at 1,000,000 cases; docs/performance.md).
            models.Index(fields=["org", "-received_at", "-id"], condition=Q(is_major=True), name="case_major_order"),
            models.Index(fields=["org", "id_number_hash"], name="case_org_id_number_hash"),
            models.Index(fields=["org", "phone_hash"], name="case_org_phone_hash"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def has_clock(self) -> bool:
        """Anonymous reports are handled on content, with no statutory clock and no notices."""
        return not (self.case_type == CaseType.REPORT and self.is_anonymous)


class CaseEvent(models.Model):
    """One step of the case's path: who did what, when, with a note and the approver where one was needed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=CaseStatus.choices, blank=True)
    actor = models.ForeignKey("core.User", verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(
        "core.User", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    occurred_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["case", "occurred_at"])]

    def __str__(self):
        return f"{self.case} {self.action}"


class CaseStep(models.Model):
    """The office's closed loop for items that need its own view: 研提意见 → 尽职调查 → 反馈意见."""

    class Kind(models.TextChoices):
        OPINION = "opinion", _("研提意见")
        DUE_DILIGENCE = "due_diligence", _("尽职调查")
        FEEDBACK = "feedback", _("反馈意见")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=15, choices=Kind.choices)
    owner = models.ForeignKey("core.User", verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("完成期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("内容"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("闭环环节")
        verbose_name_plural = _("闭环环节")
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="case_step_unique_kind")]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class ExtensionRequest(models.Model):
    """A request to extend a deadline, decided by the supervisor (or recorded for an institution's own extension)."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    deadline = models.ForeignKey("core.Deadline", on_delete=models.CASCADE, related_name="+")
    days = models.PositiveSmallIntegerField(_("延期天数"))
    reason = models.TextField(_("延期理由"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey("core.User", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "core.User", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["state", "case"])]

    def __str__(self):
        return f"{self.case} 延期{self.days}天（{self.get_state_display()}）"
