from .cases import Case, CaseEvent, CaseStep, ExtensionRequest
from .contacts import Contact, Representative
from .documents import Attachment, CaseDocument, LedgerExport
from .forwarding import Forwarding

__all__ = [
    "Attachment",
    "Case",
    "CaseDocument",
    "CaseEvent",
    "CaseStep",
    "Contact",
    "ExtensionRequest",
    "Forwarding",
    "LedgerExport",
    "Representative",
]
