from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import BlindIndexedModel, BlindIndexField, EncryptedCharField
from core.personal import mask_free_text

from .choices import Channel


class Contact(BlindIndexedModel, models.Model):
    """A visit, call, letter or other item as it arrived. It is answered on the spot or opens (or joins) a case."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("当场答复")
        OPENED_CASE = "opened_case", _("登记为案件")
        REPEAT = "repeat", _("重复件（并入已有案件）")

    class Topic(models.TextChoices):
        CONSULTATION = "consultation", _("咨询")
        POLICY = "policy", _("政策解释")
        PETITION = "petition", _("信访")
        REPORT = "report", _("举报")
        COMPLAINT = "complaint", _("投诉")
        OTHER = "other", _("其他")

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("来源渠道"), max_length=12, choices=Channel.choices)
    received_at = models.DateTimeField(_("接收时间"))
    reference_no = models.CharField(_("来文/工单编号"), max_length=60, blank=True)
    topic = models.CharField(_("事项类别"), max_length=15, choices=Topic.choices, default=Topic.COMPLAINT)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Encrypted at rest; found through the keyed hashes beside them (core/crypto.py).
    id_number = EncryptedCharField(_("身份证号"), blank=True)
    phone = EncryptedCharField(_("联系电话"), blank=True)
    id_number_hash = BlindIndexField(_("身份证号（检索用哈希）"), source="id_number", kind="id", db_index=True)
    phone_hash = BlindIndexField(_("联系电话（检索用哈希）"), source="phone", kind="phone", db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    group_size = models.PositiveSmallIntegerField(_("来访人数"), default=1)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("涉及机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    summary = models.CharField(_("事项摘要"), max_length=200)
    content = models.TextField(_("具体内容"), blank=True)
    outcome = models.CharField(_("处理结果"), max_length=12, choices=Outcome.choices)
    answer = models.TextField(_("答复内容"), blank=True)
    case = models.ForeignKey(
        "complaints.Case",
        verbose_name=_("关联案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    received_by = models.ForeignKey("core.User", verbose_name=_("接待人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # Optimistic locking, as on cases: a correction based on an older version is refused, not merged.
    version = models.PositiveIntegerField(_("版本"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("来访来电登记")
        verbose_name_plural = _("来访来电登记")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["org", "received_at"]),
            # The list's order, newest first: with the visible units a join, PostgreSQL otherwise sorted all of an
            # office's contacts for one page (208 ms at 1,000,000 cases; docs/performance.md).
            models.Index(fields=["-received_at", "-id"], name="contact_received_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(group_size__gte=1), name="contact_group_size_positive"),
        ]

    def __str__(self):
        # Shown in the admin and in history titles: numbers typed into the summary masked (core.personal).
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M} {mask_free_text(self.summary)}"


class Representative(models.Model):
    """Up to five representatives of a group visit (集体访)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedCharField(_("身份证号"), blank=True)
    phone = EncryptedCharField(_("联系电话"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("集体访代表")
        verbose_name_plural = _("集体访代表")

    def __str__(self):
        return self.name
