from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import PartnerKind


class PartnerOrganisation(models.Model):
    """An organisation that runs the workstation with the office: the court, the associations, the office."""

    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("所属工作站（支局）"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=PartnerKind.choices)
    contact_person = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")
        ordering = ["org", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="mediation_partner_unique_name")]

    def __str__(self):
        return self.name

    @property
    def is_court(self) -> bool:
        return self.kind == PartnerKind.COURT


class MediatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, partner__active=True)


class Mediator(models.Model):
    """A mediator on the workstation's roster; may have an account with the 调解员 role."""

    partner = models.ForeignKey(
        PartnerOrganisation, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="mediators"
    )
    name = models.CharField(_("姓名"), max_length=30)
    specialities = models.CharField(_("擅长领域"), max_length=200, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    active = models.BooleanField(_("在册"), default=True)
    user = models.OneToOneField(
        "core.User",
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediator_profile",
        help_text=_("调解员有账号时关联，账号需具有“调解员”角色。"),
    )
    history = HistoricalRecords()

    objects = MediatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员名册")
        ordering = ["partner", "name"]

    def __str__(self):
        return f"{self.name}（{self.partner}）"
