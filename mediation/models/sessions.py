from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Mode, Side


class Session(models.Model):
    """One mediation session (调解会): when, how, where, who came, and the minutes."""

    case = models.ForeignKey("mediation.MediationCase", on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    attendees = models.TextField(_("参加人员"))
    minutes = models.TextField(_("调解笔录"), blank=True)
    recorded_by = models.ForeignKey("core.User", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_at", "id"]

    def __str__(self):
        return f"{self.case} {self.held_at:%Y-%m-%d %H:%M}"


class PrivateNote(models.Model):
    """What one party told the mediator in private (背靠背); visible to the mediator only."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="private_notes")
    side = models.CharField(_("当事人"), max_length=10, choices=Side.choices)
    text = models.TextField(_("单独沟通记录"))
    author = models.ForeignKey("core.User", verbose_name=_("调解员"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("背靠背记录")
        verbose_name_plural = _("背靠背记录")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.session} {self.get_side_display()}"


class Offer(models.Model):
    """An offer or counter-offer made in a session, with its amount."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="offers")
    side = models.CharField(_("提出方"), max_length=10, choices=Side.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    terms = models.CharField(_("方案内容"), max_length=200, blank=True)
    is_counter_offer = models.BooleanField(_("还价"), default=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调解方案/还价")
        verbose_name_plural = _("调解方案/还价")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="mediation_offer_not_negative")]

    def __str__(self):
        return f"{self.session} {self.get_side_display()} {self.amount}"
