"""The case page's diagram (docs/domain.md, "受理渠道与流程"), drawn from the transition table.

The boxes of a case type's path are registration and the nodes of its rows in `complaints/transitions.py`; which
boxes a status implies is read from the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from .models import Case
from .models.choices import CaseStatus, CaseType, Closure
from .transition_parts import CLOSED, REGISTER_NODE, REGISTERED, STAYS, Node
from .transitions import TRANSITIONS


def path_nodes(case_type: str) -> list[Node]:
    """The boxes of a type's path, in the table's order: registration, then each row's node."""
    return [REGISTER_NODE, *(row.node for row in TRANSITIONS[case_type] if row.node is not None)]


def reached_by_status(case_type: str) -> dict[str, tuple[str, ...]]:
    """The boxes a status cannot be reached without: the path up to the last box whose action leads into it.

    A case brought in from elsewhere, or demo data, carries its status without the path's events; the events
    still give the dates. 已登记 is where registration puts a case, so it implies only the first box.
    """
    rows = [row for row in TRANSITIONS[case_type] if row.node is not None]
    reached: dict[str, tuple[str, ...]] = {}
    for index, row in enumerate(rows):
        if row.to_status not in (STAYS, CLOSED, REGISTERED):
            reached[row.to_status] = (REGISTER_NODE.key, *(r.node.key for r in rows[: index + 1]))
    return reached


def reached_nodes(case: Case) -> set[str]:
    """The node keys the case's status (and, once closed, its ending) implies are done."""
    if case.status == CaseStatus.CLOSED:
        if case.closure == Closure.RESOLVED:
            return {node.key for node in path_nodes(case.case_type)}
        return {"register"}
    reached = reached_by_status(case.case_type).get(case.status, ())
    return {"register", *reached}


BOX_WIDTH = 92
BOX_GAP = 26
BOX_HEIGHT = 44


@dataclass
class DiagramNode:
    key: str
    label: str
    state: str  # done | current | next | skipped
    date: object = None
    x: int = 0

    @property
    def text_x(self) -> int:
        return self.x + BOX_WIDTH // 2

    @property
    def arrow_from(self) -> int:
        return self.x + BOX_WIDTH

    @property
    def arrow_to(self) -> int:
        return self.x + BOX_WIDTH + BOX_GAP - 2


def workflow_nodes(case: Case, events) -> list[DiagramNode]:
    """Done, current and next steps with dates, from the case's events (already loaded)."""
    path = path_nodes(case.case_type)
    if case.case_type == CaseType.REPORT and case.is_anonymous:
        path = [node for node in path if node.key != "notify"]
    first_seen: dict[str, object] = {}
    for event in events:
        first_seen.setdefault(event.action, event.occurred_at)
    reached = reached_nodes(case)
    nodes = []
    for node in path:
        dates = [first_seen[a] for a in node.done_by if a in first_seen]
        done = bool(dates) or node.key in reached
        nodes.append(DiagramNode(node.key, str(node.label), "done" if done else "next", min(dates) if dates else None))
    if not case.is_open:
        last = nodes[-1]
        last.state, last.date = "done", case.closed_at
        if case.closure and case.closure != "resolved":
            last.label = f"{last.label}（{case.get_closure_display()}）"
        for node in nodes[:-1]:
            if node.state != "done":
                node.state = "skipped"
    else:
        for node in nodes:
            if node.state == "next":
                node.state = "current"
                break
    for index, node in enumerate(nodes):
        node.x = 4 + index * (BOX_WIDTH + BOX_GAP)
        if node.date is not None and hasattr(node.date, "tzinfo"):
            node.date = timezone.localtime(node.date).date()
    return nodes


def diagram_width(nodes) -> int:
    return 8 + len(nodes) * (BOX_WIDTH + BOX_GAP) - BOX_GAP
