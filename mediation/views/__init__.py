from .case_page import case_action, detail
from .documents import agent_document, agreement_pdf
from .figures import figures, figures_export
from .workstation import index, recusal, refer_case, register

__all__ = [
    "agent_document",
    "agreement_pdf",
    "case_action",
    "detail",
    "figures",
    "figures_export",
    "index",
    "recusal",
    "refer_case",
    "register",
]
