"""Numbered documents of a case (受理告知书, 转办单 …); the PDF itself is rendered on demand."""

from __future__ import annotations

from django.utils import timezone

from core.services.numbering import next_number

from ..models import Case, CaseDocument

# Short marks used in document numbers: 莱州消保受〔2026〕3号.
DOCUMENT_MARKS = {
    CaseDocument.Kind.ACCEPTANCE: "受",
    CaseDocument.Kind.NON_ACCEPTANCE: "不受",
    CaseDocument.Kind.PETITION_REPLY: "意",
    CaseDocument.Kind.REPORT_ACCEPTANCE: "举受",
    CaseDocument.Kind.REPORT_NON_ACCEPTANCE: "举不受",
    CaseDocument.Kind.REPORT_FINDING: "举结",
    CaseDocument.Kind.FORWARDING_SLIP: "转",
}


def document_number(*, case: Case, kind: str, year: int) -> str:
    value = next_number(org=case.org, key=f"DOC-{kind}"[:20], year=year)
    prefix = (case.org.short_name or case.org.name).replace("金融监管支局", "").replace("支局", "")
    return f"{prefix}消保{DOCUMENT_MARKS[kind]}〔{year}〕{value}号"


def document_issue(*, case: Case, kind: str, actor, body: dict | None = None, on=None) -> CaseDocument:
    """Create (or, when re-issued, update) the case's document of `kind` with a number of its own."""
    issued_on = on or timezone.localdate()
    document = CaseDocument.objects.filter(case=case, kind=kind).first()
    if document is None:
        document = CaseDocument(case=case, kind=kind, number=document_number(case=case, kind=kind, year=issued_on.year))
        reason = "出具文书"
    else:
        reason = "重新出具文书"
    document.issued_on = issued_on
    document.issued_by = actor
    document.body = body or {}
    document._change_reason = reason
    document.save()
    return document
