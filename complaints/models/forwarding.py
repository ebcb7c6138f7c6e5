from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import NoticeVia


class Forwarding(models.Model):
    """A complaint forwarded to an institution (转办单) and what the institution and the complainant said."""

    class InstitutionExtension(models.TextChoices):
        NONE = "", _("未延期")
        COMPLEX = "complex", _("复杂（延长至30日）")
        VERY_COMPLEX = "very_complex", _("特别复杂（再延长30日）")

    case = models.OneToOneField("complaints.Case", on_delete=models.CASCADE, related_name="forwarding")
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("被投诉机构"), on_delete=models.PROTECT, related_name="forwardings"
    )
    slip_number = models.CharField(_("转办单文号"), max_length=120)
    forwarded_on = models.DateField(_("转办日期"))
    forwarded_by = models.ForeignKey("core.User", verbose_name=_("转办人"), on_delete=models.PROTECT, related_name="+")
    requirement = models.TextField(_("办理要求"), blank=True)
    # The complainant is told the complaint was forwarded (docs/domain.md, "受理渠道与流程"): how and when.
    complainant_told_via = models.CharField(
        _("告知投诉人方式"), max_length=10, choices=NoticeVia.choices, blank=True, default=""
    )
    complainant_told_on = models.DateField(_("告知投诉人日期"), null=True, blank=True)
    acknowledged_on = models.DateField(_("机构签收日期"), null=True, blank=True)
    acknowledged_by = models.CharField(_("机构签收人"), max_length=50, blank=True)
    extension = models.CharField(
        _("机构延期"), max_length=15, choices=InstitutionExtension.choices, blank=True, default=""
    )
    extension_reason = models.TextField(_("延期原因"), blank=True)
    # A second extension (to 60 days in total) is approved by the institution's 上级机构 or 总行/总公司 senior
    # management: who approved and when.
    extension_approved_by = models.CharField(_("再次延期审批人"), max_length=100, blank=True)
    extension_approved_on = models.DateField(_("再次延期审批日期"), null=True, blank=True)
    replied_on = models.DateField(_("机构反馈日期"), null=True, blank=True)
    institution_result = models.TextField(_("机构处理结果"), blank=True)
    replied_late = models.BooleanField(_("机构超期反馈"), null=True, blank=True)
    follow_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    follow_up_note = models.TextField(_("回访情况"), blank=True)
    # 核查 by the institution's upper level after a 不满意 回访 (C-CHECK).
    check_requested_on = models.DateField(_("申请核查日期"), null=True, blank=True)
    check_office = models.CharField(_("核查机构"), max_length=100, blank=True)
    check_result = models.TextField(_("核查结果"), blank=True)
    check_result_on = models.DateField(_("核查结果日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("转办记录")
        verbose_name_plural = _("转办记录")
        indexes = [models.Index(fields=["institution", "forwarded_on"])]

    def __str__(self):
        return self.slip_number
