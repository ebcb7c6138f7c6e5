"""Which intake fields apply and which are required, for a channel, an outcome and a case type.

One table for the server and the page: `contact_register` refuses what these rules call required (its own messages
are authoritative), the intake page marks those fields with * and hides the fields that do not apply, and the page's
script switches both as the clerk changes the outcome or the type, from the same rules rendered into the page
(`intake_rules_table`). A test keeps the rules and the service's refusals in step.
"""

from __future__ import annotations

from ..models import Contact
from ..models.choices import CaseType, Channel

# Channels whose items carry the sender's reference number (交办单号, 12378 工单号).
REFERENCE_REQUIRED = (Channel.SENT_DOWN, Channel.HOTLINE_12378)

# Fields that only make sense when the contact opens a case.
CASE_FIELDS = ("case_type", "petition_kind", "is_anonymous", "materials_complete", "business", "cause", "owner")
# A group visit or a joint letter has a number of people and representatives; a phone call has one caller.
GROUP_FIELDS = ("group_size", "representatives")


def hidden_fields(*, channel: str, outcome: str, case_type: str) -> set[str]:
    """The fields that do not apply: hidden on the page and ignored by the service."""
    hidden: set[str] = set()
    if channel == Channel.PHONE:
        hidden.update(GROUP_FIELDS)
    if outcome != Contact.Outcome.ANSWERED:
        hidden.add("answer")
    if outcome != Contact.Outcome.OPENED_CASE:
        hidden.update(CASE_FIELDS)
    else:
        if case_type != CaseType.PETITION:
            hidden.add("petition_kind")
        if case_type != CaseType.REPORT:
            # Only a report may be anonymous, and only a report waits for complete materials.
            hidden.update(("is_anonymous", "materials_complete"))
    return hidden


def required_fields(*, channel: str, outcome: str, case_type: str, is_anonymous: bool = False) -> set[str]:
    """The fields the service refuses to leave empty for this combination."""
    required = {"received_at", "topic", "summary", "outcome"}
    if channel in REFERENCE_REQUIRED:
        required.add("reference_no")
    if outcome == Contact.Outcome.ANSWERED:
        required.add("answer")
    elif outcome == Contact.Outcome.OPENED_CASE:
        required.add("case_type")
        anonymous = is_anonymous and case_type == CaseType.REPORT
        if case_type == CaseType.PETITION:
            required.add("petition_kind")
        if not anonymous:
            required.add("name")
        if case_type == CaseType.COMPLAINT:
            required.update(("institution", "phone"))
    return required


def intake_rules_table(channel: str) -> dict[str, dict[str, list[str]]]:
    """Every outcome × case type × anonymity of one channel: {"opened_case|report|1": {"hidden": [...], ...}}."""
    table = {}
    for outcome in Contact.Outcome.values:
        for case_type in ["", *CaseType.values]:
            for anonymous in (False, True):
                key = f"{outcome}|{case_type}|{int(anonymous)}"
                table[key] = {
                    "hidden": sorted(hidden_fields(channel=channel, outcome=outcome, case_type=case_type)),
                    "required": sorted(
                        required_fields(channel=channel, outcome=outcome, case_type=case_type, is_anonymous=anonymous)
                    ),
                }
    return table
