from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CategoryQuerySet(models.QuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)

    def valid_on(self, day):
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class Category(models.Model):
    """An entry of one of the editable classification tables (docs/domain.md, "受理渠道与流程")."""

    class Kind(models.TextChoices):
        INSTITUTION_TYPE = "institution_type", _("机构类型")
        BUSINESS = "business", _("业务类别")
        CAUSE = "cause", _("投诉原因")

    kind = models.CharField(_("分类表"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("分类")
        verbose_name_plural = _("分类")
        ordering = ["kind", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="category_unique_code_per_kind")]

    def __str__(self):
        return self.name
