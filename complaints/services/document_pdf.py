"""The PDF of a generated document: which template, and what it is given (docs/domain.md, "文书").

Shared by the document's own download (complaints/views/documents.py) and the case-file bundle
(complaints/services/archive_bundle.py).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.personal import mask_phone

from ..models import CaseDocument
from ..models.choices import CaseType, Decision, Finding
from .common import case_deadlines

TEMPLATES = {
    CaseDocument.Kind.ACCEPTANCE: "complaints/pdf_acceptance.html",
    CaseDocument.Kind.NON_ACCEPTANCE: "complaints/pdf_non_acceptance.html",
    CaseDocument.Kind.PETITION_REPLY: "complaints/pdf_petition_reply.html",
    CaseDocument.Kind.REPORT_ACCEPTANCE: "complaints/pdf_report_notice.html",
    CaseDocument.Kind.REPORT_NON_ACCEPTANCE: "complaints/pdf_report_notice.html",
    CaseDocument.Kind.REPORT_FINDING: "complaints/pdf_report_notice.html",
    CaseDocument.Kind.FORWARDING_SLIP: "complaints/pdf_forwarding_slip.html",
}


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
    return context
