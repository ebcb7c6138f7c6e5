from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A member of staff, mediator or reviewer. `name` is the Chinese full name shown everywhere."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    org = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    post = models.CharField(_("岗位"), max_length=50, blank=True)
    # AB岗: the person who covers this post when its holder is away.
    backup = models.ForeignKey(
        "self",
        verbose_name=_("B岗（备岗人）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="backup_for",
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["org__path", "username"]
        constraints = [
            models.CheckConstraint(condition=~Q(backup=F("id")), name="user_backup_not_self"),
        ]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username


class Absence(models.Model):
    """A period when a person is away; their B acts for them meanwhile."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("请假")
        TRAINING = "training", _("培训")
        TRIP = "trip", _("出差")
        OTHER = "other", _("其他")

    user = models.ForeignKey("core.User", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="absences")
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.LEAVE)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("缺岗登记")
        verbose_name_plural = _("缺岗登记")
        ordering = ["-start_on"]
        indexes = [models.Index(fields=["user", "start_on", "end_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=F("start_on")), name="absence_end_after_start"),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.start_on}～{self.end_on}"
