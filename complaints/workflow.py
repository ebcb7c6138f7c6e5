"""Where a case stands in its path (docs/domain.md, "受理渠道与流程").

The nodes of the small server-rendered SVG diagram.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Case
from .models.choices import CaseStatus, CaseType, Closure

# (key, label, event actions that complete the node)
PATHS = {
    CaseType.PETITION: [
        ("register", _("登记"), ("registered",)),
        ("accept", _("受理告知"), ("accepted",)),
        ("handle", _("办理"), ("replied",)),
        ("reply", _("处理意见书"), ("replied",)),
        ("deliver", _("送达"), ("delivered",)),
        ("close", _("办结"), ("closed",)),
    ],
    CaseType.REPORT: [
        ("register", _("登记"), ("registered",)),
        ("materials", _("材料齐全"), ("materials_complete", "accepted")),
        ("accept", _("受理"), ("accepted",)),
        ("investigate", _("调查"), ("finding",)),
        ("finding", _("调查结论"), ("finding",)),
        ("notify", _("告知举报人"), ("notified",)),
        ("close", _("办结"), ("closed",)),
    ],
    CaseType.COMPLAINT: [
        ("register", _("登记"), ("registered",)),
        ("forward", _("转办机构"), ("forwarded",)),
        ("acknowledge", _("机构签收"), ("institution_acknowledged", "institution_replied")),
        ("reply", _("机构反馈"), ("institution_replied",)),
        ("follow_up", _("回访"), ("followed_up",)),
        ("close", _("办结"), ("closed",)),
    ],
}

# The nodes a status cannot be reached without, done even when the case has no event for them (a case brought in
# from elsewhere, or demo data, carries its status without the path's events). The events still give the dates.
REACHED_BY_STATUS = {
    CaseType.PETITION: {
        CaseStatus.ACCEPTED: ("register", "accept"),
        CaseStatus.REPLIED: ("register", "accept", "handle", "reply"),
    },
    CaseType.REPORT: {
        CaseStatus.MATERIALS_PENDING: ("register",),
        CaseStatus.ACCEPTED: ("register", "materials", "accept"),
        CaseStatus.REPLIED: ("register", "materials", "accept", "investigate", "finding"),
    },
    CaseType.COMPLAINT: {
        CaseStatus.FORWARDED: ("register", "forward"),
        CaseStatus.INSTITUTION_ACKNOWLEDGED: ("register", "forward", "acknowledge"),
        CaseStatus.INSTITUTION_REPLIED: ("register", "forward", "acknowledge", "reply"),
    },
}


def reached_nodes(case: Case) -> set[str]:
    """The node keys the case's status (and, once closed, its ending) implies are done."""
    if case.status == CaseStatus.CLOSED:
        if case.closure == Closure.RESOLVED:
            return {key for key, _label, _actions in PATHS[case.case_type]}
        return {"register"}
    reached = REACHED_BY_STATUS[case.case_type].get(case.status, ())
    return {"register", *reached}


BOX_WIDTH = 92
BOX_GAP = 26
BOX_HEIGHT = 44


@dataclass
class Node:
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


def workflow_nodes(case: Case, events) -> list[Node]:
    """Done, current and next steps with dates, from the case's events (already loaded)."""
    path = list(PATHS[case.case_type])
    if case.case_type == CaseType.REPORT and case.is_anonymous:
        path = [step for step in path if step[0] != "notify"]
    first_seen: dict[str, object] = {}
    for event in events:
        first_seen.setdefault(event.action, event.occurred_at)
    reached = reached_nodes(case)
    nodes = []
    for key, label, actions in path:
        dates = [first_seen[a] for a in actions if a in first_seen]
        done = bool(dates) or key in reached
        nodes.append(Node(key, str(label), "done" if done else "next", min(dates) if dates else None))
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
