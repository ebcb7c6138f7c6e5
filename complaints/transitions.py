"""The case workflow (docs/domain.md, "受理渠道与流程"): one transition table per case type.

Each row says from which statuses an action may be taken, the status it leads to, who may take it, which clock
it starts, and which node of the case page's diagram it completes. The same rows drive

- the action menu on the case page (`offered_actions`),
- the services' guard (`require_transition`: an action the table does not allow for the case's type and
  status is refused with a Chinese message before anything is written),
- and the diagram (`complaints/workflow.py`: `path_nodes`, `reached_nodes`, `workflow_nodes`).

A service may refuse more than the table (a missing document, a date out of range); the table is the outer
bound. Actions that do not move the case (a progress note, a review, a closed-loop step, reassignment) are rows
too, with the case's status unchanged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.roles import Role, has_role

from .models import Case
from .models.choices import CaseType
from .petition_menu import (
    kind_is,
    reply_done,
    reply_not_delivered,
    review_can_be_requested,
    review_pending,
    transferred,
)
from .transition_parts import (
    ACCEPTED,
    ACKNOWLEDGED,
    CLOSED,
    FORWARDED,
    INSTITUTION_REPLIED,
    MATERIALS_PENDING,
    REGISTERED,
    REPLIED,
    SUPERVISOR,
    MenuFacts,
    Node,
    Transition,
    close_row,
    extension_row,
    not_pending,
    shared_rows,
)

_DISSATISFIED = "dissatisfied"  # Satisfaction.DISSATISFIED


def _check_requested(case) -> bool:
    forwarding = getattr(case, "forwarding", None)
    return forwarding is not None and forwarding.check_requested_on is not None


_REPORT_FINDING = "report_finding"  # a CaseDocument.Kind value, spelt here to keep the models out of the rows

_petition = shared_rows(progress_node=Node("handle", gettext_lazy("办理"), ("replied",)))
_report = shared_rows(progress_node=Node("investigate", gettext_lazy("调查"), ("finding",)))
_complaint = shared_rows()

# The rows, in the order the menu lists them.
TRANSITIONS: dict[str, list[Transition]] = {
    CaseType.PETITION: [
        Transition(
            "petition_accept",
            gettext_lazy("受理告知"),
            gettext_lazy("受理"),
            (REGISTERED,),
            ACCEPTED,
            clock="P-REPLY",
            node=Node("accept", gettext_lazy("受理告知"), ("accepted",)),
        ),
        Transition(
            "petition_not_accept", gettext_lazy("不予受理告知"), gettext_lazy("不予受理"), (REGISTERED,), CLOSED
        ),
        Transition(
            "petition_not_our_remit",
            gettext_lazy("非本机关职责"),
            gettext_lazy("按非本机关职责处理"),
            (REGISTERED,),
            CLOSED,
        ),
        Transition(
            "petition_transfer",
            gettext_lazy("转送有权机关"),
            gettext_lazy("转送有权机关"),
            (REGISTERED,),
            CLOSED,
        ),
        _petition["duplicate"],
        _petition["progress"],
        Transition(
            "petition_reply",
            gettext_lazy("出具信访处理意见书"),
            gettext_lazy("出具信访处理意见书"),
            (ACCEPTED,),
            REPLIED,
            node=Node("reply", gettext_lazy("处理意见书"), ("replied",)),
            offered=kind_is("appeal"),
        ),
        Transition(
            "petition_suggestion_reply",
            gettext_lazy("出具建议意见答复书"),
            gettext_lazy("出具建议意见答复书"),
            (ACCEPTED,),
            REPLIED,
            offered=kind_is("suggestion"),
        ),
        Transition(
            "petition_accusation_result",
            gettext_lazy("登记检举控告办理结果"),
            gettext_lazy("登记检举控告办理结果"),
            (ACCEPTED,),
            REPLIED,
            offered=kind_is("accusation"),
        ),
        extension_row(not_pending),
        Transition(
            "petition_deliver",
            gettext_lazy("登记送达"),
            gettext_lazy("登记送达"),
            (REPLIED,),
            node=Node("deliver", gettext_lazy("送达"), ("delivered",)),
            offered=reply_not_delivered,
        ),
        close_row(REPLIED, reply_done),
        Transition(
            "review",
            gettext_lazy("登记复查/复核请求"),
            gettext_lazy("登记复查/复核请求"),
            (CLOSED,),
            offered=review_can_be_requested,
        ),
        Transition(
            "review_decide",
            gettext_lazy("登记复查/复核决定"),
            gettext_lazy("登记复查/复核决定"),
            (CLOSED,),
            offered=review_pending,
        ),
        Transition(
            "transfer_acknowledge",
            gettext_lazy("登记接收机关签收"),
            gettext_lazy("登记接收机关签收"),
            (CLOSED,),
            offered=transferred("acknowledged_on"),
        ),
        Transition(
            "transfer_tell",
            gettext_lazy("登记告知信访人"),
            gettext_lazy("登记告知信访人"),
            (CLOSED,),
            offered=transferred("told_on"),
        ),
        _petition["step_start"],
        _petition["reassign"],
    ],
    CaseType.REPORT: [
        Transition(
            "report_materials_complete",
            gettext_lazy("材料齐全"),
            gettext_lazy("登记材料齐全"),
            (MATERIALS_PENDING,),
            REGISTERED,
            clock="R-ACK",
            node=Node("materials", gettext_lazy("材料齐全"), ("materials_complete", "accepted")),
        ),
        Transition(
            "report_accept",
            gettext_lazy("受理举报"),
            gettext_lazy("受理"),
            (REGISTERED,),
            ACCEPTED,
            clock="R-FIND",
            node=Node("accept", gettext_lazy("受理"), ("accepted",)),
        ),
        Transition(
            "report_not_accept",
            gettext_lazy("不予受理"),
            gettext_lazy("不予受理"),
            (REGISTERED, MATERIALS_PENDING),
            CLOSED,
        ),
        Transition(
            "report_request_materials",
            gettext_lazy("要求补充材料"),
            gettext_lazy("要求补充材料"),
            (REGISTERED,),
            MATERIALS_PENDING,
        ),
        _report["duplicate"],
        _report["progress"],
        Transition(
            "report_finding",
            gettext_lazy("作出调查结论"),
            gettext_lazy("作出调查结论"),
            (ACCEPTED,),
            REPLIED,
            node=Node("finding", gettext_lazy("调查结论"), ("finding",)),
        ),
        extension_row(lambda case, facts: not case.is_anonymous and not_pending(case, facts)),
        Transition(
            "report_notify",
            gettext_lazy("告知举报人"),
            gettext_lazy("告知举报人"),
            (REPLIED,),
            node=Node("notify", gettext_lazy("告知举报人"), ("notified",)),
            offered=lambda case, facts: not case.is_anonymous and _REPORT_FINDING not in facts.delivered,
        ),
        close_row(REPLIED, lambda case, facts: case.is_anonymous or _REPORT_FINDING in facts.delivered),
        _report["step_start"],
        _report["reassign"],
    ],
    CaseType.COMPLAINT: [
        Transition(
            "complaint_forward",
            gettext_lazy("转办机构并告知投诉人"),
            gettext_lazy("转办"),
            (REGISTERED,),
            FORWARDED,
            node=Node("forward", gettext_lazy("转办机构"), ("forwarded",)),
        ),
        _complaint["duplicate"],
        Transition(
            "complaint_acknowledge",
            gettext_lazy("登记机构签收"),
            gettext_lazy("登记机构签收"),
            (FORWARDED,),
            ACKNOWLEDGED,
            clock="C-INST",
            node=Node("acknowledge", gettext_lazy("机构签收"), ("institution_acknowledged", "institution_replied")),
        ),
        Transition(
            "complaint_reply",
            gettext_lazy("登记机构反馈"),
            gettext_lazy("登记机构反馈"),
            (FORWARDED, ACKNOWLEDGED),
            INSTITUTION_REPLIED,
            node=Node("reply", gettext_lazy("机构反馈"), ("institution_replied",)),
        ),
        # The institution's clock runs from its 签收: there is nothing to extend before.
        Transition("complaint_extend", gettext_lazy("登记机构延期"), gettext_lazy("登记机构延期"), (ACKNOWLEDGED,)),
        Transition(
            "complaint_restart",
            gettext_lazy("重复投诉有新事实、新理由"),
            gettext_lazy("重新起算机构办理期限"),
            (ACKNOWLEDGED, INSTITUTION_REPLIED),
            ACKNOWLEDGED,
            clock="C-INST",
            offered=lambda case, facts: facts.repeated and not _check_requested(case),
        ),
        _complaint["progress"],
        Transition(
            "complaint_follow_up",
            gettext_lazy("登记回访"),
            gettext_lazy("登记回访"),
            (INSTITUTION_REPLIED,),
            node=Node("follow_up", gettext_lazy("回访"), ("followed_up",)),
            offered=lambda case, facts: case.satisfaction == "",
        ),
        # A complainant who is not satisfied is never closed as resolved: the complaint escalates instead.
        close_row(INSTITUTION_REPLIED, lambda case, facts: case.satisfaction not in ("", _DISSATISFIED)),
        Transition(
            "complaint_check",
            gettext_lazy("申请机构上级核查"),
            gettext_lazy("申请机构上级核查"),
            (INSTITUTION_REPLIED,),
            clock="C-CHECK",
            offered=lambda case, facts: case.satisfaction == _DISSATISFIED and not _check_requested(case),
        ),
        Transition(
            "complaint_check_result",
            gettext_lazy("登记核查结果"),
            gettext_lazy("登记核查结果"),
            (INSTITUTION_REPLIED,),
            CLOSED,
            offered=lambda case, facts: _check_requested(case) and case.forwarding.check_result_on is None,
        ),
        Transition(
            "complaint_to_report",
            gettext_lazy("转为举报办理"),
            gettext_lazy("转为举报办理"),
            (INSTITUTION_REPLIED,),
            CLOSED,
            offered=lambda case, facts: case.satisfaction == _DISSATISFIED and not _check_requested(case),
        ),
        Transition(
            "complaint_escalate",
            gettext_lazy("升级处理（其他方式）"),
            gettext_lazy("升级处理"),
            (FORWARDED, ACKNOWLEDGED, INSTITUTION_REPLIED),
            CLOSED,
            offered=lambda case, facts: not _check_requested(case),
        ),
        Transition(
            "complaint_withdraw",
            gettext_lazy("投诉人撤回"),
            gettext_lazy("登记撤回"),
            (REGISTERED, FORWARDED, ACKNOWLEDGED, INSTITUTION_REPLIED),
            CLOSED,
        ),
        _complaint["step_start"],
        _complaint["reassign"],
    ],
}


# Rows are looked up in the table each time (a dozen rows per type), so that whatever reads the table, reads it as
# it is now.
def transition(case_type: str, action: str) -> Transition | None:
    return next((row for row in TRANSITIONS[case_type] if row.action == action), None)


def any_row(action: str) -> Transition:
    """The first row of `action` on any case type: its words, for an action a case's type does not have.

    An action no case type has (taken out of the table) is refused as "进行该操作".
    """
    for rows in TRANSITIONS.values():
        for row in rows:
            if row.action == action:
                return row
    return Transition(action, gettext_lazy("该操作"), gettext_lazy("进行该操作"), ())


def action_label(action: str):
    """The menu's words for an action (the same on every case type that has it)."""
    return any_row(action).label


# --- Who -------------------------------------------------------------------------------------------


def is_supervisor(user) -> bool:
    return bool(user.is_superuser or has_role(user, Role.SUPERVISOR))


def may(user, case: Case, who: str) -> bool:
    """The row's `who` for a user who already sees the case: A, B or a supervisor; or a supervisor only."""
    if who == SUPERVISOR:
        return is_supervisor(user)
    return user.pk in (case.owner_id, case.backup_id) or is_supervisor(user)


# --- The service guard -----------------------------------------------------------------------------


def require_transition(actor, case: Case, action: str) -> Transition:
    """Refuse an action the table does not allow to this actor, case type and status; nothing is written yet.

    The services check first that the actor sees the case (`require_handler`, `require_supervisor`), with
    their own messages; this adds the row's `who`, the case type and the from-statuses.
    """
    row = transition(case.case_type, action)
    who = (row or any_row(action)).who
    if not may(actor, case, who):
        if who == SUPERVISOR:
            raise PermissionDenied(_("只有支局负责人可以审批。"))
        raise PermissionDenied(_("只有本案件的A岗、B岗或支局负责人可以办理该案件。"))
    if row is None:
        raise ValidationError(
            _("%(type)s案件不能%(action)s。") % {"type": case.get_case_type_display(), "action": any_row(action).verb},
            code="bad_type",
        )
    if case.status not in row.from_statuses:
        raise ValidationError(
            _("案件当前状态为“%(status)s”，不能%(action)s。")
            % {"status": case.get_status_display(), "action": row.verb},
            code="bad_state",
        )
    return row


# --- The menu --------------------------------------------------------------------------------------


def offered_actions(case: Case, user, facts: MenuFacts) -> list[str]:
    """The actions the case page offers this user now, in the table's order; the services still check each."""
    return [
        row.action
        for row in TRANSITIONS[case.case_type]
        if case.status in row.from_statuses
        and may(user, case, row.who)
        and (row.offered is None or row.offered(case, facts))
    ]
