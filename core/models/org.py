from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrgUnit(models.Model):
    """A unit of the regulator: 总局 → 省局 → 分局 → 支局. Every user and record belongs to one."""

    class Level(models.TextChoices):
        HEADQUARTERS = "hq", _("总局")
        PROVINCE = "province", _("省局")
        BRANCH = "branch", _("分局")
        SUB_BUREAU = "sub", _("支局")

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    # The full official name that heads and signs the unit's documents (GB/T 9704-2012), e.g.
    # 国家金融监督管理总局莱州监管支局; `name` (莱州金融监管支局) is the form used in document numbers.
    full_name = models.CharField(
        _("全称"),
        max_length=100,
        blank=True,
        help_text=_("文书抬头和落款使用的单位全称，如：国家金融监督管理总局莱州监管支局"),
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of codes ("/yantai/laizhou/") so that "this unit and everything below it" is one
    # indexed prefix filter instead of a recursive query.
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived from the parent; it is kept in step here because every writer needs it,
        # and children follow when a unit moves.
        old_path = self.path
        self.path = f"{self.parent.path if self.parent_id else '/'}{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    @property
    def official_name(self) -> str:
        """The name documents are headed and signed with: the full name, or the name when none is kept."""
        return self.full_name or self.name

    def is_within(self, other: "OrgUnit") -> bool:
        """True when this unit is `other` or sits below it."""
        return self.path.startswith(other.path)
