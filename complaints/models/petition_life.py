"""What happens to a petition beyond its reply: 复查/复核 at the higher office and transfers to another authority
(docs/domain.md, "复查、复核" and "转送其他机关")."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PetitionReview(models.Model):
    """A 复查 or 复核 the petitioner asked the higher office for, after the case was closed, and its decision."""

    class Kind(models.TextChoices):
        RECHECK = "recheck", _("复查")
        REVIEW = "review", _("复核")

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("维持")
        REVOKED = "revoked", _("撤销")
        VARIED = "varied", _("变更")

    case = models.ForeignKey("complaints.Case", on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    requested_on = models.DateField(_("请求日期"))
    office = models.CharField(_("受理机关"), max_length=100)
    # Asked more than 30 days after the petitioner received the reply (复核: the 复查 decision): recorded, but the
    # higher office is not bound to take it up, so no P-REVIEW clock runs (docs/domain.md, "复查、复核").
    late = models.BooleanField(_("逾期请求"), default=False)
    decision = models.CharField(_("决定"), max_length=10, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_note = models.TextField(_("决定内容"), blank=True)
    recorded_by = models.ForeignKey("core.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("复查复核")
        verbose_name_plural = _("复查复核")
        ordering = ["case", "requested_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="petition_review_one_per_kind"),
            models.CheckConstraint(
                condition=Q(decision="", decided_on__isnull=True) | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="petition_review_decision_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class Authority(models.TextChoices):
    """The authorities a matter outside the office's remit is transferred to."""

    PBOC = "pboc", _("中国人民银行")
    LOCAL_FINANCE = "local_finance", _("地方金融管理部门")
    POLICE = "police", _("公安机关")
    MARKET = "market", _("市场监督管理部门")
    COURT = "court", _("人民法院")


class TellMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    LETTER = "letter", _("书面")
    IN_PERSON = "in_person", _("当面")
    SMS = "sms", _("短信")
    OTHER = "other", _("其他")


class TransferQuerySet(models.QuerySet):
    def for_register(self):
        return self.select_related("case", "org", "transferred_by")


class Transfer(models.Model):
    """A petition outside the office's remit sent to the competent authority with a 转送函."""

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("complaints.Case", on_delete=models.CASCADE, related_name="transfer")
    authority = models.CharField(_("接收机关类别"), max_length=15, choices=Authority.choices)
    authority_name = models.CharField(_("接收机关名称"), max_length=100)
    letter_number = models.CharField(_("转送函文号"), max_length=120)
    transferred_on = models.DateField(_("转送日期"))
    transferred_by = models.ForeignKey(
        "core.User", verbose_name=_("转送人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("转送理由"))
    acknowledged_on = models.DateField(_("接收机关签收日期"), null=True, blank=True)
    acknowledged_by = models.CharField(_("接收机关签收人"), max_length=50, blank=True)
    told_on = models.DateField(_("告知信访人日期"), null=True, blank=True)
    told_how = models.CharField(_("告知方式"), max_length=10, choices=TellMethod.choices, blank=True)
    history = HistoricalRecords()

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("转送记录")
        verbose_name_plural = _("转送记录")
        ordering = ["-transferred_on", "-id"]
        indexes = [models.Index(fields=["org", "-transferred_on", "-id"], name="transfer_register_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True) | ~Q(acknowledged_by=""),
                name="transfer_acknowledged_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(told_on__isnull=True, told_how="") | (Q(told_on__isnull=False) & ~Q(told_how="")),
                name="transfer_told_how_and_when",
            ),
        ]

    def __str__(self):
        return self.letter_number
