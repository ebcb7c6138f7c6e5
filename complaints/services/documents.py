"""Numbered documents of a case (受理告知书, 转办单 …); the PDF itself is rendered on demand."""

from __future__ import annotations

from django.utils import timezone

from core.services.numbering import next_number

from ..models import Case, CaseDocument

# One counter per office and year for every document it signs, so that each number is the office's alone:
# 莱州金融监管支局〔2026〕7号 (发文机关代字〔年份〕发文顺序号, GB/T 9704-2012). Before this the kinds had counters
# of their own (莱州消保受〔2026〕3号); numbers already issued keep their old form.
DOCUMENT_COUNTER = "DOC"


def document_number(*, case: Case, year: int) -> str:
    value = next_number(org=case.org, key=DOCUMENT_COUNTER, year=year)
    return f"{case.org.name}〔{year}〕{value}号"


def document_issue(*, case: Case, kind: str, actor, body: dict | None = None, on=None) -> CaseDocument:
    """Create (or, when re-issued, update) the case's document of `kind` with a number of its own."""
    issued_on = on or timezone.localdate()
    document = CaseDocument.objects.filter(case=case, kind=kind).first()
    if document is None:
        document = CaseDocument(case=case, kind=kind, number=document_number(case=case, year=issued_on.year))
        reason = "出具文书"
    else:
        reason = "重新出具文书"
    document.issued_on = issued_on
    document.issued_by = actor
    document.body = body or {}
    document._change_reason = reason
    document.save()
    return document
