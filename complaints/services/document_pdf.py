"""The PDF of a generated document: which template, and what it is given (docs/domain.md, "文书").

Shared by the document's own download (complaints/views/documents.py) and the case-file bundle
(complaints/services/archive_bundle.py).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from core.personal import mask_free_text, mask_phone

from ..models import Authority, CaseDocument
from ..models.choices import Adoption, CaseType, Decision, Finding, NoticeVia
from .common import case_deadlines

TEMPLATES = {
    CaseDocument.Kind.ACCEPTANCE: "complaints/pdf_acceptance.html",
    CaseDocument.Kind.NON_ACCEPTANCE: "complaints/pdf_non_acceptance.html",
    CaseDocument.Kind.PETITION_REPLY: "complaints/pdf_petition_reply.html",
    CaseDocument.Kind.REPORT_ACCEPTANCE: "complaints/pdf_report_notice.html",
    CaseDocument.Kind.REPORT_NON_ACCEPTANCE: "complaints/pdf_report_notice.html",
    CaseDocument.Kind.REPORT_FINDING: "complaints/pdf_report_notice.html",
    CaseDocument.Kind.FORWARDING_SLIP: "complaints/pdf_forwarding_slip.html",
    CaseDocument.Kind.FORWARDING_NOTICE: "complaints/pdf_forwarding_notice.html",
    CaseDocument.Kind.EXTENSION_NOTICE: "complaints/pdf_extension_notice.html",
    CaseDocument.Kind.SUGGESTION_REPLY: "complaints/pdf_suggestion_reply.html",
    CaseDocument.Kind.ACCUSATION_RESULT: "complaints/pdf_accusation_result.html",
    CaseDocument.Kind.TRANSFER_LETTER: "complaints/pdf_transfer_letter.html",
    CaseDocument.Kind.URGENT_REPORT: "complaints/pdf_urgent_report.html",
}
# Documents that carry no personal data beyond masked values: printing one is not a reveal.
MASKED_KINDS = (CaseDocument.Kind.FORWARDING_SLIP, CaseDocument.Kind.URGENT_REPORT)


def document_context(document: CaseDocument) -> dict:
    case = document.case
    body = document.body or {}
    context = {
        "document": document,
        "case": case,
        "body": body,
        # The office's full name heads and signs the document; its number is the document's only number.
        "issuer": case.org.official_name,
        "document_number": document.number,
        "office": case.org,
        "title": document.get_kind_display(),
    }
    if "decision" in body and body["decision"] in Decision.values:
        context["decision_label"] = Decision(body["decision"]).label
    if "finding" in body and body["finding"] in Finding.values:
        context["finding_label"] = Finding(body["finding"]).label
    if document.kind == CaseDocument.Kind.FORWARDING_NOTICE:
        context.update(_forwarding_notice_context(document, body))
    context.update(_petition_life_context(document, body))
    if document.kind == CaseDocument.Kind.FORWARDING_SLIP:
        forwarding = getattr(case, "forwarding", None)
        deadline = case_deadlines(case).filter(rule__code="C-INST").order_by("-id").first()
        # Only what the institution needs: no ID number, a masked phone, and never a reporter's identity.
        show_identity = case.case_type == CaseType.COMPLAINT and not case.is_anonymous
        # The institution's questions go to the handling clerk (A岗), at their own number or the office's.
        contact = case.owner or document.issued_by
        context.update(
            {
                "forwarding": forwarding,
                "institution_due_on": deadline.due_on if deadline else None,
                "institution_due_provisional": bool(deadline and deadline.provisional_years),
                "complainant_name": case.name if show_identity else _("（不提供）"),
                "complainant_phone": mask_phone(case.phone) if show_identity else _("（不提供）"),
                "show_phone_note": show_identity and bool(case.phone),
                "contact_name": str(contact) if contact else "",
                "contact_phone": (contact.phone if contact else "") or case.org.phone,
            }
        )
    if document.kind == CaseDocument.Kind.URGENT_REPORT:
        context.update(_urgent_report_context(document))
    return context


def _urgent_report_context(document: CaseDocument) -> dict:
    """Goes to the branch: the summary with the numbers typed into it masked, no names (docs/domain.md「个人信息」)."""
    case = document.case
    contact = case.owner or document.issued_by
    return {
        "summary": mask_free_text(case.summary),
        "amount": f"{case.amount_involved:,.2f}" if case.amount_involved is not None else "",
        "contact_name": str(contact) if contact else "",
        "contact_phone": (contact.phone if contact else "") or case.org.phone,
    }


def _forwarding_notice_context(document: CaseDocument, body: dict) -> dict:
    case = document.case
    contact = case.owner or document.issued_by
    told_via = body.get("told_via", "")
    return {
        "forwarding": getattr(case, "forwarding", None),
        "told_on": dt.date.fromisoformat(body["told_on"]) if body.get("told_on") else None,
        "told_via_label": NoticeVia(told_via).label if told_via in NoticeVia.values else "",
        "contact_name": str(contact) if contact else "",
        "contact_phone": (contact.phone if contact else "") or case.org.phone,
    }


def _petition_life_context(document: CaseDocument, body: dict) -> dict:
    """The 延期告知书, 建议意见答复书 and 转送函's own values (docs/domain.md, "复查、复核" and "转送其他机关")."""
    context = {}
    if body.get("adoption") in Adoption.values:
        context["adoption_label"] = Adoption(body["adoption"]).label
    if body.get("due_on"):
        context["due_on"] = dt.date.fromisoformat(body["due_on"])
    if body.get("authority") in Authority.values:
        context["authority_label"] = Authority(body["authority"]).label
        contact = document.case.owner or document.issued_by
        context["contact_name"] = str(contact) if contact else ""
        context["contact_phone"] = (contact.phone if contact else "") or document.case.org.phone
    return context
