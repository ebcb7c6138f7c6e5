"""State changes of mediation cases. Views, admin actions, commands and the demo seed all call these."""

from .intake import (
    agent_add,
    mediation_assign,
    mediation_declare_recusal,
    mediation_extend,
    mediation_record_consent,
    mediation_refer_from_case,
    mediation_register,
)
from .outcome import (
    mediation_record_confirmation,
    mediation_record_outcome,
    mediation_return_to_court,
    mediation_waive_confirmation,
    payment_record,
)
from .sessions import offer_record, private_note_add, session_record

__all__ = [
    "agent_add",
    "mediation_assign",
    "mediation_declare_recusal",
    "mediation_extend",
    "mediation_record_confirmation",
    "mediation_record_consent",
    "mediation_record_outcome",
    "mediation_refer_from_case",
    "mediation_return_to_court",
    "mediation_waive_confirmation",
    "mediation_register",
    "offer_record",
    "payment_record",
    "private_note_add",
    "session_record",
]
