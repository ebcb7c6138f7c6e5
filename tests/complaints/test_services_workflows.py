import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.models import CaseDocument, CaseEvent, CaseStep, ExtensionRequest
from complaints.services import (
    STALE_MESSAGE,
    case_close,
    case_mark_duplicate,
    case_reassign,
    case_record_progress,
    case_step_complete,
    case_step_start,
    complaint_escalate,
    complaint_follow_up,
    complaint_forward,
    complaint_institution_acknowledge,
    complaint_institution_extend,
    complaint_institution_reply,
    extension_decide,
    extension_request,
    petition_accept,
    petition_deliver,
    petition_not_accept,
    petition_not_our_remit,
    petition_reply,
    petition_suggestion_reply,
    report_accept,
    report_finding,
    report_materials_complete,
    report_not_accept,
    report_notify,
    report_request_materials,
)
from core.models import AuditEntry, Deadline
from tests.factories import at

pytestmark = pytest.mark.django_db
# The day the frozen clock stands on: the complainant is told of the forwarding the day it happens.
TOLD_ON = dt.date(2026, 3, 10)


def reload(case):
    case.refresh_from_db()
    return case


def open_deadlines(case):
    return dict(
        Deadline.objects.open()
        .filter(object_id=case.pk, content_type__model="case")
        .values_list("rule__code", "due_on")
    )


# --- 信访 -------------------------------------------------------------------------------------------


def test_petition_full_path_accept_extend_reply_deliver_close(register, clerk_a, supervisor):
    with at("2026-03-10"):
        case = register("petition")
    with at("2026-03-12"):
        case = petition_accept(actor=clerk_a, case=case, version=case.version, route="由本局消保科调查处理")
    assert case.status == "accepted" and case.accepted_on == dt.date(2026, 3, 12)
    # 60 calendar days after 03-12 is 05-11 (Monday).
    assert open_deadlines(case) == {"P-REPLY": dt.date(2026, 5, 11)}
    assert case.due_on == dt.date(2026, 5, 11)
    assert CaseDocument.objects.get(case=case, kind="acceptance").number == "莱州金融监管支局〔2026〕1号"
    ack = Deadline.objects.get(object_id=case.pk, rule__code="P-ACK")
    assert ack.status == "done" and ack.completed_on == dt.date(2026, 3, 12)

    with at("2026-04-20"):
        case = case_record_progress(actor=clerk_a, case=case, version=case.version, note="约谈银行网点负责人")
        request = extension_request(actor=clerk_a, case=case, version=case.version, days=20, reason="需调取录音")
        with pytest.raises(PermissionDenied):
            extension_decide(actor=clerk_a, request=request, approve=True)
        extension_decide(actor=supervisor, request=request, approve=True, note="同意")
    case = reload(case)
    assert ExtensionRequest.objects.get(pk=request.pk).state == "approved"
    assert case.due_on == dt.date(2026, 5, 31) + dt.timedelta(days=1)  # 05-31 is a Sunday → Monday 06-01
    event = case.events.get(action="extension_approved")
    assert event.approver == supervisor

    with at("2026-05-20"):
        case = petition_reply(
            actor=clerk_a,
            case=case,
            version=case.version,
            request="退还分期手续费",
            facts="银行未充分提示费率",
            decision="support",
            legal_basis="《商业银行信用卡业务监督管理办法》",
        )
        assert case.status == "replied" and case.due_on is None
        with pytest.raises(ValidationError) as exc:
            case_close(actor=clerk_a, case=case, version=case.version)
        assert "送达后才能办结" in exc.value.messages[0]
        case = petition_deliver(actor=clerk_a, case=case, version=case.version)
        case = case_close(actor=clerk_a, case=case, version=case.version, result="已支持并退费")
    assert case.status == "closed" and case.closure == "resolved"
    assert case.closed_at is not None and case.closed_on_time is True
    actions = list(case.events.values_list("action", flat=True))
    assert actions == [
        "registered",
        "accepted",
        "progress",
        "extension_requested",
        "extension_approved",
        "replied",
        "delivered",
        "closed",
    ]
    assert case.history.count() >= 8
    assert AuditEntry.objects.filter(action="complaints.case.extended", object_id=case.pk).exists()


def test_petition_accepted_late_is_not_on_time(register, clerk_a):
    with at("2026-03-10"):
        case = register("petition", petition_kind="suggestion")
    with at("2026-04-01"):
        case = petition_accept(actor=clerk_a, case=case, version=case.version, route="转业务科室研究")
        # A suggestion's reply runs on P-SUGGEST: 60 days from 04-01 is 05-31, a Sunday → Monday 06-01.
        assert open_deadlines(case) == {"P-SUGGEST": dt.date(2026, 6, 1)}
        case = petition_suggestion_reply(
            actor=clerk_a, case=case, version=case.version, adoption="partly", content="部分采纳，增设老年人窗口"
        )
        case = petition_deliver(actor=clerk_a, case=case, version=case.version)
        case = case_close(actor=clerk_a, case=case, version=case.version)
    assert case.closed_on_time is False


def test_petition_not_accepted_closes_with_a_notice(register, clerk_a, frozen):
    case = register("petition")
    case = petition_not_accept(actor=clerk_a, case=case, version=case.version, reason="已经或者依法应当通过诉讼解决")
    assert case.status == "closed" and case.closure == "not_accepted"
    assert case.documents.get().kind == "non_acceptance"
    assert open_deadlines(case) == {}


def test_sent_down_petition_objection_within_five_working_days(register, clerk_a):
    with at("2026-03-10"):
        case = register("petition", channel="sent_down", reference_no="交办〔2026〕3号")
    with at("2026-03-17"):
        case = petition_not_our_remit(
            actor=clerk_a, case=case, version=case.version, mode="objection", body="属地方金融管理部门职责"
        )
    assert case.closure == "not_our_remit"
    assert Deadline.objects.get(object_id=case.pk, rule__code="P-OBJ").status == "done"


def test_objection_after_the_five_working_days_is_refused(register, clerk_a):
    with at("2026-03-10"):
        case = register("petition", channel="sent_down", reference_no="交办〔2026〕3号")
    with at("2026-03-18"), pytest.raises(ValidationError) as exc:
        petition_not_our_remit(actor=clerk_a, case=case, version=case.version, mode="objection", body="x")
    assert "期限已于 2026-03-17 届满" in exc.value.messages[0]
    assert reload(case).status == "registered"


def test_objection_only_for_sent_down_items_but_redirect_for_any(register, clerk_a, frozen):
    case = register("petition")
    with pytest.raises(ValidationError):
        petition_not_our_remit(actor=clerk_a, case=case, version=case.version, mode="objection", body="x")
    case = petition_not_our_remit(actor=clerk_a, case=case, version=case.version, mode="redirect", body="向法院起诉")
    assert case.status == "closed" and case.closure == "not_our_remit"


def test_duplicate_links_to_the_first_case_and_closes(register, clerk_a, frozen):
    first = register("petition")
    second = register("petition")
    third = register("petition")
    second = case_mark_duplicate(actor=clerk_a, case=second, version=second.version, first_case=first)
    third = case_mark_duplicate(actor=clerk_a, case=third, version=third.version, first_case=second)
    assert second.duplicate_of == first and second.closure == "duplicate"
    assert third.duplicate_of == first  # linked to the root
    assert first.events.filter(action="repeat_linked").count() == 2
    with pytest.raises(ValidationError):
        case_mark_duplicate(actor=clerk_a, case=first, version=reload(first).version, first_case=first)


def test_illegal_transition_is_refused_and_changes_nothing(register, clerk_a, frozen):
    case = register("petition")
    before = (case.status, case.version, case.events.count())
    with pytest.raises(ValidationError) as exc:
        petition_reply(
            actor=clerk_a, case=case, version=case.version, request="r", facts="f", decision="support", legal_basis="l"
        )
    assert "不能出具信访处理意见书" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        report_accept(actor=clerk_a, case=case, version=case.version)
    assert "信访案件不能受理" in exc.value.messages[0]
    case = reload(case)
    assert (case.status, case.version, case.events.count()) == before


def test_extension_limited_to_the_rule_maximum_and_one_pending(register, clerk_a, supervisor, frozen):
    case = register("petition")
    case = petition_accept(actor=clerk_a, case=case, version=case.version, route="办理")
    with pytest.raises(ValidationError) as exc:
        extension_request(actor=clerk_a, case=case, version=case.version, days=31, reason="复杂")
    assert "最长延期 30 天" in exc.value.messages[0]
    request = extension_request(actor=clerk_a, case=case, version=case.version, days=30, reason="复杂")
    with pytest.raises(ValidationError):
        extension_request(actor=clerk_a, case=reload(case), version=reload(case).version, days=1, reason="再延")
    with pytest.raises(ValidationError):
        extension_decide(actor=supervisor, request=request, approve=False)  # a refusal needs a note
    extension_decide(actor=supervisor, request=request, approve=False, note="理由不充分")
    assert ExtensionRequest.objects.get(pk=request.pk).state == "rejected"
    assert reload(case).events.filter(action="extension_rejected", approver=supervisor).exists()


def test_extension_approved_into_a_year_not_yet_verified_is_provisional(register, clerk_a, supervisor):
    with at("2026-10-20"):
        case2 = register("petition")
        case2 = petition_accept(actor=clerk_a, case=case2, version=case2.version, route="办理")
        assert case2.due_on == dt.date(2026, 12, 21) and not case2.due_provisional
        request = extension_request(actor=clerk_a, case=case2, version=case2.version, days=30, reason="复杂")
        extension_decide(actor=supervisor, request=request, approve=True)
    assert ExtensionRequest.objects.get(pk=request.pk).state == "approved"
    case2 = reload(case2)
    # 2026-10-20 + 90 days = 2027-01-18 (Monday) over the predicted 2027 draft: provisional.
    assert case2.due_on == dt.date(2027, 1, 18) and case2.due_provisional
    reply = Deadline.objects.get(object_id=case2.pk, content_type__model="case", rule__code="P-REPLY")
    assert reply.provisional_years == "2027" and "2027d" in reply.calendar_stamp


def test_accepting_when_the_reply_deadline_reaches_a_year_not_yet_verified(register, clerk_a):
    with at("2026-11-02"):
        case = register("petition")
    with at("2026-11-10"):
        case = petition_accept(actor=clerk_a, case=case, version=case.version, route="办理")
    case = reload(case)
    assert case.status == "accepted"
    # 60 calendar days after 2026-11-10 is 2027-01-09, a Saturday: the next working day of the draft is 01-11.
    assert open_deadlines(case) == {"P-REPLY": dt.date(2027, 1, 11)}
    assert case.due_on == dt.date(2027, 1, 11) and case.due_provisional


# --- 举报 -------------------------------------------------------------------------------------------


def test_report_path_materials_accept_finding_notify_close(register, clerk_a):
    with at("2026-03-02"):
        case = register("report", materials_complete=False)
        assert case.due_on is None
    with at("2026-03-05"):
        case = report_materials_complete(actor=clerk_a, case=case, version=case.version)
    assert open_deadlines(case) == {"R-ACK": dt.date(2026, 3, 20)}
    with at("2026-03-09"):
        case = report_accept(actor=clerk_a, case=case, version=case.version, note="事实具体")
    assert open_deadlines(case) == {"R-FIND": dt.date(2026, 5, 8)}
    assert case.documents.filter(kind="report_acceptance").exists()
    with at("2026-04-10"):
        case = report_finding(actor=clerk_a, case=case, version=case.version, finding="partly", facts="部分属实")
        with pytest.raises(ValidationError):
            case_close(actor=clerk_a, case=case, version=case.version)
        case = report_notify(actor=clerk_a, case=case, version=case.version)
        case = case_close(actor=clerk_a, case=case, version=case.version)
    assert case.finding == "partly" and case.closed_on_time is True


def test_report_request_materials_stops_the_clock(register, clerk_a, frozen):
    case = register("report")
    assert case.due_on is not None
    case = report_request_materials(actor=clerk_a, case=case, version=case.version, missing="缺少交易凭证")
    assert case.status == "materials_pending" and case.due_on is None


def test_anonymous_report_has_no_deadlines_and_no_notices(register, clerk_a, frozen):
    case = register("report", is_anonymous=True)
    case = report_accept(actor=clerk_a, case=case, version=case.version)
    assert case.due_on is None and not case.documents.exists()
    case = report_finding(actor=clerk_a, case=case, version=case.version, finding="not_substantiated", facts="未发现")
    with pytest.raises(ValidationError):
        report_notify(actor=clerk_a, case=case, version=case.version)
    case = case_close(actor=clerk_a, case=case, version=case.version)
    assert case.status == "closed" and not Deadline.objects.filter(object_id=case.pk).exists()


def test_report_acceptance_needs_an_identified_institution(register, clerk_a, frozen):
    case = register("report", institution=None)
    with pytest.raises(ValidationError) as exc:
        report_accept(actor=clerk_a, case=case, version=case.version)
    assert "被举报机构" in exc.value.messages[0]
    case = report_not_accept(actor=clerk_a, case=case, version=case.version, reason="被举报对象不明确")
    assert case.closure == "not_accepted" and case.documents.get().kind == "report_non_acceptance"


# --- 转办投诉 ---------------------------------------------------------------------------------------


def test_complaint_path_forward_acknowledge_extend_reply_follow_up_close(register, clerk_a, institution):
    with at("2026-03-10"):
        case = register("complaint")
    with at("2026-03-12"):
        forwarding = complaint_forward(
            told_via="phone", told_on=TOLD_ON, actor=clerk_a, case=case, version=case.version, requirement="15日内答复"
        )
    case = reload(case)
    assert forwarding.slip_number == "莱州金融监管支局〔2026〕1号" and forwarding.institution == institution
    assert case.status == "forwarded"
    # Forwarding ends the office's C-FWD; the institution's clock waits for its 签收.
    assert open_deadlines(case) == {}
    assert case.documents.filter(kind="forwarding_slip").exists()
    with at("2026-03-13"):
        case = complaint_institution_acknowledge(
            actor=clerk_a, case=case, version=case.version, acknowledged_by="张经理"
        )
        assert open_deadlines(case) == {"C-INST": dt.date(2026, 3, 30)}  # 03-28 is a Saturday → Monday 03-30
        assert Deadline.objects.get(object_id=case.pk, rule__code="C-INST").institution_id == institution.pk
        case = complaint_institution_extend(
            actor=clerk_a, case=case, version=case.version, level="complex", reason="需调取监控"
        )
    assert case.due_on == dt.date(2026, 4, 13)  # 30 days from 03-13 = 04-12 (Sunday) → Monday 04-13
    with at("2026-03-14"):
        case = complaint_institution_extend(
            actor=clerk_a,
            case=case,
            version=case.version,
            level="very_complex",
            reason="涉及总行",
            approved_by="某银行烟台分行 王副行长",
            approved_on=dt.date(2026, 3, 14),
        )
    assert case.due_on == dt.date(2026, 5, 12)  # 60 days from 03-13: Tuesday 05-12
    with at("2026-03-14"), pytest.raises(ValidationError):
        complaint_institution_extend(actor=clerk_a, case=case, version=case.version, level="complex", reason="x")
    with at("2026-04-20"):
        case = complaint_institution_reply(actor=clerk_a, case=case, version=case.version, result="已退还手续费")
        assert case.forwarding.replied_late is False
        with pytest.raises(ValidationError) as exc:
            case_close(actor=clerk_a, case=case, version=case.version)
        assert "回访" in exc.value.messages[0]
        case = complaint_follow_up(actor=clerk_a, case=case, version=case.version, satisfaction="satisfied")
        case = case_close(actor=clerk_a, case=case, version=case.version)
    assert case.status == "closed" and case.satisfaction == "satisfied" and case.closed_on_time is True
    assert case.extension_requests.count() == 2


def test_institution_late_reply_is_recorded(register, clerk_a):
    with at("2026-03-10"):
        case = register("complaint")
        complaint_forward(told_via="phone", told_on=TOLD_ON, actor=clerk_a, case=case, version=case.version)
    with at("2026-04-01"):
        case = complaint_institution_reply(
            actor=clerk_a, case=reload(case), version=reload(case).version, result="已处理"
        )
    assert case.forwarding.replied_late is True


def test_forwarding_late_makes_the_office_late(register, clerk_a):
    with at("2026-03-10"):
        case = register("complaint")
    with at("2026-03-20"):
        complaint_forward(told_via="phone", told_on=TOLD_ON, actor=clerk_a, case=case, version=case.version)
        case = complaint_escalate(
            actor=clerk_a, case=reload(case), version=reload(case).version, route="other", note="移交公安机关"
        )
    assert case.closure == "escalated" and case.closed_on_time is False


# --- Steps, reassignment, guards ------------------------------------------------------------------


def test_closed_loop_steps_in_order_with_deadlines(register, clerk_a, clerk_b, frozen):
    case = register("petition")
    with pytest.raises(ValidationError):
        case_step_start(
            actor=clerk_a, case=case, version=case.version, kind="feedback", owner=clerk_b, due_on=dt.date(2026, 3, 13)
        )
    step = case_step_start(
        actor=clerk_a, case=case, version=case.version, kind="opinion", owner=clerk_b, due_on=dt.date(2026, 3, 13)
    )
    case = reload(case)
    assert case.due_on == dt.date(2026, 3, 13)  # the step's date is the earliest
    deadline = Deadline.objects.get(content_type__model="casestep", object_id=step.pk)
    assert deadline.owner == clerk_b and deadline.item_kind == "case:step"
    case_step_complete(actor=clerk_b, step=step, version=case.version, note="建议支持")
    case = reload(case)
    assert case.due_on == dt.date(2026, 3, 25)
    assert Deadline.objects.get(pk=deadline.pk).status == "done"
    step2 = case_step_start(
        actor=clerk_a, case=case, version=case.version, kind="due_diligence", owner=clerk_a, due_on=dt.date(2026, 3, 20)
    )
    assert list(CaseStep.objects.filter(case=case).values_list("kind", flat=True)) == ["opinion", "due_diligence"]
    assert step2.owner == clerk_a


def test_reassignment_needs_the_supervisor_and_moves_deadlines(register, clerk_a, clerk_b, supervisor, frozen):
    case = register("petition")
    with pytest.raises(PermissionDenied):
        case_reassign(actor=clerk_a, case=case, version=case.version, owner=clerk_b, backup=clerk_a, reason="x")
    case = case_reassign(
        actor=supervisor, case=case, version=case.version, owner=clerk_b, backup=clerk_a, reason="A岗长期培训"
    )
    assert (case.owner, case.backup) == (clerk_b, clerk_a)
    assert Deadline.objects.get(object_id=case.pk).owner == clerk_b
    event = CaseEvent.objects.get(case=case, action="reassigned")
    assert event.approver == supervisor and "A岗长期培训" in event.note


def test_stale_version_is_refused(register, clerk_a, clerk_b, frozen):
    case = register("petition")
    seen = case.version
    petition_accept(actor=clerk_b, case=case, version=seen, route="B岗受理")
    with pytest.raises(ValidationError) as exc:
        case_record_progress(actor=clerk_a, case=case, version=seen, note="A岗基于旧页面保存")
    assert exc.value.messages == [STALE_MESSAGE]
    assert not reload(case).events.filter(action="progress").exists()


def test_other_clerks_and_outsiders_cannot_act(register, clerk_a, other_clerk, orgs, frozen):
    from core.roles import Role
    from tests.factories import make_user

    colleague = make_user(org=orgs["laizhou"], role=Role.CLERK)
    case = register("petition")
    for actor in (colleague, other_clerk):
        with pytest.raises(PermissionDenied):
            petition_accept(actor=actor, case=case, version=case.version, route="x")
    assert reload(case).status == "registered"
