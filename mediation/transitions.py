"""The mediation case's actions (docs/domain.md, "纠纷调解"): one table, as complaints/transitions.py is for cases.

Each row names an action (the key of the URL, the form and the service call in `mediation/views/case_page.py`
`ACTIONS`), the words of the page, from which statuses it may be taken, who may take it and, where the status is
not enough, an `offered(case)` test. The rows drive the case page's menu (`offered_actions`); the services check
every guard again with their own messages, so an action posted outside the menu is refused all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from .access import can_write_office, is_case_mediator
from .models import MediationCase, Source, Status

OFFICE = "office"  # the unit's clerks and supervisors (the workstation's paperwork)
PARTICIPANT = "participant"  # the case's mediator (after the recusal declaration) or the office
MEDIATOR = "mediator"  # the case's mediator alone (private notes)

OPEN = (Status.APPLIED, Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING)
CONCLUDED = (Status.CONCLUDED,)


@dataclass(frozen=True)
class Transition:
    action: str
    label: object  # the card's title on the case page
    from_statuses: tuple[str, ...]
    who: str = OFFICE
    offered: Callable[[MediationCase], bool] | None = None
    # Shown under each session of the record (an offer, a private note) rather than as a card of its own.
    per_session: bool = False


def _paper_mediator_assigned(case):
    return case.mediator_id is not None and case.mediator.user_id is None


def _clock_running(case):
    return case.due_on is not None


def _agent_needed(case):
    # After an agreement an agent may still act for judicial confirmation or performance.
    return case.is_open or case.has_agreement


def _confirmable(case):
    return case.has_agreement and case.confirmation_allowed and not case.confirmation_ruled_on


def _waivable(case):
    return case.has_agreement and case.confirmation_allowed and not case.confirmation_applied_on


def _to_return(case):
    return case.has_agreement and case.source == Source.COURT_AFTER_FILING and case.returned_to_court_on is None


def _agreed(case):
    return case.has_agreement


TRANSITIONS: tuple[Transition, ...] = (
    Transition("consent", gettext_lazy("登记当事人同意调解"), (Status.APPLIED,)),
    Transition("assign", gettext_lazy("指派调解员"), (Status.ACCEPTED, Status.ASSIGNED)),
    Transition(
        "recusal",
        gettext_lazy("登记调解员回避声明（调解员无账号时）"),
        (Status.ASSIGNED,),
        offered=_paper_mediator_assigned,
    ),
    Transition("extend", gettext_lazy("延长调解期限（须双方同意）"), OPEN, offered=_clock_running),
    Transition("agent", gettext_lazy("登记代理人"), OPEN + CONCLUDED, offered=_agent_needed),
    Transition("session", gettext_lazy("登记调解记录"), (Status.MEDIATING,), who=PARTICIPANT),
    Transition("offer", gettext_lazy("登记方案/还价"), (Status.MEDIATING,), who=PARTICIPANT, per_session=True),
    Transition(
        "private_note",
        gettext_lazy("背靠背记录（仅调解员可见）"),
        (Status.MEDIATING,),
        who=MEDIATOR,
        per_session=True,
    ),
    Transition("outcome", gettext_lazy("登记调解结果"), OPEN, who=PARTICIPANT),
    Transition("confirmation", gettext_lazy("司法确认"), CONCLUDED, offered=_confirmable),
    Transition("waive_confirmation", gettext_lazy("当事人不申请司法确认"), CONCLUDED, offered=_waivable),
    Transition("return_to_court", gettext_lazy("退回法院（委托调解协议）"), CONCLUDED, offered=_to_return),
    Transition("payment", gettext_lazy("登记履行"), CONCLUDED, who=PARTICIPANT, offered=_agreed),
)

ROWS = {row.action: row for row in TRANSITIONS}


def action_label(action: str):
    return ROWS[action].label


def may(user, case: MediationCase, who: str) -> bool:
    if who == MEDIATOR:
        return is_case_mediator(user, case)
    if who == PARTICIPANT:
        return is_case_mediator(user, case) or can_write_office(user, case)
    return can_write_office(user, case)


def offered_actions(case: MediationCase, user) -> list[Transition]:
    """The rows the case page offers this user now, in the table's order; the services still check each."""
    return [
        row
        for row in TRANSITIONS
        if case.status in row.from_statuses and may(user, case, row.who) and (row.offered is None or row.offered(case))
    ]
