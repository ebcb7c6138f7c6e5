from .archive import CaseArchive, CaseSupplement, DestructionDecision
from .case_counts import CaseMonthCount
from .cases import Case, CaseEvent, CaseStep, ExtensionRequest
from .contacts import Contact, Representative
from .documents import Attachment, CaseDocument, LedgerExport
from .forwarding import Forwarding
from .imports import LedgerImport, LedgerImportMapping
from .petition_life import Authority, PetitionReview, TellMethod, Transfer
from .search import CaseSearchIndex, CaseSearchText

__all__ = [
    "Attachment",
    "Case",
    "CaseArchive",
    "CaseDocument",
    "CaseEvent",
    "CaseMonthCount",
    "CaseSearchIndex",
    "CaseSearchText",
    "CaseStep",
    "CaseSupplement",
    "DestructionDecision",
    "Contact",
    "ExtensionRequest",
    "Forwarding",
    "LedgerExport",
    "LedgerImport",
    "LedgerImportMapping",
    "PetitionReview",
    "Representative",
    "Authority",
    "TellMethod",
    "Transfer",
]
