"""Suggested list items from the data (docs/domain.md, "正负面清单"): rule values, descriptions and evidence links."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Q

from complaints.models import Case, Forwarding
from complaints.models.choices import CaseType
from core.access import within_org_q

from ..models import Institution, ListItem, ListRow, ListSuggestionRule, RectificationItem
from ..periods import Period
from ..selectors import (
    SUBSTANTIATED_FINDINGS,
    complaint_figures,
    mediation_cooperation,
    number_text,
    outreach_participation,
)

Kind = ListSuggestionRule.Kind
EVIDENCE_LIMIT = 10


# --- Suggestions -------------------------------------------------------------------------------------


def rule_value(rule: ListSuggestionRule, figures: dict) -> Decimal | None:
    """The figure behind the rule's item when it applies to these figures (a row's `figures`), else None."""
    complaints = figures.get("complaints", 0)
    if rule.kind == Kind.COMPLAINTS:
        value = Decimal(complaints)
    elif rule.kind == Kind.COMPLAINTS_PER_OUTLET:
        value = Decimal(figures.get("per_outlet") or 0)
    elif rule.kind == Kind.GROWTH:
        if figures.get("previous", 0) < max(rule.minimum_base, 1) or figures.get("change_percent") is None:
            return None
        value = Decimal(figures["change_percent"])
    elif rule.kind == Kind.LATE_FORWARDS:
        value = Decimal(figures.get("late_forwards", 0))
    elif rule.kind == Kind.REPEAT:
        value = Decimal(figures.get("repeat", 0) + figures.get("group", 0))
    elif rule.kind == Kind.SUBSTANTIATED:
        value = Decimal(figures.get("substantiated", 0))
    elif rule.kind == Kind.INTERVIEW_NOT_RECTIFIED:
        value = Decimal(figures.get("not_rectified", 0))
    elif rule.kind == Kind.NO_COMPLAINTS:
        return Decimal(0) if complaints == 0 and figures.get("repeat", 0) == 0 else None
    elif rule.kind == Kind.FORWARDS_ON_TIME:
        forwards = figures.get("forwards", 0)
        if forwards == 0 or figures.get("late_forwards", 0) > 0:
            return None
        value = Decimal(forwards)
    elif rule.kind == Kind.MEDIATION:
        value = Decimal(figures.get("mediation", 0))
    elif rule.kind == Kind.OUTREACH:
        value = Decimal(figures.get("outreach", 0))
    else:  # pragma: no cover
        return None
    return value if value > 0 and value >= rule.threshold else None


def describe(rule: ListSuggestionRule, value: Decimal) -> str:
    return rule.template.format(value=number_text(value), threshold=number_text(rule.threshold))


def quarter_figures(org, period: Period) -> dict[int, dict]:
    """Every figure a rule may look at, per active institution of `org`."""
    institutions = Institution.objects.active().filter(within_org_q(org))
    figures: dict[int, dict] = {
        row.institution_id: row.as_dict()
        for row in complaint_figures(institutions, period, case_scope=within_org_q(org))
    }
    not_rectified = defaultdict(int)
    for institution_id in (
        RectificationItem.objects.filter(
            interview__institution_id__in=figures, due_on__gte=period.start, due_on__lte=period.end
        )
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=F("due_on")))
        .values_list("interview__institution_id", flat=True)
    ):
        not_rectified[institution_id] += 1
    mediation = mediation_cooperation(org, period.start, period.end)
    outreach = outreach_participation(org, period.start, period.end)
    for institution_id, row in figures.items():
        row["not_rectified"] = not_rectified.get(institution_id, 0)
        row["mediation"] = mediation.get(institution_id, 0)
        row["outreach"] = outreach.get(institution_id, 0)
    return figures


def list_evidence(org, period: Period, institution_ids) -> dict[tuple[int, str], list[dict]]:
    """Links to the records behind each rule kind, per institution (case numbers only: no personal data)."""
    evidence: dict[tuple[int, str], list[dict]] = defaultdict(list)

    def add(institution_id, kinds, record):
        for kind in kinds:
            if len(evidence[(institution_id, kind)]) < EVIDENCE_LIMIT:
                evidence[(institution_id, kind)].append(record)

    cases = Case.objects.filter(
        within_org_q(org),
        institution_id__in=institution_ids,
        received_on__gte=period.start,
        received_on__lte=period.end,
    ).values_list("institution_id", "pk", "number", "case_type", "duplicate_of_id", "group_size", "finding")
    for institution_id, pk, number, case_type, duplicate_of, group_size, finding in cases:
        record = {"kind": "case", "id": pk, "label": number}
        if duplicate_of is None:
            add(institution_id, [Kind.COMPLAINTS, Kind.COMPLAINTS_PER_OUTLET, Kind.GROWTH], record)
        if duplicate_of is not None or group_size > 1:
            add(institution_id, [Kind.REPEAT], record)
        if case_type == CaseType.REPORT and finding in SUBSTANTIATED_FINDINGS:
            add(institution_id, [Kind.SUBSTANTIATED], record)
    forwardings = Forwarding.objects.filter(
        institution_id__in=institution_ids, case__received_on__gte=period.start, case__received_on__lte=period.end
    ).values_list("institution_id", "case_id", "case__number", "replied_late")
    for institution_id, case_id, number, late in forwardings:
        record = {"kind": "case", "id": case_id, "label": number}
        add(institution_id, [Kind.LATE_FORWARDS] if late else [Kind.FORWARDS_ON_TIME], record)
    for institution_id, interview_id in (
        RectificationItem.objects.filter(
            interview__institution_id__in=institution_ids, due_on__gte=period.start, due_on__lte=period.end
        )
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=F("due_on")))
        .values_list("interview__institution_id", "interview_id")
        .distinct()
    ):
        add(institution_id, [Kind.INTERVIEW_NOT_RECTIFIED], {"kind": "interview", "id": interview_id, "label": ""})
    return evidence


def suggest_items(row: ListRow, rules, evidence) -> list[ListItem]:
    """New suggested items for the row: one per firing rule that has no item on the row yet."""
    present = {item.rule_id for item in row.items.all() if item.rule_id}
    items = []
    for rule in rules:
        value = rule_value(rule, row.figures)
        if value is None or rule.pk in present:
            continue
        items.append(
            ListItem(
                row=row,
                polarity=rule.polarity,
                element=rule.element,
                description=describe(rule, value),
                state=ListItem.State.SUGGESTED,
                source=ListItem.Source.RULE,
                rule=rule,
                evidence=evidence.get((row.institution_id, rule.kind), []),
            )
        )
    return items
