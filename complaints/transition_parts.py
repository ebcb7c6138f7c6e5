"""The vocabulary of the case workflow's transition table (complaints/transitions.py): statuses, who, the row and
node types, the facts the menu reads, and the rows every case type shares (docs/architecture.md, "The workflow")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from .models import Case
from .models.choices import OPEN_STATUSES, CaseStatus

HANDLER = "handler"  # the case's A or B, or a supervisor of the office
SUPERVISOR = "supervisor"

OPEN = tuple(OPEN_STATUSES)
REGISTERED = CaseStatus.REGISTERED
MATERIALS_PENDING = CaseStatus.MATERIALS_PENDING
ACCEPTED = CaseStatus.ACCEPTED
FORWARDED = CaseStatus.FORWARDED
ACKNOWLEDGED = CaseStatus.INSTITUTION_ACKNOWLEDGED
INSTITUTION_REPLIED = CaseStatus.INSTITUTION_REPLIED
REPLIED = CaseStatus.REPLIED
CLOSED = CaseStatus.CLOSED
STAYS = None  # the action leaves the status as it is


@dataclass(frozen=True)
class Node:
    """A box of the diagram: done once one of the `done_by` events has happened (or the status implies it)."""

    key: str
    label: str
    done_by: tuple[str, ...]


@dataclass
class MenuFacts:
    """What the menu needs beyond the status: the page has already loaded it."""

    delivered: set = field(default_factory=set)  # kinds of the case's documents that were delivered
    issued: set = field(default_factory=set)  # kinds of the case's documents
    reviews: list = field(default_factory=list)  # the petition's 复查/复核 (complaints.PetitionReview)
    transfer: object = None  # the petition's transfer to another authority (complaints.Transfer)
    extension_pending: bool = False
    steps: list = field(default_factory=list)
    step_count: int = 3  # how many closed-loop steps there are (complaints.services.STEP_ORDER)
    repeated: bool = False  # the complainant came again (a repeat contact joined the case)


@dataclass(frozen=True)
class Transition:
    action: str
    label: object  # the menu's words
    verb: object  # the refusal's words: "…不能%(verb)s。"
    from_statuses: tuple[str, ...]
    to_status: str | None = STAYS
    who: str = HANDLER
    clock: str = ""  # the deadline rule the action starts, if any
    node: Node | None = None
    # Beyond the status, whether the menu offers the action now (a document delivered, an extension pending…);
    # the service checks the same facts itself, with its own message.
    offered: Callable[[Case, MenuFacts], bool] | None = None


REGISTER_NODE = Node("register", gettext_lazy("登记"), ("registered",))


def not_pending(case, facts):
    return not facts.extension_pending


def step_can_start(case, facts):
    running = any(step.done_on is None for step in facts.steps)
    return not running and len({step.kind for step in facts.steps}) < facts.step_count


def shared_rows(*, progress_node: Node | None = None) -> dict[str, Transition]:
    """The rows every case type has; `progress_node` is the diagram box a progress note stands for."""
    return {
        "duplicate": Transition(
            "duplicate",
            gettext_lazy("重复件（并入首次案件）"),
            gettext_lazy("作为重复件办结"),
            (REGISTERED, MATERIALS_PENDING),
            CLOSED,
        ),
        "progress": Transition(
            "progress", gettext_lazy("记录办理情况"), gettext_lazy("记录办理情况"), OPEN, node=progress_node
        ),
        "step_start": Transition(
            "step_start",
            gettext_lazy("启动闭环环节"),
            gettext_lazy("启动闭环环节"),
            OPEN,
            offered=step_can_start,
        ),
        "reassign": Transition("reassign", gettext_lazy("调整A/B岗"), gettext_lazy("调整A/B岗"), OPEN, who=SUPERVISOR),
    }


def close_row(from_status: str, offered) -> Transition:
    return Transition(
        "close",
        gettext_lazy("办结"),
        gettext_lazy("办结"),
        (from_status,),
        CLOSED,
        node=Node("close", gettext_lazy("办结"), ("closed",)),
        offered=offered,
    )


def extension_row(offered) -> Transition:
    return Transition(
        "extension_request", gettext_lazy("申请延期"), gettext_lazy("申请延期"), (ACCEPTED,), offered=offered
    )
