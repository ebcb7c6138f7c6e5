"""Reads shared by the workstation pages, the figures, the export and other apps.

`institution_cooperation(org, start, end)` is the entry point for the institutions app's positive/negative
list suggestions (mediation cooperation, docs/domain.md, "正负面清单").
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from core.access import within_org_q

from .models import MediationCase, Outcome, Source

ZERO = Decimal("0")


@dataclass
class Bucket:
    """Counts and amounts of a group of cases (a source, a partner organisation, an institution…)."""

    key: object = None
    label: str = ""
    total: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    claimed: Decimal = ZERO
    agreed: Decimal = ZERO
    recovered: Decimal = ZERO

    @property
    def open(self) -> int:
        return self.by_outcome.get("", 0)

    @property
    def concluded(self) -> int:
        return self.total - self.open

    @property
    def agreements(self) -> int:
        return self.by_outcome.get(Outcome.AGREEMENT, 0)

    @property
    def success_rate(self) -> float | None:
        """Agreements among concluded cases, in percent; None when nothing is concluded yet."""
        return round(100 * self.agreements / self.concluded, 1) if self.concluded else None

    def outcome_count(self, outcome: str) -> int:
        return self.by_outcome.get(outcome, 0)

    def add(self, outcome: str, count: int, claimed, agreed, recovered) -> None:
        self.total += count
        self.by_outcome[outcome] = self.by_outcome.get(outcome, 0) + count
        self.claimed += claimed or ZERO
        self.agreed += agreed or ZERO
        self.recovered += recovered or ZERO

    def as_dict(self) -> dict:
        return {
            "cases": self.total,
            "concluded": self.concluded,
            "agreements": self.agreements,
            "failures": self.outcome_count(Outcome.FAILURE) + self.outcome_count(Outcome.RETURNED_TO_COURT),
            "withdrawals": self.outcome_count(Outcome.WITHDRAWAL),
            "terminations": self.outcome_count(Outcome.TERMINATION),
            "open": self.open,
            "success_rate": self.success_rate,
            "amount_claimed": self.claimed,
            "amount_agreed": self.agreed,
            "amount_recovered": self.recovered,
        }


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    totals: Bucket
    by_source: list[Bucket]
    by_partner: list[Bucket]
    by_institution: list[Bucket]
    median_days_to_agreement: float | None


_AMOUNTS = {
    "n": Count("id"),
    "claimed": Sum("amount_claimed"),
    "agreed": Sum("amount_agreed"),
    "recovered": Sum("amount_recovered"),
}


def _grouped(queryset, key: str, label: str) -> list[Bucket]:
    """One GROUP BY query: (key, outcome) → counts and sums, folded into one bucket per key."""
    buckets: dict[object, Bucket] = {}
    rows = queryset.values(key, label, "outcome").annotate(**_AMOUNTS).order_by(key, "outcome")
    for row in rows:
        bucket = buckets.setdefault(row[key], Bucket(key=row[key], label=row[label] or ""))
        bucket.add(row["outcome"], row["n"], row["claimed"], row["agreed"], row["recovered"])
    return list(buckets.values())


def cases_in_period(queryset, start: dt.date, end: dt.date):
    return queryset.filter(received_on__gte=start, received_on__lte=end)


def mediation_figures(queryset, start: dt.date, end: dt.date) -> Figures:
    """Figures of the cases received in [start, end] among `queryset` (already scoped to the user).

    Four queries: by source and outcome, by partner organisation, by institution, and the agreement durations.
    """
    cases = cases_in_period(queryset, start, end)
    source_rows = cases.values("source", "outcome").annotate(**_AMOUNTS).order_by("source", "outcome")
    by_source = {value: Bucket(key=value, label=str(label)) for value, label in Source.choices}
    totals = Bucket(label=_("合计"))
    for row in source_rows:
        by_source[row["source"]].add(row["outcome"], row["n"], row["claimed"], row["agreed"], row["recovered"])
        totals.add(row["outcome"], row["n"], row["claimed"], row["agreed"], row["recovered"])
    by_partner = _grouped(cases, "mediator__partner_id", "mediator__partner__name")
    for bucket in by_partner:
        if bucket.key is None:
            bucket.label = _("未指派调解员")
    by_partner.sort(key=lambda b: (b.key is None, -b.total, b.label))
    by_institution = _grouped(cases, "institution_id", "institution__short_name")
    by_institution.sort(key=lambda b: (-b.total, b.label))
    durations = [
        (concluded - received).days
        for received, concluded in cases.filter(outcome=Outcome.AGREEMENT).values_list("received_on", "concluded_on")
    ]
    return Figures(
        start=start,
        end=end,
        totals=totals,
        by_source=list(by_source.values()),
        by_partner=by_partner,
        by_institution=by_institution,
        median_days_to_agreement=statistics.median(durations) if durations else None,
    )


def institution_cooperation(org, start: dt.date, end: dt.date) -> dict[int, dict]:
    """{institution_id: figures} of mediations received in [start, end] by `org` and the units below it.

    Each value holds cases, concluded, agreements, failures, withdrawals, terminations, open, success_rate
    (percent or None) and amount_claimed / amount_agreed / amount_recovered (Decimal). One query.
    """
    cases = cases_in_period(MediationCase.objects.filter(within_org_q(org)), start, end)
    return {bucket.key: bucket.as_dict() for bucket in _grouped(cases, "institution_id", "institution__short_name")}


def workstation_list(
    queryset,
    *,
    status="",
    source="",
    mediator="",
    institution="",
    q="",
    overdue=False,
    today=None,
    outcome="",
    received_from=None,
    received_to=None,
    org=None,
):
    """The workstation's list with its filters; a plain chainable queryset for the view to paginate."""
    cases = queryset.for_list()
    if outcome:
        cases = cases.filter(outcome=outcome)
    if received_from:
        cases = cases.filter(received_on__gte=received_from)
    if received_to:
        cases = cases.filter(received_on__lte=received_to)
    if org is not None:
        cases = cases.filter(within_org_q(org))
    if status == "open":
        cases = cases.open()
    elif status:
        cases = cases.filter(status=status)
    if source:
        cases = cases.filter(source=source)
    if mediator:
        cases = cases.filter(mediator_id=mediator)
    if institution:
        cases = cases.filter(institution_id=institution)
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(summary__icontains=q) | Q(court_case_number__icontains=q))
    if overdue and today is not None:
        cases = cases.open().filter(due_on__lt=today)
    return cases
