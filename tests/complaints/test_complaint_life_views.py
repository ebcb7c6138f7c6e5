"""The complaint's new actions as a clerk takes them: the form the case page renders, posted back, and the
documents it produces read back with pdftotext (docs/domain.md, "受理渠道与流程")."""

import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse

from complaints.models import Case, CaseEvent
from complaints.services import (
    complaint_follow_up,
    complaint_forward,
    complaint_institution_acknowledge,
    complaint_institution_reply,
)
from core.models import AuditEntry, Deadline
from tests.factories import at

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def detail(case):
    return reverse("complaints:case_detail", args=[case.pk])


def action(case, key):
    return reverse("complaints:case_action", args=[case.pk, key])


def reload(case) -> Case:
    return Case.objects.get(pk=case.pk)


def rendered_fields(html: str, key: str) -> set[str]:
    """The names of the fields of the action form `key` as the page renders it."""
    form = re.search(rf'<form[^>]*action="[^"]*/{key}/"[^>]*>(.*?)</form>', html, re.S)
    assert form, f"the page offers no form for {key}"
    return set(re.findall(r'name="(\w+)"', form.group(1))) - {"csrfmiddlewaretoken"}


def post_action(client, case, key, data):
    """Post the action's form as the page renders it: every field it shows, filled in by `data`."""
    html = client.get(detail(case)).content.decode()
    fields = rendered_fields(html, key)
    assert set(data) <= fields, set(data) - fields
    return client.post(action(case, key), {"version": reload(case).version, **data}, follow=True)


def unchanged(case):
    fresh = reload(case)
    return (
        fresh.version,
        fresh.status,
        CaseEvent.objects.filter(case=case).count(),
        fresh.documents.count(),
        list(Deadline.objects.filter(object_id=case.pk).values_list("status", "due_on", "extension_days")),
    )


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())


def test_forwarding_records_how_and_when_the_complainant_was_told_and_prints_the_notice(
    register, client_for, clerk_a, institution, tmp_path
):
    with at("2026-03-10"):
        case = register("complaint")
    client = client_for(clerk_a)
    with at("2026-03-12"):
        # A date in the future is refused by the form; nothing is forwarded.
        before = unchanged(case)
        response = post_action(client, case, "complaint_forward", {"told_via": "sms", "told_on": "2026-03-13"})
        assert response.status_code == 400 and "日期不能晚于今天。" in response.content.decode()
        # A date before the complaint arrived is refused by the service.
        response = post_action(client, case, "complaint_forward", {"told_via": "sms", "told_on": "2026-03-09"})
        assert "告知投诉人的日期不能早于收到投诉的日期。" in response.content.decode()
        assert unchanged(case) == before

        response = post_action(
            client, case, "complaint_forward", {"told_via": "sms", "told_on": "2026-03-11", "requirement": ""}
        )
    assert response.status_code == 200
    case = reload(case)
    assert (case.forwarding.complainant_told_via, case.forwarding.complainant_told_on) == ("sms", D("2026-03-11"))
    html = response.content.decode()
    assert "2026-03-11 短信" in html
    notice = case.documents.get(kind="forwarding_notice")
    # The page links the notice; following the link prints it.
    link = reverse("complaints:document_pdf", args=[case.pk, notice.pk])
    assert link in html
    pdf = client.get(link)
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(tmp_path, pdf.content)
    for words in (
        "投诉转办告知书",
        "王小明：",
        case.number,
        institution.full_name,
        "《银行业保险业消费投诉处理管理办法》第三十三条",
        "自收到投诉之日起15日内",
        "2026年3月11日以短信方式",
        notice.number,
        "2026年3月12日",
    ):
        assert words in text, words
    assert AuditEntry.objects.filter(
        action="complaints.case.personal_data_revealed", data__document="forwarding_notice"
    )


def _acknowledged(register, clerk_a):
    with at("2026-03-10"):
        case = register("complaint")
        complaint_forward(actor=clerk_a, case=case, version=case.version, told_via="phone", told_on=D("2026-03-10"))
    with at("2026-03-11"):
        case = reload(case)
        complaint_institution_acknowledge(actor=clerk_a, case=case, version=case.version)
    return reload(case)


def test_a_second_extension_without_its_approver_is_refused_on_the_page(register, client_for, clerk_a):
    case = _acknowledged(register, clerk_a)
    client = client_for(clerk_a)
    with at("2026-03-12"):
        before = unchanged(case)
        response = post_action(
            client, case, "complaint_extend", {"level": "very_complex", "reason": "涉及总行", "approved_by": ""}
        )
        assert response.status_code == 400
        assert "须经机构的上级机构或总行、总公司高级管理人员审批" in response.content.decode()
        assert unchanged(case) == before
        response = post_action(
            client,
            case,
            "complaint_extend",
            {
                "level": "very_complex",
                "reason": "涉及总行",
                "approved_by": "烟台分行 赵行长",
                "approved_on": "2026-03-12",
            },
        )
    assert "（审批：烟台分行 赵行长，2026-03-12）" in response.content.decode()
    # 60 days from the 签收 on 03-11: Sunday 05-10 → Monday 05-11.
    assert reload(case).due_on == D("2026-05-11")


def test_withdrawal_through_the_page_closes_the_complaint(register, client_for, clerk_a):
    case = _acknowledged(register, clerk_a)
    client = client_for(clerk_a)
    with at("2026-03-12"):
        response = post_action(client, case, "complaint_withdraw", {"via": "in_person", "on": "2026-03-13"})
        assert response.status_code == 400 and "日期不能晚于今天。" in response.content.decode()
        response = post_action(
            client, case, "complaint_withdraw", {"via": "in_person", "on": "2026-03-12", "note": "已与银行和解"}
        )
    case = reload(case)
    assert case.status == "closed" and case.get_closure_display() == "撤回"
    assert "2026-03-12 当面" in response.content.decode()
    assert not Deadline.objects.open().filter(object_id=case.pk).exists()


def _dissatisfied(register, clerk_a):
    case = _acknowledged(register, clerk_a)
    with at("2026-03-20"):
        complaint_institution_reply(actor=clerk_a, case=case, version=case.version, result="不予退费")
        case = reload(case)
        complaint_follow_up(actor=clerk_a, case=case, version=case.version, satisfaction="dissatisfied")
    return reload(case)


def test_after_dissatisfaction_the_page_refuses_a_resolved_close_and_offers_the_escalations(
    register, client_for, clerk_a
):
    case = _dissatisfied(register, clerk_a)
    client = client_for(clerk_a)
    html = client.get(detail(case)).content.decode()
    offered = re.findall(r'data-action="(\w+)"', html)
    assert "close" not in offered and {"complaint_check", "complaint_to_report"} <= set(offered)
    assert "转调解" in html  # the mediation referral stays on the page
    before = unchanged(case)
    with at("2026-03-21"):
        response = client.post(action(case, "close"), {"version": case.version, "result": "已解决"}, follow=True)
    assert "投诉人回访不满意，不能按已解决办结：请转调解、申请机构上级核查或转为举报办理。" in response.content.decode()
    assert unchanged(case) == before


def test_a_check_requested_and_answered_through_the_page(register, client_for, clerk_a):
    case = _dissatisfied(register, clerk_a)
    client = client_for(clerk_a)
    with at("2026-03-23"):
        post_action(client, case, "complaint_check", {"requested_on": "2026-03-23", "office": "烟台分行"})
    case = reload(case)
    assert Deadline.objects.get(object_id=case.pk, rule__code="C-CHECK").due_on == D("2026-04-22")
    with at("2026-04-01"):
        response = post_action(client, case, "complaint_check_result", {"on": "2026-04-01", "result": "同意退费"})
    case = reload(case)
    assert case.closure == "escalated" and "烟台分行" in response.content.decode()


def test_a_report_opened_through_the_page_links_both_ways(register, client_for, clerk_a):
    case = _dissatisfied(register, clerk_a)
    client = client_for(clerk_a)
    with at("2026-03-23"):
        response = post_action(client, case, "complaint_to_report", {"note": "涉嫌违规收费"})
    report = Case.objects.get(escalated_from=case)
    assert report.number in response.content.decode()
    report_page = client.get(detail(report)).content.decode()
    assert detail(case) in report_page and case.number in report_page
