from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class InstitutionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Institution(models.Model):
    """A bank or insurer supervised by a sub-bureau (reference data)."""

    class EntityKind(models.TextChoices):
        LEGAL_ENTITY = "legal", _("法人机构")
        BRANCH = "branch", _("分支机构")

    full_name = models.CharField(_("全称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40)
    type = models.ForeignKey(
        "core.Category",
        verbose_name=_("机构类型"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "institution_type"},
        related_name="+",
    )
    entity_kind = models.CharField(_("法人/分支"), max_length=10, choices=EntityKind.choices, default=EntityKind.BRANCH)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="institutions"
    )
    outlets = models.PositiveIntegerField(_("网点数"), default=1)
    customers = models.PositiveIntegerField(_("客户数（万户）"), default=0)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("金融机构")
        verbose_name_plural = _("金融机构")
        ordering = ["org", "short_name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "full_name"], name="institution_unique_name_per_org"),
        ]

    def __str__(self):
        return self.short_name
