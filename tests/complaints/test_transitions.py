"""The transition table (complaints/transitions.py) drives the case page's action menu, the services' guards and
the diagram: each status offers the actions the table lists to the people it names, an action the table does not
allow is refused with a Chinese message and changes nothing, and the diagram's boxes are the table's nodes."""

import dataclasses
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import transition_parts, transitions
from complaints.models import Case, CaseEvent
from complaints.models.choices import CaseStatus, CaseType
from complaints.services import (
    complaint_check_request,
    complaint_follow_up,
    complaint_forward,
    complaint_institution_acknowledge,
    complaint_institution_reply,
    petition_accept,
    petition_deliver,
    petition_not_our_remit,
    petition_reply,
    report_accept,
    report_finding,
)
from complaints.workflow import path_nodes, reached_nodes
from core.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# Each state a case can be in, how to bring a case there through the services, and what the case's A (or B)
# is offered there, in the menu's order. A supervisor is offered the same and 调整A/B岗; anyone else nothing.
MENUS = {
    "petition registered": [
        "petition_accept",
        "petition_not_accept",
        "petition_not_our_remit",
        "petition_transfer",
        "duplicate",
        "progress",
        "step_start",
    ],
    "petition accepted": ["progress", "petition_reply", "extension_request", "step_start"],
    "petition replied": ["progress", "petition_deliver", "step_start"],
    "petition delivered": ["progress", "close", "step_start"],
    "report materials_pending": [
        "report_materials_complete",
        "report_not_accept",
        "duplicate",
        "progress",
        "step_start",
    ],
    "report registered": [
        "report_accept",
        "report_not_accept",
        "report_request_materials",
        "duplicate",
        "progress",
        "step_start",
    ],
    "report accepted": ["progress", "report_finding", "extension_request", "step_start"],
    "report replied": ["progress", "report_notify", "step_start"],
    "anonymous report replied": ["progress", "close", "step_start"],
    "complaint registered": ["complaint_forward", "duplicate", "progress", "complaint_withdraw", "step_start"],
    "complaint forwarded": [
        "complaint_acknowledge",
        "complaint_reply",
        "progress",
        "complaint_escalate",
        "complaint_withdraw",
        "step_start",
    ],
    "complaint acknowledged": [
        "complaint_reply",
        "complaint_extend",
        "progress",
        "complaint_escalate",
        "complaint_withdraw",
        "step_start",
    ],
    # The complainant came again: whether with new facts or reasons is the handler's call (重新起算).
    "complaint repeated": [
        "complaint_reply",
        "complaint_extend",
        "complaint_restart",
        "progress",
        "complaint_escalate",
        "complaint_withdraw",
        "step_start",
    ],
    "complaint replied": ["progress", "complaint_follow_up", "complaint_escalate", "complaint_withdraw", "step_start"],
    "complaint followed up": ["progress", "close", "complaint_escalate", "complaint_withdraw", "step_start"],
    # Not satisfied: never 办结 — mediation (the referral button), 核查, a 举报, or another escalation.
    "complaint dissatisfied": [
        "progress",
        "complaint_check",
        "complaint_to_report",
        "complaint_escalate",
        "complaint_withdraw",
        "step_start",
    ],
    "complaint checking": ["progress", "complaint_check_result", "complaint_withdraw", "step_start"],
}


def _step(case, service, actor, **fields):
    service(actor=actor, case=case, version=case.version, **fields)
    case.refresh_from_db()
    return case


def bring(state: str, register, actor) -> Case:
    """A case in `state`, brought there through the services as a clerk would."""
    kind = state.split()[0]
    if kind == "anonymous":
        case = register("report", is_anonymous=True)
        case = _step(case, report_accept, actor)
        return _step(case, report_finding, actor, finding="partly", facts="部分属实")
    if kind == "petition":
        case = register("petition")
        if state == "petition registered":
            return case
        case = _step(case, petition_accept, actor, route="调查处理")
        if state == "petition accepted":
            return case
        case = _step(
            case,
            petition_reply,
            actor,
            request="退还手续费",
            facts="已核实",
            decision="support",
            legal_basis="合同约定",
        )
        if state == "petition replied":
            return case
        return _step(case, petition_deliver, actor)
    if kind == "report":
        if state == "report materials_pending":
            return register("report", materials_complete=False)
        case = register("report")
        if state == "report registered":
            return case
        case = _step(case, report_accept, actor)
        if state == "report accepted":
            return case
        return _step(case, report_finding, actor, finding="partly", facts="部分属实")
    return _bring_complaint(state, register, actor)


def _bring_complaint(state: str, register, actor) -> Case:
    case = register("complaint")
    if state == "complaint registered":
        return case
    case = _step(case, complaint_forward, actor, told_via="phone", told_on=case.received_on)
    if state == "complaint forwarded":
        return case
    case = _step(case, complaint_institution_acknowledge, actor)
    if state == "complaint repeated":
        register("complaint", outcome="repeat", repeat_of=case)
        return case
    if state == "complaint acknowledged":
        return case
    case = _step(case, complaint_institution_reply, actor, result="已退还手续费")
    if state == "complaint replied":
        return case
    satisfied = state == "complaint followed up"
    case = _step(case, complaint_follow_up, actor, satisfaction="satisfied" if satisfied else "dissatisfied")
    if state == "complaint checking":
        case = _step(case, complaint_check_request, actor, requested_on=case.received_on, office="某银行烟台分行")
    return case


def page_actions(client, case) -> list[str]:
    html = client.get(reverse("complaints:case_detail", args=[case.pk])).content.decode()
    return [key for key in re.findall(r'data-action="(\w+)"', html) if key != "extension_decide"]


@pytest.mark.parametrize("state", MENUS)
def test_each_status_offers_the_tables_actions_to_each_role(
    state, register, client_for, clerk_a, clerk_b, supervisor, reviewer, orgs, frozen
):
    case = bring(state, register, clerk_a)
    colleague = make_user(org=orgs["laizhou"], role=Role.CLERK, username="colleague", name="王一鸣")
    expected = MENUS[state]
    assert page_actions(client_for(clerk_a), case) == expected
    assert page_actions(client_for(clerk_b), case) == expected
    assert page_actions(client_for(supervisor), case) == [*expected, "reassign"]
    # The office's other clerks and the reviewing bureau read the case but act on nothing.
    assert page_actions(client_for(colleague), case) == []
    assert page_actions(client_for(reviewer), case) == []
    # The page shows exactly what the table offers.
    facts = transitions.MenuFacts(
        delivered={d.kind for d in case.documents.all() if d.delivered_on},
        issued={d.kind for d in case.documents.all()},
        steps=[],
        step_count=3,
        repeated=case.events.filter(action="repeat_contact").exists(),
    )
    assert transitions.offered_actions(case, clerk_a, facts) == expected


def test_a_closed_case_offers_nothing(register, client_for, clerk_a, supervisor, frozen):
    case = bring("petition registered", register, clerk_a)
    case = _step(case, petition_not_our_remit, clerk_a, mode="redirect", body="向人民银行反映")
    assert case.status == CaseStatus.CLOSED
    assert page_actions(client_for(clerk_a), case) == []
    assert page_actions(client_for(supervisor), case) == []


def _unchanged(case):
    """The case's row, its timeline and its documents, to compare before and after a refusal."""
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.version,
        fresh.status,
        fresh.due_on,
        CaseEvent.objects.filter(case=case).count(),
        fresh.documents.count(),
    )


def test_a_service_refuses_an_action_the_table_does_not_allow_in_this_status(register, clerk_a, frozen):
    case = register("petition")
    before = _unchanged(case)
    with pytest.raises(ValidationError) as refused:
        petition_reply(
            actor=clerk_a,
            case=case,
            version=case.version,
            request="退还手续费",
            facts="已核实",
            decision="support",
            legal_basis="合同约定",
        )
    assert refused.value.messages == ["案件当前状态为“已登记”，不能出具信访处理意见书。"]
    assert refused.value.error_list[0].code == "bad_state"
    assert _unchanged(case) == before


def test_a_service_refuses_an_action_the_case_type_does_not_have(register, clerk_a, frozen):
    case = register("complaint")
    before = _unchanged(case)
    with pytest.raises(ValidationError) as refused:
        report_accept(actor=clerk_a, case=case, version=case.version)
    assert refused.value.messages == ["转办投诉案件不能受理。"]
    assert _unchanged(case) == before


def test_posting_an_action_the_table_does_not_offer_shows_the_refusal_and_changes_nothing(
    register, client_for, clerk_a, frozen
):
    case = bring("petition accepted", register, clerk_a)
    before = _unchanged(case)
    url = reverse("complaints:case_action", args=[case.pk, "petition_accept"])
    response = client_for(clerk_a).post(url, {"version": case.version, "route": "再受理一次"}, follow=True)
    assert "案件当前状态为“已受理（办理中）”，不能受理。" in response.content.decode()
    assert _unchanged(case) == before


def _without(monkeypatch, case_type, action):
    rows = [row for row in transitions.TRANSITIONS[case_type] if row.action != action]
    monkeypatch.setitem(transitions.TRANSITIONS, case_type, rows)


def test_taking_a_row_out_of_the_table_takes_it_off_the_menu_and_the_service_refuses_it(
    monkeypatch, register, client_for, clerk_a, frozen
):
    case = register("petition")
    assert "petition_not_our_remit" in page_actions(client_for(clerk_a), case)
    _without(monkeypatch, CaseType.PETITION, "petition_not_our_remit")
    assert "petition_not_our_remit" not in page_actions(client_for(clerk_a), case)
    before = _unchanged(case)
    with pytest.raises(ValidationError) as refused:
        petition_not_our_remit(actor=clerk_a, case=case, version=case.version, mode="redirect", body="向人民银行反映")
    # The table no longer has the action for this type at all.
    assert refused.value.messages == ["信访案件不能进行该操作。"]
    assert refused.value.error_list[0].code == "bad_type"
    assert _unchanged(case) == before


def test_widening_a_rows_from_statuses_offers_it_there_and_the_service_accepts_it(
    monkeypatch, register, client_for, clerk_a, frozen
):
    """The table, not the service, says where an action may be taken: 复查/复核 moved to 已受理 is refused on a
    registered petition, on the menu and in the service alike."""
    case = register("petition")
    rows = [
        dataclasses.replace(row, from_statuses=(CaseStatus.ACCEPTED,)) if row.action == "review" else row
        for row in transitions.TRANSITIONS[CaseType.PETITION]
    ]
    monkeypatch.setitem(transitions.TRANSITIONS, CaseType.PETITION, rows)
    assert "review" not in page_actions(client_for(clerk_a), case)
    from complaints.services.review import petition_review_request

    with pytest.raises(ValidationError) as refused:
        petition_review_request(
            actor=clerk_a, case=case, version=case.version, kind="recheck", requested_on="2026-03-09", office="烟台分局"
        )
    assert refused.value.messages == ["案件当前状态为“已登记”，不能登记复查/复核请求。"]


def test_the_diagram_is_the_tables_nodes_in_order():
    assert [node.key for node in path_nodes(CaseType.PETITION)] == [
        "register",
        "accept",
        "handle",
        "reply",
        "deliver",
        "close",
    ]
    assert [node.key for node in path_nodes(CaseType.REPORT)] == [
        "register",
        "materials",
        "accept",
        "investigate",
        "finding",
        "notify",
        "close",
    ]
    assert [node.key for node in path_nodes(CaseType.COMPLAINT)] == [
        "register",
        "forward",
        "acknowledge",
        "reply",
        "follow_up",
        "close",
    ]
    for case_type, rows in transitions.TRANSITIONS.items():
        nodes = [row.node for row in rows if row.node is not None]
        assert path_nodes(case_type) == [transition_parts.REGISTER_NODE, *nodes]


@pytest.mark.parametrize(
    ("case_type", "status", "done"),
    [
        (CaseType.PETITION, CaseStatus.REGISTERED, {"register"}),
        (CaseType.PETITION, CaseStatus.ACCEPTED, {"register", "accept"}),
        (CaseType.PETITION, CaseStatus.REPLIED, {"register", "accept", "handle", "reply"}),
        (CaseType.REPORT, CaseStatus.MATERIALS_PENDING, {"register"}),
        (CaseType.REPORT, CaseStatus.REGISTERED, {"register"}),
        (CaseType.REPORT, CaseStatus.ACCEPTED, {"register", "materials", "accept"}),
        (CaseType.REPORT, CaseStatus.REPLIED, {"register", "materials", "accept", "investigate", "finding"}),
        (CaseType.COMPLAINT, CaseStatus.FORWARDED, {"register", "forward"}),
        (CaseType.COMPLAINT, CaseStatus.INSTITUTION_ACKNOWLEDGED, {"register", "forward", "acknowledge"}),
        (CaseType.COMPLAINT, CaseStatus.INSTITUTION_REPLIED, {"register", "forward", "acknowledge", "reply"}),
    ],
)
def test_a_status_marks_done_the_boxes_the_table_leads_through_to_it(case_type, status, done):
    assert reached_nodes(Case(case_type=case_type, status=status)) == done


def test_a_node_added_to_the_table_appears_on_the_case_pages_diagram(
    monkeypatch, register, client_for, clerk_a, frozen
):
    case = register("petition")
    rows = [
        dataclasses.replace(row, node=transitions.Node("review", "复查复核", ("review_recheck",)))
        if row.action == "review"
        else row
        for row in transitions.TRANSITIONS[CaseType.PETITION]
    ]
    monkeypatch.setitem(transitions.TRANSITIONS, CaseType.PETITION, rows)
    html = client_for(clerk_a).get(reverse("complaints:case_detail", args=[case.pk])).content.decode()
    steps = re.findall(r'data-step="(\w+)"', html)
    assert steps == ["register", "accept", "handle", "reply", "deliver", "close", "review"]
