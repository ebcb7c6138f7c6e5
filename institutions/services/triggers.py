"""Interview trigger rules: they propose interviews for staff to confirm (docs/domain.md, "约谈督导")."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.access import within_org_q
from core.services.audit import log_action

from ..models import Institution, Interview, InterviewTriggerRule
from ..periods import quarter_code, quarter_period
from ..selectors import InstitutionFigures, complaint_figures, number_text

Kind = InterviewTriggerRule.Kind


def rule_value(rule: InterviewTriggerRule, figures: InstitutionFigures) -> Decimal | None:
    """The figure the rule looks at when it fires for these figures, else None."""
    if rule.kind == Kind.COMPLAINTS:
        value = Decimal(figures.complaints)
    elif rule.kind == Kind.RISE:
        if figures.previous < max(rule.minimum_base, 1) or figures.change_percent is None:
            return None
        value = figures.change_percent
    elif rule.kind == Kind.SUBSTANTIATED_REPORT:
        value = Decimal(figures.substantiated)
    elif rule.kind == Kind.OVERDUE_FORWARDS:
        value = Decimal(figures.late_forwards)
    else:  # pragma: no cover - a kind added without its rule
        return None
    return value if value >= rule.threshold and value > 0 else None


def _reason(rule: InterviewTriggerRule, figures: InstitutionFigures, value: Decimal, period_label: str) -> str:
    texts = {
        Kind.COMPLAINTS: _("%(period)s被投诉%(value)s件，达到约谈阈值%(threshold)s件。"),
        Kind.RISE: _("%(period)s投诉量环比上升%(value)s%%，达到约谈阈值%(threshold)s%%。"),
        Kind.SUBSTANTIATED_REPORT: _("%(period)s有%(value)s件举报经调查查实。"),
        Kind.OVERDUE_FORWARDS: _("%(period)s有%(value)s件转办投诉超期反馈，达到约谈阈值%(threshold)s件。"),
    }
    return texts[rule.kind] % {
        "period": period_label,
        "value": number_text(value),
        "threshold": number_text(rule.threshold),
    }


def interviews_propose(*, org, year: int, quarter: int, actor=None) -> list[Interview]:
    """Propose an interview for every institution of `org` that a rule fires for in the quarter.

    A rule proposes once per institution and quarter (a database constraint), so running again adds nothing.
    """
    period = quarter_period(year, quarter)
    rules = list(InterviewTriggerRule.objects.filter(active=True))
    if not rules:
        return []
    institutions = Institution.objects.active().filter(within_org_q(org))
    figures = complaint_figures(institutions, period, case_scope=within_org_q(org))
    by_id = {inst.pk: inst for inst in institutions.select_related("org")}
    existing = set(
        Interview.objects.filter(
            institution_id__in=by_id, trigger_period=quarter_code(year, quarter), trigger_rule__isnull=False
        ).values_list("institution_id", "trigger_rule_id")
    )
    created = []
    for row in figures:
        for rule in rules:
            value = rule_value(rule, row)
            if value is None or (row.institution_id, rule.pk) in existing:
                continue
            institution = by_id[row.institution_id]
            interview = Interview(
                org=institution.org,
                institution=institution,
                source=Interview.Source.RULE,
                trigger_rule=rule,
                trigger_period=quarter_code(year, quarter),
                reason=_reason(rule, row, value, period.label),
                trigger_data={"value": str(value), "threshold": str(rule.threshold), **row.as_dict()},
                created_by=actor,
            )
            interview._change_reason = _("规则触发：%(rule)s") % {"rule": rule.name}
            try:
                with transaction.atomic():
                    interview.save()
            except IntegrityError:  # proposed meanwhile by a concurrent run
                continue
            log_action(actor=actor, action="institutions.interview.proposed", target=interview, rule=rule.code)
            created.append(interview)
    return created
