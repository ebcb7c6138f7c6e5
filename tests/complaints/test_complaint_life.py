"""The whole life of a 转办投诉 (docs/domain.md, "受理渠道与流程" and "期限规则"): the complainant told of the
forwarding, the institution's clock from its 签收, a second extension approved upstairs, pauses, a repeat with new
facts, withdrawal, and a 不满意 回访 that escalates instead of closing as resolved. Services, at fixed dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import Attachment, Case, CaseEvent
from complaints.services import (
    attachment_add,
    case_close,
    complaint_check_request,
    complaint_check_result,
    complaint_follow_up,
    complaint_forward,
    complaint_institution_acknowledge,
    complaint_institution_extend,
    complaint_institution_reply,
    complaint_restart,
    complaint_to_report,
    complaint_withdraw,
)
from core.models import Deadline
from core.services.deadlines import deadline_pause, deadline_resume
from tests.factories import at

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def reload(case) -> Case:
    return Case.objects.get(pk=case.pk)


def clock(case, code) -> Deadline | None:
    return Deadline.objects.filter(object_id=case.pk, rule__code=code).order_by("-id").first()


def state(case):
    """What a refusal must leave alone: the case row, its timeline, its documents, its deadlines."""
    fresh = reload(case)
    deadlines = Deadline.objects.filter(object_id=case.pk).order_by("id")
    forwarding = getattr(fresh, "forwarding", None)
    return (
        fresh.version,
        fresh.status,
        fresh.due_on,
        fresh.satisfaction,
        CaseEvent.objects.filter(case=case).count(),
        fresh.documents.count(),
        [(d.rule.code, d.status, d.due_on, d.extension_days) for d in deadlines],
        forwarding and (forwarding.extension, forwarding.extension_approved_by, forwarding.check_requested_on),
        Case.objects.count(),
    )


def forward(case, actor, on):
    with at(on):
        complaint_forward(actor=actor, case=reload(case), version=reload(case).version, told_via="phone", told_on=D(on))
    return reload(case)


def acknowledge(case, actor, on):
    with at(on):
        complaint_institution_acknowledge(actor=actor, case=reload(case), version=reload(case).version)
    return reload(case)


def replied(register, actor, *, satisfaction):
    """A complaint received, forwarded, signed for and answered in March 2026, then followed up."""
    with at("2026-03-10"):
        case = register("complaint")
    case = acknowledge(forward(case, actor, "2026-03-10"), actor, "2026-03-11")
    with at("2026-03-20"):
        complaint_institution_reply(actor=actor, case=case, version=case.version, result="已解释，不予退费")
        case = reload(case)
        complaint_follow_up(actor=actor, case=case, version=case.version, satisfaction=satisfaction, note="仍要求退费")
    return reload(case)


# --- The rules at fixed dates around holidays -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "forwarded", "signed", "fwd_due", "inst_due"),
    [
        # Received Tuesday 2025-09-30: 7 working days skip the National Day week and count Saturday 10-11.
        ("2025-09-30", "2025-10-09", "2025-10-10", "2025-10-16", "2025-10-27"),  # 10-25 Sat → Mon 10-27
        # Received Monday 2026-09-14: Sunday 09-20 is a 调休 working day, so the 7th working day is Tuesday 09-22;
        # signed for on 09-16, 15 days land on 10-01 (National Day), so the institution has until 10-08.
        ("2026-09-14", "2026-09-15", "2026-09-16", "2026-09-22", "2026-10-08"),
        # A 签收 days after forwarding: the 15 days run from the 签收, not from the forwarding.
        ("2026-03-10", "2026-03-10", "2026-03-18", "2026-03-19", "2026-04-02"),
    ],
)
def test_c_fwd_runs_from_receipt_and_c_inst_from_the_signature(
    register, clerk_a, received, forwarded, signed, fwd_due, inst_due
):
    with at(received):
        case = register("complaint")
    assert clock(case, "C-FWD").due_on == D(fwd_due)
    case = forward(case, clerk_a, forwarded)
    assert clock(case, "C-FWD").status == "done" and clock(case, "C-INST") is None
    assert case.due_on is None  # nothing of the law runs between forwarding and 签收
    case = acknowledge(case, clerk_a, signed)
    inst = clock(case, "C-INST")
    assert (inst.started_on, inst.due_on, inst.rule_days) == (D(signed), D(inst_due), 15)
    assert case.due_on == D(inst_due) and case.forwarding.acknowledged_on == D(signed)


def test_a_reply_without_a_recorded_signature_is_judged_from_the_forwarding(register, clerk_a):
    with at("2026-03-10"):
        case = register("complaint")
    case = forward(case, clerk_a, "2026-03-10")
    with at("2026-04-01"):
        complaint_institution_reply(actor=clerk_a, case=case, version=case.version, result="已处理")
    case = reload(case)
    assert case.forwarding.replied_late is True and clock(case, "C-INST").started_on == D("2026-03-10")
    assert case.forwarding.acknowledged_on is None


def test_the_check_runs_30_days_from_the_request(register, clerk_a):
    case = replied(register, clerk_a, satisfaction="dissatisfied")
    with at("2026-09-01"):
        complaint_check_request(
            actor=clerk_a,
            case=case,
            version=case.version,
            requested_on=D("2026-09-01"),
            office="莱州农商银行烟台管理部",
        )
    check = clock(case, "C-CHECK")
    # 2026-09-01 + 30 days is 10-01 (National Day): the upper level has until Thursday 10-08.
    assert (check.started_on, check.due_on, check.rule_days) == (D("2026-09-01"), D("2026-10-08"), 30)
    assert reload(case).due_on == D("2026-10-08")


# --- Extensions and pauses -----------------------------------------------------------------------------------------


def test_a_second_extension_needs_the_upper_levels_approval(register, clerk_a):
    with at("2026-03-10"):
        case = register("complaint")
    case = acknowledge(forward(case, clerk_a, "2026-03-10"), clerk_a, "2026-03-13")
    with at("2026-03-16"):
        complaint_institution_extend(
            actor=clerk_a, case=case, version=case.version, level="complex", reason="需调取监控"
        )
        case = reload(case)
        before = state(case)
        with pytest.raises(ValidationError) as refused:
            complaint_institution_extend(
                actor=clerk_a, case=case, version=case.version, level="very_complex", reason="涉及总行"
            )
        assert "上级机构或总行、总公司高级管理人员" in refused.value.message_dict["approved_by"][0]
        with pytest.raises(ValidationError) as refused:
            complaint_institution_extend(
                actor=clerk_a,
                case=case,
                version=case.version,
                level="very_complex",
                reason="涉及总行",
                approved_by="总行消保部 李总经理",
                approved_on=D("2026-03-17"),  # tomorrow
            )
        assert refused.value.message_dict["approved_on"] == ["审批日期应在转办日期和今天之间。"]
        assert state(case) == before
        complaint_institution_extend(
            actor=clerk_a,
            case=case,
            version=case.version,
            level="very_complex",
            reason="涉及总行",
            approved_by="总行消保部 李总经理",
            approved_on=D("2026-03-16"),
        )
    case = reload(case)
    # 60 days in total from the 签收 on 03-13: Tuesday 05-12.
    assert clock(case, "C-INST").due_on == D("2026-05-12") and clock(case, "C-INST").extension_days == 45
    assert (case.forwarding.extension_approved_by, case.forwarding.extension_approved_on) == (
        "总行消保部 李总经理",
        D("2026-03-16"),
    )
    assert (
        "经总行消保部 李总经理于2026-03-16批准"
        in case.events.get(action="institution_extended", note__contains="批准").note
    )


def test_appraisal_or_mediation_time_is_not_counted(register, clerk_a):
    """C-INST honours the generic pauses of core.Deadline (the pause page itself is core's)."""
    with at("2026-03-10"):
        case = register("complaint")
    case = acknowledge(forward(case, clerk_a, "2026-03-10"), clerk_a, "2026-03-13")
    inst = clock(case, "C-INST")
    assert inst.due_on == D("2026-03-30")
    deadline_pause(deadline=inst, start_on=D("2026-03-16"), reason="司法鉴定", actor=clerk_a)
    deadline_resume(deadline=inst, end_on=D("2026-03-20"), actor=clerk_a)
    inst.refresh_from_db()
    # Five paused days (03-16..20) are not counted: 15 counted days end on Thursday 04-02.
    assert inst.due_on == D("2026-04-02")


# --- Repeats --------------------------------------------------------------------------------------------------------


def test_a_repeat_with_new_facts_restarts_the_institutions_clock_and_one_without_does_not(register, clerk_a):
    case = replied(register, clerk_a, satisfaction="satisfied")
    with at("2026-03-25"):
        register("complaint", outcome="repeat", repeat_of=case, summary="再次反映手续费")
    case = reload(case)
    # A repeat without new facts is a repeat: no clock moves.
    assert case.status == "inst_replied" and clock(case, "C-INST").status == "done"
    with at("2026-03-26"):
        before = state(case)
        with pytest.raises(ValidationError):
            complaint_restart(
                actor=clerk_a, case=case, version=case.version, received_on=D("2026-03-27"), facts="新证据"
            )
        assert state(case) == before
        complaint_restart(
            actor=clerk_a, case=case, version=case.version, received_on=D("2026-03-26"), facts="提供了新的录音证据"
        )
    case = reload(case)
    restarted = clock(case, "C-INST")
    assert (restarted.started_on, restarted.due_on, restarted.status) == (D("2026-03-26"), D("2026-04-10"), "open")
    assert case.status == "inst_acknowledged" and case.satisfaction == "" and case.due_on == D("2026-04-10")
    # The institution answers the new facts and the complainant is asked again before the complaint can close.
    with at("2026-04-08"):
        complaint_institution_reply(actor=clerk_a, case=case, version=case.version, result="已退还手续费")
        case = reload(case)
        with pytest.raises(ValidationError) as refused:
            case_close(actor=clerk_a, case=case, version=case.version)
        assert refused.value.messages == ["转办投诉须完成回访后才能办结。"]
        complaint_follow_up(actor=clerk_a, case=case, version=case.version, satisfaction="satisfied")
        case = reload(case)
        case_close(actor=clerk_a, case=case, version=case.version, result="机构已退费")
    case = reload(case)
    assert case.closure == "resolved" and case.forwarding.replied_late is False


def test_new_facts_need_a_repeat_first(register, clerk_a):
    with at("2026-03-10"):
        case = register("complaint")
    case = acknowledge(forward(case, clerk_a, "2026-03-10"), clerk_a, "2026-03-11")
    before = state(case)
    with at("2026-03-12"), pytest.raises(ValidationError) as refused:
        complaint_restart(actor=clerk_a, case=case, version=case.version, received_on=D("2026-03-12"), facts="新事实")
    assert refused.value.messages == ["本件没有登记重复投诉，不能重新起算机构办理期限。"]
    assert state(case) == before


# --- Endings ------------------------------------------------------------------------------------------------------


def test_withdrawal_records_how_and_when_and_stops_the_clocks(register, clerk_a):
    with at("2026-03-10"):
        case = register("complaint")
    case = acknowledge(forward(case, clerk_a, "2026-03-10"), clerk_a, "2026-03-11")
    with at("2026-03-12"):
        before = state(case)
        for on in (D("2026-03-13"), D("2026-03-09")):  # tomorrow; before the complaint arrived
            with pytest.raises(ValidationError):
                complaint_withdraw(actor=clerk_a, case=case, version=case.version, via="letter", on=on)
        assert state(case) == before
        complaint_withdraw(actor=clerk_a, case=case, version=case.version, via="letter", on=D("2026-03-12"))
    case = reload(case)
    assert (case.status, case.closure, case.withdrawn_on, case.withdrawal_via) == (
        "closed",
        "withdrawn",
        D("2026-03-12"),
        "letter",
    )
    assert not Deadline.objects.open().filter(object_id=case.pk).exists() and case.due_on is None
    assert "书面" in case.result


def test_a_dissatisfied_complaint_cannot_be_closed_as_resolved(register, clerk_a):
    case = replied(register, clerk_a, satisfaction="dissatisfied")
    before = state(case)
    with at("2026-03-21"), pytest.raises(ValidationError) as refused:
        case_close(actor=clerk_a, case=case, version=case.version, result="已解决")
    assert refused.value.messages == ["投诉人回访不满意，不能按已解决办结：请转调解、申请机构上级核查或转为举报办理。"]
    assert state(case) == before


def test_the_upper_levels_check_closes_the_complaint_as_escalated(register, clerk_a):
    case = replied(register, clerk_a, satisfaction="dissatisfied")
    with at("2026-03-23"):
        with pytest.raises(ValidationError) as refused:
            complaint_check_request(
                actor=clerk_a, case=case, version=case.version, requested_on=D("2026-03-24"), office="烟台分行"
            )
        assert refused.value.message_dict["requested_on"] == ["申请核查的日期应在回访日期和今天之间。"]
        complaint_check_request(
            actor=clerk_a, case=case, version=case.version, requested_on=D("2026-03-23"), office="烟台分行"
        )
    with at("2026-04-10"):
        case = reload(case)
        complaint_check_result(
            actor=clerk_a, case=case, version=case.version, result="维持原处理决定", on=D("2026-04-10")
        )
    case = reload(case)
    assert case.closure == "escalated" and "维持原处理决定" in case.result
    assert clock(case, "C-CHECK").status == "done" and case.forwarding.check_result_on == D("2026-04-10")


def test_a_report_opened_from_the_complaint_carries_its_materials_and_links_both_ways(register, clerk_a, private_files):
    case = replied(register, clerk_a, satisfaction="dissatisfied")
    with at("2026-03-20"):
        upload = SimpleUploadedFile("回单.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
        attachment_add(actor=clerk_a, case=reload(case), upload=upload, kind="evidence", description="回单")
    with at("2026-03-23"):
        case = reload(case)
        report = complaint_to_report(actor=clerk_a, case=case, version=case.version, note="机构涉嫌违规收费")
    case = reload(case)
    assert report.case_type == "report" and report.number.startswith("JB-2026-")
    assert report.escalated_from == case and list(case.escalated_reports.all()) == [report]
    assert (report.name, report.id_number, report.phone, report.institution) == (
        case.name,
        case.id_number,
        case.phone,
        case.institution,
    )
    assert case.number in report.content and "已解释，不予退费" in report.content
    copied = Attachment.objects.get(case=report)
    assert copied.sha256 == Attachment.objects.get(case=case).sha256 and copied.file.read() == b"%PDF-1.4 receipt"
    assert clock(report, "R-ACK").started_on == D("2026-03-23")
    assert case.closure == "escalated" and report.number in case.result
    assert case.events.filter(action="escalated_to_report").exists()


def test_a_clock_started_at_forwarding_before_the_rule_changed_gives_way_at_the_signature(register, clerk_a):
    """Complaints forwarded before C-INST ran from the 签收 have a clock from the forwarding day."""
    from complaints.services.common import open_rule_deadline

    with at("2026-03-10"):
        case = register("complaint")
    case = forward(case, clerk_a, "2026-03-10")
    legacy = open_rule_deadline(case, rule_code="C-INST", started_on=D("2026-03-10"), label="机构处理", actor=clerk_a)
    case = acknowledge(case, clerk_a, "2026-03-16")
    legacy.refresh_from_db()
    assert legacy.status == "cancelled"
    assert (clock(case, "C-INST").started_on, clock(case, "C-INST").due_on) == (D("2026-03-16"), D("2026-03-31"))
