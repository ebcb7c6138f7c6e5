from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.models import Deadline
from mediation.access import can_write_office, is_case_mediator
from mediation.models import MediationCase, Source, Status

# The mediation period's clocks (docs/domain.md "纠纷调解"): the workstation's own, a court's 委派 before filing, a
# court's 委托 after filing.
PERIOD_RULES = ("M-ADR", "M-COURT", "M-ENTRUST")
# Under the summary procedure (简易程序) a 委托 mediation has 7 days instead of the rule's 15
# (最高人民法院关于人民法院特邀调解的规定 Art 27, docs/domain.md "纠纷调解").
SUMMARY_PROCEDURE_DAYS = 7


def court_period(case: MediationCase) -> tuple[str, int | None]:
    """The clock of a court referral and its days when they differ from the rule's (None: the rule's own)."""
    if case.source == Source.COURT_AFTER_FILING:
        return "M-ENTRUST", SUMMARY_PROCEDURE_DAYS if case.summary_procedure else None
    return "M-COURT", None


def require_office(actor, case: MediationCase | None = None) -> None:
    if not can_write_office(actor, case):
        raise PermissionDenied(_("只有本单位的登记办理人员或负责人可以进行此操作。"))


def require_mediator_or_office(actor, case: MediationCase) -> None:
    if not (is_case_mediator(actor, case) or can_write_office(actor, case)):
        raise PermissionDenied(_("只有本案调解员或本单位工作人员可以进行此操作。"))


def require_open(case: MediationCase) -> None:
    if case.status == Status.CONCLUDED:
        raise ValidationError(_("该调解案件已结案。"))


def open_deadlines(case: MediationCase, *rule_codes: str):
    deadlines = Deadline.objects.open().filter(
        content_type=ContentType.objects.get_for_model(MediationCase), object_id=case.pk
    )
    if rule_codes:
        deadlines = deadlines.filter(rule__code__in=rule_codes)
    return deadlines.select_related("rule")


def refresh_due_on(case: MediationCase) -> None:
    """Mirror the earliest open deadline on the case for lists and filters."""
    first = open_deadlines(case).exclude(paused_since__isnull=False).order_by("due_on").first()
    due_on = first.due_on if first else None
    provisional = bool(first and first.provisional_years)
    if case.due_on != due_on or case.due_provisional != provisional:
        case.due_on = due_on
        case.due_provisional = provisional
        case._change_reason = _("期限变化")
        case.save(update_fields=["due_on", "due_provisional", "updated_at"])


def deadline_owner(case: MediationCase):
    """Reminders go to the office clerk who registered the case, backed by their B岗."""
    return case.created_by, case.created_by.backup
