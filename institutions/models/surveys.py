from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import RatingElement, office_scope_q


class SurveyQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(office_scope_q(user))


class Survey(models.Model):
    """A special survey (专项调研) of the county's institutions on one theme."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("调研名称"), max_length=120)
    theme = models.CharField(_("主题"), max_length=200)
    scope = models.TextField(_("调研范围"), blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    institutions = models.ManyToManyField(
        "institutions.Institution", verbose_name=_("调研机构"), related_name="surveys", blank=True
    )
    created_by = models.ForeignKey("core.User", verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("专项调研")
        verbose_name_plural = _("专项调研")
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return self.title


class SurveyFinding(models.Model):
    """What the survey found at one institution, the suggestion issued, and the institution's follow-up."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="findings")
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="survey_findings"
    )
    element = models.CharField(_("评价要素"), max_length=20, choices=RatingElement.choices)
    description = models.TextField(_("发现问题"))
    suggestion = models.TextField(_("监管建议"), blank=True)
    follow_up_due_on = models.DateField(_("整改反馈期限"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("反馈日期"), null=True, blank=True)
    follow_up_note = models.TextField(_("整改反馈情况"), blank=True)
    deadline = models.ForeignKey(
        "core.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调研发现")
        verbose_name_plural = _("调研发现")
        ordering = ["survey", "institution", "id"]

    def __str__(self):
        return f"{self.institution} {self.get_element_display()}"
