import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.roles import Role, has_role

from .choices import Assessment, Polarity, RatingElement, office_scope_q


class ListSuggestionRule(models.Model):
    """A data rule that suggests a list item (docs/domain.md, "正负面清单").

    Its thresholds are data an administrator can change.
    """

    class Kind(models.TextChoices):
        COMPLAINTS = "complaints", _("投诉量达到阈值")
        COMPLAINTS_PER_OUTLET = "complaints_per_outlet", _("网点平均投诉量达到阈值")
        GROWTH = "growth", _("投诉量环比增幅达到百分比")
        LATE_FORWARDS = "late_forwards", _("转办投诉超期反馈")
        REPEAT = "repeat", _("重复投诉或群体投诉")
        SUBSTANTIATED = "substantiated", _("举报查实")
        INTERVIEW_NOT_RECTIFIED = "interview_not_rectified", _("约谈整改未按期完成")
        NO_COMPLAINTS = "no_complaints", _("本季度无投诉")
        FORWARDS_ON_TIME = "forwards_on_time", _("转办投诉全部按期反馈")
        MEDIATION = "mediation", _("配合纠纷调解")
        OUTREACH = "outreach", _("参与金融教育宣传")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("规则类型"), max_length=30, choices=Kind.choices)
    polarity = models.CharField(_("正/负面"), max_length=10, choices=Polarity.choices)
    element = models.CharField(_("评价要素"), max_length=20, choices=RatingElement.choices)
    threshold = models.DecimalField(_("阈值"), max_digits=8, decimal_places=2, default=1)
    # Growth is judged only when the previous quarter had at least this many complaints.
    minimum_base = models.PositiveIntegerField(_("环比基数下限"), default=0)
    # The item text; {value} and {threshold} are filled in with the figures.
    template = models.CharField(_("描述模板"), max_length=200)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("清单建议规则")
        verbose_name_plural = _("清单建议规则")
        ordering = ["polarity", "code"]

    def __str__(self):
        return self.name


class QuarterlyListQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff see their unit's lists; branch reviewers see only lists submitted to the branch."""
        qs = self.filter(office_scope_q(user))
        if not user.is_superuser and has_role(user, Role.REVIEWER) and not has_role(user, Role.SUPERVISOR, Role.CLERK):
            qs = qs.filter(status__in=QuarterlyList.BRANCH_VISIBLE_STATUSES)
        return qs

    def current(self):
        return self.exclude(status=QuarterlyList.Status.SUPERSEDED)


def list_file_path(instance, filename):
    return f"institutions/lists/{instance.org_id}/{instance.pk}/{uuid.uuid4().hex}-{filename}"


class QuarterlyList(models.Model):
    """The quarterly positive/negative list (正负面清单) of one sub-bureau (docs/domain.md, "正负面清单")."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交审批")
        APPROVED = "approved", _("负责人已批准")
        FROZEN = "frozen", _("已报送分局（已锁定）")
        SUPERSEDED = "superseded", _("已被新版本替代")

    EDITABLE_STATUSES = (Status.DRAFT,)
    BRANCH_VISIBLE_STATUSES = (Status.FROZEN, Status.SUPERSEDED)

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("替代版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    supersede_reason = models.TextField(_("重新编制原因"), blank=True)
    note = models.TextField(_("总体说明"), blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("编制人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        "core.User", verbose_name=_("提交人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "core.User", verbose_name=_("批准人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        "core.User", verbose_name=_("报送人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    frozen_at = models.DateTimeField(_("报送分局时间"), null=True, blank=True)
    # Every figure of every row as it was when the list went to the branch.
    snapshot = models.JSONField(_("报送快照"), default=dict, blank=True)
    pdf_file = models.FileField(_("PDF文件"), upload_to=list_file_path, blank=True, max_length=255)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    xlsx_file = models.FileField(_("Excel文件"), upload_to=list_file_path, blank=True, max_length=255)
    xlsx_sha256 = models.CharField(_("Excel SHA-256"), max_length=64, blank=True)
    # Set when both files are stored; the generation itself (state, progress, error) is a core.BackgroundJob
    # targeting the list (core.services.jobs.latest_job), so it never writes the list's history.
    generated_at = models.DateTimeField(_("文件生成时间"), null=True, blank=True)
    history = HistoricalRecords()

    objects = QuarterlyListQuerySet.as_manager()

    class Meta:
        verbose_name = _("正负面清单")
        verbose_name_plural = _("正负面清单")
        ordering = ["-year", "-quarter", "org", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "quarter", "version"], name="list_unique_version"),
            models.UniqueConstraint(
                fields=["org", "year", "quarter"],
                condition=~Q(status="superseded"),
                name="list_one_current_per_quarter",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="list_quarter_1_to_4"),
        ]

    def __str__(self):
        return f"{self.org} {self.period_label} v{self.version}"

    @property
    def period_code(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.FROZEN, self.Status.SUPERSEDED)


class ListRow(models.Model):
    """One supervised institution on the list: its figures for the quarter and the overall assessment."""

    quarterly_list = models.ForeignKey(QuarterlyList, on_delete=models.CASCADE, related_name="rows")
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="list_rows"
    )
    # The figures the suggestions were computed from (complaints, per outlet, growth, late forwards…).
    figures = models.JSONField(_("指标"), default=dict, blank=True)
    assessment = models.CharField(_("总体评价"), max_length=10, choices=Assessment.choices, default=Assessment.NEUTRAL)
    # Set once a person chose the assessment; until then it follows the accepted items.
    assessment_by_hand = models.BooleanField(_("人工评价"), default=False)
    note = models.TextField(_("评价说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("清单机构")
        verbose_name_plural = _("清单机构")
        ordering = ["quarterly_list", "institution__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["quarterly_list", "institution"], name="list_row_unique_institution"),
        ]

    def __str__(self):
        return f"{self.quarterly_list} {self.institution}"


class ListItem(models.Model):
    """A positive or negative item of one institution's row, suggested by a rule or added by hand."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("系统建议（待确认）")
        ACCEPTED = "accepted", _("已采纳")
        REJECTED = "rejected", _("未采纳")

    class Source(models.TextChoices):
        RULE = "rule", _("数据规则")
        SURVEY = "survey", _("专项调研")
        MANUAL = "manual", _("人工添加")

    row = models.ForeignKey(ListRow, on_delete=models.CASCADE, related_name="items")
    polarity = models.CharField(_("正/负面"), max_length=10, choices=Polarity.choices)
    element = models.CharField(_("评价要素"), max_length=20, choices=RatingElement.choices)
    description = models.TextField(_("描述"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SUGGESTED)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    rule = models.ForeignKey(
        ListSuggestionRule, verbose_name=_("建议规则"), null=True, blank=True, on_delete=models.SET_NULL
    )
    survey_finding = models.ForeignKey(
        "institutions.SurveyFinding",
        verbose_name=_("调研发现"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="list_items",
    )
    # Links to the evidence: [{"kind": "case"|"interview"|"event"|"mediation"|"survey", "id": 1, "label": "TS-…"}].
    evidence = models.JSONField(_("证据"), default=list, blank=True)
    decided_by = models.ForeignKey(
        "core.User", verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["row", "polarity", "id"]

    def __str__(self):
        return f"{self.get_polarity_display()} {self.get_element_display()}"
