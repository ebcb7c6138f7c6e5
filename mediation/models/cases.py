import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import EncryptedCharField

from .choices import OPEN_STATUSES, Outcome, Side, Source, Status


class MediationCaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Status.CONCLUDED)

    def concluded(self):
        return self.filter(status=Status.CONCLUDED)

    def received_between(self, start, end):
        return self.filter(received_on__gte=start, received_on__lte=end)

    def for_list(self):
        return self.select_related("institution", "mediator", "mediator__partner", "referring_partner")


class MediationCase(models.Model):
    """A dispute brought to the workstation, from application to performance (docs/domain.md, "纠纷调解")."""

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("编号"), max_length=20)
    source = models.CharField(_("来源"), max_length=15, choices=Source.choices)
    origin_case = models.ForeignKey(
        "complaints.Case",
        verbose_name=_("来源信访投诉件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediations",
    )
    referring_partner = models.ForeignKey(
        "mediation.PartnerOrganisation",
        verbose_name=_("委派/委托法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_cases",
    )
    court_case_number = models.CharField(_("法院案号"), max_length=60, blank=True)
    # A case the court entrusted after filing and tries under the summary procedure: 7 days instead of 15 (M-ENTRUST,
    # docs/domain.md "纠纷调解").
    summary_procedure = models.BooleanField(_("适用简易程序"), default=False)
    received_on = models.DateField(_("收案日期"))
    # The applicant (a consumer): personal data, masked in lists and exports.
    applicant_name = models.CharField(_("申请人姓名"), max_length=50)
    # Encrypted at rest (core/crypto.py).
    applicant_id_number = EncryptedCharField(_("申请人身份证号"), blank=True)
    applicant_phone = EncryptedCharField(_("申请人电话"), blank=True)
    applicant_address = models.CharField(_("申请人地址"), max_length=200, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("被申请机构"),
        on_delete=models.PROTECT,
        related_name="mediations",
    )
    respondent_representative = models.CharField(_("被申请人负责人/联系人"), max_length=50, blank=True)
    summary = models.CharField(_("纠纷摘要"), max_length=200)
    facts = models.TextField(_("纠纷事实"), blank=True)
    claims = models.TextField(_("申请人请求"), blank=True)
    disputed_points = models.TextField(_("争议焦点"), blank=True)
    amount_claimed = models.DecimalField(_("请求金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    applicant_consent_on = models.DateField(_("申请人同意调解日期"), null=True, blank=True)
    respondent_consent_on = models.DateField(_("被申请人同意调解日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    mediator = models.ForeignKey(
        "mediation.Mediator",
        verbose_name=_("调解员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assigned_on = models.DateField(_("指派日期"), null=True, blank=True)
    # The mediator's declaration that no ground for recusal (回避) applies; until then the file stays closed.
    recusal_declared_at = models.DateTimeField(_("回避声明时间"), null=True, blank=True)
    recusal_statement = models.TextField(_("回避声明"), blank=True)
    papers_received_on = models.DateField(_("调解员签收材料日期"), null=True, blank=True)
    due_on = models.DateField(_("当前期限"), null=True, blank=True)
    # Mirrors the provisional mark of that deadline: computed over a calendar year not yet verified (暂定).
    due_provisional = models.BooleanField(_("当前期限为暂定"), default=False)
    outcome = models.CharField(_("调解结果"), max_length=12, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField(_("结案日期"), null=True, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    # The agreement (调解协议书).
    agreement_number = models.CharField(_("协议书编号"), max_length=40, blank=True)
    agreement_terms = models.TextField(_("协议内容"), blank=True)
    performance_method = models.CharField(_("履行方式"), max_length=200, blank=True)
    performance_due_on = models.DateField(_("履行期限"), null=True, blank=True)
    amount_agreed = models.DecimalField(_("协议金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_recovered = models.DecimalField(_("实际履行金额（元）"), max_digits=14, decimal_places=2, default=0)
    # Judicial confirmation (司法确认), applied for jointly within 30 days of the agreement.
    confirmation_applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)
    confirmation_court = models.CharField(_("确认法院"), max_length=100, blank=True)
    confirmation_case_number = models.CharField(_("确认案号"), max_length=60, blank=True)
    confirmation_ruling = models.TextField(_("裁定结果"), blank=True)
    confirmation_ruled_on = models.DateField(_("裁定日期"), null=True, blank=True)
    # A 委托 agreement is not confirmed by the court on application: it goes back to the court that entrusted the
    # case, which makes it a 调解书 (docs/domain.md "纠纷调解").
    returned_to_court_on = models.DateField(_("退回法院日期"), null=True, blank=True)
    returned_to_court_note = models.CharField(_("退回法院说明"), max_length=200, blank=True)
    created_by = models.ForeignKey("core.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = MediationCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="mediation_case_unique_number"),
            models.CheckConstraint(
                condition=Q(status="concluded", concluded_on__isnull=False, outcome__gt="")
                | (~Q(status="concluded") & Q(concluded_on__isnull=True, outcome="")),
                name="mediation_concluded_iff_outcome",
            ),
            models.CheckConstraint(
                condition=Q(source="referred", origin_case__isnull=False) | ~Q(source="referred"),
                name="mediation_referred_has_origin",
            ),
            models.CheckConstraint(
                condition=~Q(source="court_after") | ~Q(court_case_number=""),
                name="mediation_entrusted_has_court_number",
            ),
            models.CheckConstraint(
                condition=Q(summary_procedure=False) | Q(source="court_after"),
                name="mediation_summary_procedure_only_entrusted",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "received_on"], name="mediation_org_received"),
            models.Index(fields=["org", "due_on"], condition=Q(status__in=OPEN_STATUSES), name="mediation_open_due"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != Status.CONCLUDED

    @property
    def is_court_referral(self) -> bool:
        return self.source in (Source.COURT_BEFORE_FILING, Source.COURT_AFTER_FILING)

    @property
    def confirmation_allowed(self) -> bool:
        """Judicial confirmation (M-CONF) is for 委派 and the workstation's own agreements, never a 委托 one."""
        return self.source != Source.COURT_AFTER_FILING

    @property
    def both_consented(self) -> bool:
        return bool(self.applicant_consent_on and self.respondent_consent_on)

    @property
    def file_open_to_mediator(self) -> bool:
        return self.mediator_id is not None and self.recusal_declared_at is not None

    @property
    def has_agreement(self) -> bool:
        return self.outcome == Outcome.AGREEMENT


def agent_document_path(instance, filename):
    # Never the user's file name: it may carry personal data.
    return f"mediation/{instance.case.org_id}/{instance.case_id}/{uuid.uuid4().hex}"


class Agent(models.Model):
    """Someone acting for a party (a lawyer, a relative, the institution's staff) with a written authorisation."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="agents")
    side = models.CharField(_("代理哪一方"), max_length=10, choices=Side.choices)
    name = models.CharField(_("代理人姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    authority = models.CharField(_("代理权限"), max_length=100, blank=True)
    document = models.FileField(_("授权委托书"), upload_to=agent_document_path, max_length=255)
    document_name = models.CharField(_("原文件名"), max_length=200)
    document_size = models.PositiveBigIntegerField(_("大小（字节）"))
    document_sha256 = models.CharField(_("SHA-256"), max_length=64)
    added_by = models.ForeignKey("core.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("代理人")
        verbose_name_plural = _("代理人")
        ordering = ["added_at"]

    def __str__(self):
        return self.name


class ExtensionConsent(models.Model):
    """An extension of the mediation period, allowed only when both parties have agreed to it."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="extensions")
    deadline = models.ForeignKey("core.Deadline", on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    reason = models.CharField(_("理由"), max_length=200)
    applicant_consent_on = models.DateField(_("申请人同意日期"))
    respondent_consent_on = models.DateField(_("被申请人同意日期"))
    recorded_by = models.ForeignKey("core.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("延长调解期限（双方同意）")
        verbose_name_plural = _("延长调解期限（双方同意）")
        ordering = ["recorded_at"]

    def __str__(self):
        return f"{self.case} +{self.days}天"


class Payment(models.Model):
    """One performance of the agreement: an amount paid to the applicant on a date."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("履行日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("core.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("履行记录")
        verbose_name_plural = _("履行记录")
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="mediation_payment_positive")]

    def __str__(self):
        return f"{self.case} {self.paid_on} {self.amount}"
