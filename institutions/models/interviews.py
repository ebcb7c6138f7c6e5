import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import office_scope_q


class InterviewTriggerRule(models.Model):
    """A rule that proposes a supervisory interview; thresholds are data an administrator can change."""

    class Kind(models.TextChoices):
        COMPLAINTS = "complaints", _("季度投诉量达到阈值")
        RISE = "rise", _("投诉量环比上升达到百分比")
        SUBSTANTIATED_REPORT = "substantiated_report", _("举报查实")
        OVERDUE_FORWARDS = "overdue_forwards", _("转办投诉超期反馈")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("规则类型"), max_length=25, choices=Kind.choices)
    # Complaints ≥ N; rise ≥ X (percent); substantiated reports ≥ N; late forwards ≥ N.
    threshold = models.DecimalField(_("阈值"), max_digits=8, decimal_places=2)
    # A rise is judged only when the previous quarter had at least this many complaints.
    minimum_base = models.PositiveIntegerField(_("环比基数下限"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("约谈触发规则")
        verbose_name_plural = _("约谈触发规则")
        ordering = ["code"]

    def __str__(self):
        return self.name


class InterviewQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(office_scope_q(user))

    def active(self):
        return self.exclude(status__in=Interview.FINAL_STATUSES)


class Interview(models.Model):
    """A supervisory interview of an institution's management, worked to closure (docs/domain.md, "约谈督导")."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("建议约谈（待确认）")
        SCHEDULED = "scheduled", _("已安排")
        HELD = "held", _("已约谈")
        SELF_INSPECTION = "self_inspection", _("机构自查中")
        RECTIFYING = "rectifying", _("整改中")
        VERIFIED = "verified", _("整改已验证")
        CLOSED = "closed", _("已办结")
        ESCALATED = "escalated", _("已报分局")
        DISMISSED = "dismissed", _("不予约谈")

    class Source(models.TextChoices):
        RULE = "rule", _("规则触发")
        MANUAL = "manual", _("人工发起")

    FINAL_STATUSES = (Status.CLOSED, Status.ESCALATED, Status.DISMISSED)

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("约谈机构"), on_delete=models.PROTECT, related_name="interviews"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    trigger_rule = models.ForeignKey(
        InterviewTriggerRule, verbose_name=_("触发规则"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Quarter the triggering figures belong to, e.g. "2026Q3"; one proposal per rule, institution and quarter.
    trigger_period = models.CharField(_("触发期间"), max_length=7, blank=True)
    reason = models.TextField(_("约谈事由"))
    trigger_data = models.JSONField(_("触发数据"), default=dict, blank=True)
    owner = models.ForeignKey(
        "core.User", verbose_name=_("A岗（承办人）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    backup = models.ForeignKey(
        "core.User", verbose_name=_("B岗"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("约谈时间"), null=True, blank=True)
    location = models.CharField(_("地点"), max_length=100, blank=True)
    attendees = models.TextField(_("参加人员（机构高管及我局人员）"), blank=True)
    topics = models.TextField(_("约谈议题"), blank=True)
    held_on = models.DateField(_("约谈日期"), null=True, blank=True)
    record = models.TextField(_("谈话记录"), blank=True)
    issues_found = models.TextField(_("发现问题"), blank=True)
    self_inspection_scope = models.TextField(_("自查要求（同类问题范围）"), blank=True)
    self_inspection_due_on = models.DateField(_("自查期限"), null=True, blank=True)
    self_inspection_done_on = models.DateField(_("自查报告日期"), null=True, blank=True)
    self_inspection_result = models.TextField(_("自查情况"), blank=True)
    verified_on = models.DateField(_("验证日期"), null=True, blank=True)
    verification_note = models.TextField(_("验证意见"), blank=True)
    verified_by = models.ForeignKey(
        "core.User", verbose_name=_("验证人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome_note = models.TextField(_("办结/上报说明"), blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("约谈督导")
        verbose_name_plural = _("约谈督导")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "trigger_rule", "trigger_period"],
                condition=Q(trigger_rule__isnull=False),
                name="interview_one_proposal_per_rule_period",
            ),
        ]

    def __str__(self):
        return f"{self.institution} {self.get_status_display()}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES


class RectificationItem(models.Model):
    """One problem the institution must fix, with its due date (a core.Deadline) and the evidence."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="rectification_items")
    description = models.TextField(_("整改事项"))
    due_on = models.DateField(_("整改期限"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    evidence_note = models.TextField(_("整改证明"), blank=True)
    deadline = models.ForeignKey(
        "core.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description[:40]

    @property
    def completed_late(self) -> bool:
        return self.completed_on is not None and self.completed_on > self.due_on


def interview_attachment_path(instance, filename):
    # The stored name never carries the user's file name; the original is kept in a field.
    return f"institutions/interviews/{instance.interview.org_id}/{instance.interview_id}/{uuid.uuid4().hex}"


class InterviewAttachment(models.Model):
    class Kind(models.TextChoices):
        RECORD = "record", _("谈话记录")
        SELF_INSPECTION = "self_inspection", _("自查报告")
        EVIDENCE = "evidence", _("整改证明材料")
        OTHER = "other", _("其他")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="attachments")
    rectification_item = models.ForeignKey(
        RectificationItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=interview_attachment_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey("core.User", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("约谈附件")
        verbose_name_plural = _("约谈附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class InterviewOrigin(models.Model):
    """The case, complaint or survey finding that exposed a problem and led to the interview ("暴露一件、自查一批",
    docs/domain.md「约谈督导」): its topic and the class of similar problems the self-inspection must cover.

    The origin is named by content type and id with its label and page link as written at the time: institutions
    is base data for the other apps and imports none of them.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="origins")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    # e.g. "TS-2026-0001 转办投诉": a number and a kind, never personal data.
    label = models.CharField(_("来源事项"), max_length=200)
    link = models.CharField(_("来源链接"), max_length=200, blank=True)
    topic = models.TextField(_("暴露的问题（约谈议题）"))
    similar_class = models.TextField(_("同类问题范围（自查要求）"))
    added_by = models.ForeignKey("core.User", verbose_name=_("添加人"), on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("约谈来源")
        verbose_name_plural = _("约谈来源")
        ordering = ["added_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "content_type", "object_id"], name="interview_origin_once_per_item"
            ),
        ]

    def __str__(self):
        return self.label
