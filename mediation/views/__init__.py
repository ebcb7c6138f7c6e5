from .actions import (
    add_agent,
    assign,
    extend,
    record_confirmation,
    record_consent,
    record_offer,
    record_outcome,
    record_payment,
    record_private_note,
    record_session,
    recusal_office,
    waive_confirmation,
)
from .documents import agent_document, agreement_pdf
from .figures import figures, figures_export
from .workstation import detail, index, recusal, refer_case, register

__all__ = [
    "add_agent",
    "agent_document",
    "agreement_pdf",
    "assign",
    "detail",
    "extend",
    "figures",
    "figures_export",
    "index",
    "record_confirmation",
    "record_consent",
    "record_offer",
    "record_outcome",
    "record_payment",
    "record_private_note",
    "record_session",
    "recusal",
    "refer_case",
    "recusal_office",
    "register",
    "waive_confirmation",
]
