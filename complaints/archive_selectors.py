"""Reads of the archive shared by its pages and its export (docs/domain.md, "归档")."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Attachment, CaseArchive, CaseSupplement, DestructionDecision


def _count(model, field="case"):
    return Coalesce(
        Subquery(
            model.objects.filter(**{field: OuterRef("case_id")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def archive_list(*, org_id: int, year: int):
    """The office's filings of `year` in filing order, with attachment and supplement counts: one query."""
    return (
        CaseArchive.objects.filter(org_id=org_id, filed_on__year=year)
        .select_related("case__institution")
        .annotate(attachment_count=_count(Attachment), supplement_count=_count(CaseSupplement))
        .order_by("filed_on", "id")
    )


def due_for_destruction(*, org_ids, today: dt.date):
    """Filings of these offices past retention, not destroyed, with no decision pending: one query."""
    return (
        CaseArchive.objects.due_for_destruction(today)
        .filter(org_id__in=org_ids)
        .exclude(destruction_decisions__state=DestructionDecision.State.PROPOSED)
        .select_related("case")
        .order_by("retention_until", "id")
    )


def destruction_decisions(*, org_ids):
    """Every decision of these offices, newest first: one query."""
    return (
        DestructionDecision.objects.filter(archive__org_id__in=org_ids)
        .select_related("archive", "proposed_by", "decided_by")
        .order_by("-proposed_at", "-id")
    )
