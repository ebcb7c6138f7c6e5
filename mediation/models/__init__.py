from .cases import Agent, ExtensionConsent, MediationCase, Payment
from .choices import Mode, Outcome, PartnerKind, Side, Source, Status
from .partners import Mediator, PartnerOrganisation
from .sessions import Offer, PrivateNote, Session

__all__ = [
    "Agent",
    "ExtensionConsent",
    "MediationCase",
    "Mediator",
    "Mode",
    "Offer",
    "Outcome",
    "PartnerKind",
    "PartnerOrganisation",
    "Payment",
    "PrivateNote",
    "Session",
    "Side",
    "Source",
    "Status",
]
