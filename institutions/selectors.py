"""Reads shared by the ranking page, the list suggestions, the interview triggers and the exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from complaints.models import Case, Contact, Forwarding
from complaints.models.choices import CaseType, Finding
from mediation.selectors import institution_cooperation
from outreach.selectors import institution_participation

from .periods import Period

SUBSTANTIATED_FINDINGS = (Finding.SUBSTANTIATED, Finding.PARTLY)


@dataclass
class InstitutionFigures:
    """One institution's figures for a period (no personal data: counts only)."""

    institution_id: int
    name: str
    full_name: str
    type_name: str
    outlets: int
    complaints: int = 0
    previous: int = 0
    late_forwards: int = 0
    forwards: int = 0
    repeat: int = 0
    group: int = 0
    substantiated: int = 0
    links: dict = field(default_factory=dict)

    @property
    def per_outlet(self) -> Decimal:
        return (Decimal(self.complaints) / Decimal(max(self.outlets, 1))).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def change(self) -> int:
        return self.complaints - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        """Growth against the previous period in percent; None when there was nothing to compare with."""
        if not self.previous:
            return None
        return (Decimal(self.change) * 100 / Decimal(self.previous)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def as_dict(self) -> dict:
        return {
            "complaints": self.complaints,
            "previous": self.previous,
            "change": self.change,
            "change_percent": None if self.change_percent is None else str(self.change_percent),
            "per_outlet": str(self.per_outlet),
            "outlets": self.outlets,
            "forwards": self.forwards,
            "late_forwards": self.late_forwards,
            "repeat": self.repeat,
            "group": self.group,
            "substantiated": self.substantiated,
        }


def number_text(value) -> str:
    """A figure as people write it: 5, 3.5, 133.3 (no trailing zeros, no exponent)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def ledger_link(**params) -> str:
    """A link to the complaints ledger filtered with its own query parameters."""
    return reverse("complaints:index") + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _links(institution_id: int, period: Period) -> dict:
    base = {
        "institution": institution_id,
        "received_from": period.start.isoformat(),
        "received_to": period.end.isoformat(),
    }
    period_only = {k: v for k, v in base.items() if k != "institution"}
    previous = period.previous()
    return {
        "complaints": ledger_link(**base),
        "previous": ledger_link(
            institution=institution_id,
            received_from=previous.start.isoformat(),
            received_to=previous.end.isoformat(),
        ),
        "forwards": ledger_link(**period_only, forwarded_to=institution_id),
        "late_forwards": ledger_link(**period_only, forwarded_to=institution_id, replied_late=1),
        "repeat": ledger_link(**base, repeat=1),
        "substantiated": ledger_link(**base, type=CaseType.REPORT, finding="substantiated_any"),
    }


def complaint_figures(institutions, period: Period, *, case_scope: Q | None = None) -> list[InstitutionFigures]:
    """Figures per institution for `period` and the one before it. Four queries however many institutions.

    Complaints are cases of any type received in the period about the institution, not counting cases linked
    as repeats of an earlier one (docs/domain.md, "受理渠道与流程": a repeat is not counted twice); repeats are
    counted apart.
    """
    previous = period.previous()
    rows = {
        inst.pk: InstitutionFigures(
            institution_id=inst.pk,
            name=inst.short_name,
            full_name=inst.full_name,
            type_name=inst.type.name,
            outlets=inst.outlets,
            links=_links(inst.pk, period),
        )
        for inst in institutions.select_related("type")
    }
    if not rows:
        return []
    ids = list(rows)
    case_scope = case_scope or Q()
    in_period = Q(received_on__gte=period.start, received_on__lte=period.end)
    in_previous = Q(received_on__gte=previous.start, received_on__lte=previous.end)
    cases = (
        Case.objects.filter(case_scope, institution_id__in=ids)
        .filter(in_period | in_previous)
        .values("institution_id")
        .annotate(
            complaints=Count("pk", filter=in_period & Q(duplicate_of__isnull=True)),
            previous=Count("pk", filter=in_previous & Q(duplicate_of__isnull=True)),
            duplicates=Count("pk", filter=in_period & Q(duplicate_of__isnull=False)),
            group=Count("pk", filter=in_period & Q(group_size__gt=1, duplicate_of__isnull=True)),
            substantiated=Count(
                "pk", filter=in_period & Q(case_type=CaseType.REPORT, finding__in=SUBSTANTIATED_FINDINGS)
            ),
        )
    )
    for row in cases:
        figures = rows[row["institution_id"]]
        figures.complaints = row["complaints"]
        figures.previous = row["previous"]
        figures.repeat += row["duplicates"]
        figures.group = row["group"]
        figures.substantiated = row["substantiated"]
    forwardings = (
        Forwarding.objects.filter(
            institution_id__in=ids, case__received_on__gte=period.start, case__received_on__lte=period.end
        )
        .filter(_prefixed(case_scope, "case"))
        .values("institution_id")
        .annotate(forwards=Count("pk"), late=Count("pk", filter=Q(replied_late=True)))
    )
    for row in forwardings:
        rows[row["institution_id"]].forwards = row["forwards"]
        rows[row["institution_id"]].late_forwards = row["late"]
    contacts = (
        Contact.objects.filter(
            case_scope,
            institution_id__in=ids,
            outcome=Contact.Outcome.REPEAT,
            received_at__date__gte=period.start,
            received_at__date__lte=period.end,
        )
        .values("institution_id")
        .annotate(n=Count("pk"))
    )
    for row in contacts:
        rows[row["institution_id"]].repeat += row["n"]
    return list(rows.values())


def _prefixed(q: Q, prefix: str) -> Q:
    """The same condition applied through a relation (`org__path__startswith` → `case__org__path__startswith`)."""
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            clone.children.append(_prefixed(child, prefix))
        else:
            key, value = child
            clone.children.append((f"{prefix}__{key}", value))
    return clone


SORT_KEYS = {
    "complaints": lambda f: f.complaints,
    "per_outlet": lambda f: f.per_outlet,
    "change": lambda f: f.change,
    "late_forwards": lambda f: f.late_forwards,
    "repeat": lambda f: f.repeat,
    "substantiated": lambda f: f.substantiated,
    "name": lambda f: f.name,
}


def sort_figures(figures: list[InstitutionFigures], sort: str) -> tuple[list[InstitutionFigures], str]:
    """Sort by a column ("-complaints" descending); unknown keys fall back to complaints descending."""
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        sort, key = "-complaints", "complaints"
    descending = sort.startswith("-")
    ordered = sorted(figures, key=lambda f: f.name)
    ordered.sort(key=SORT_KEYS[key], reverse=descending)
    return ordered, sort


def mediation_cooperation(org, start, end) -> dict[int, int]:
    """{institution_id: mediations it cooperated in} (mediation's figures, counted by case)."""
    figures = institution_cooperation(org, start, end)
    return {institution_id: value["cases"] for institution_id, value in figures.items()}


def outreach_participation(org, start, end) -> dict[int, int]:
    """{institution_id: events and trainings it joined} (outreach's figures)."""
    return institution_participation(org, start, end)
