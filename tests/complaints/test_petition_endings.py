"""The endings of 建议意见 and 检举控告 (no 支持/不予支持), and the 延期告知书 an approved extension produces
(条例 Art 34 for P-REPLY; the reports' rules for R-FIND); documents read back with pdftotext."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import CaseDocument
from complaints.services import (
    case_close,
    extension_decide,
    extension_request,
    petition_accept,
    petition_reply,
    report_accept,
)
from core.models import Deadline, DeadlineRule
from tests.complaints.page_forms import page_actions, page_form
from tests.complaints.test_documents_and_attachments import fetch_pdf, pdf_text
from tests.factories import at

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def page(client, case):
    return client.get(reverse("complaints:case_detail", args=[case.pk])).content.decode()


def test_p_reply_cites_article_34_and_its_extension_tells_the_petitioner(
    register, clerk_a, supervisor, client_for, tmp_path
):
    assert DeadlineRule.objects.get(code="P-REPLY").legal_source == "《信访工作条例》第三十四条"
    with at("2026-03-10"):
        case = register("petition")
        case = petition_accept(actor=clerk_a, case=case, version=case.version, route="调查处理")
    with at("2026-04-20"):
        request = extension_request(actor=clerk_a, case=case, version=case.version, days=20, reason="需调取通话录音")
        # Before approval there is no notice to the petitioner.
        assert not CaseDocument.objects.filter(case=case, kind="extension_notice").exists()
        extension_decide(actor=supervisor, request=request, approve=True, note="同意")
        document, content = fetch_pdf(client_for(clerk_a), case, "extension_notice")
    text = pdf_text(tmp_path, content)
    # 60 days from 03-10 (05-09, a Saturday worked in exchange) + 20 = 05-29.
    assert Deadline.objects.get(object_id=case.pk, rule__code="P-REPLY").due_on == D("2026-05-29")
    for words in ("延期告知书", "王小明", "需调取通话录音", "《信访工作条例》第三十四条", "延长20日", "2026年5月29日"):
        assert words in text, words
    assert document.number in text and document.issued_on == D("2026-04-20")


def test_r_find_extension_also_produces_the_notice_but_not_for_an_anonymous_report(
    register, clerk_a, supervisor, client_for, tmp_path
):
    with at("2026-03-10"):
        report = register("report")
        report = report_accept(actor=clerk_a, case=report, version=report.version)
        anonymous = register("report", is_anonymous=True, name="", phone="", id_number="")
        anonymous = report_accept(actor=clerk_a, case=anonymous, version=anonymous.version)
    with at("2026-04-01"):
        request = extension_request(actor=clerk_a, case=report, version=report.version, days=30, reason="需现场检查")
        extension_decide(actor=supervisor, request=request, approve=True)
        text = pdf_text(tmp_path, fetch_pdf(client_for(clerk_a), report, "extension_notice")[1])
    assert "延期告知书" in text and "《银行保险违法行为举报处理办法》" in text and "延长30日" in text
    assert not anonymous.documents.filter(kind="extension_notice").exists()


def test_a_suggestion_is_answered_with_its_adoption_not_a_decision(register, clerk_a, client_for, tmp_path):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        case = register("petition", petition_kind="suggestion", summary="建议增设老年人服务窗口")
        case = petition_accept(actor=clerk_a, case=case, version=case.version, route="转业务科室研究")
        assert Deadline.objects.get(object_id=case.pk, rule__code="P-SUGGEST").due_on == D("2026-05-09")
        actions = page_actions(page(client, case))
        assert "petition_suggestion_reply" in actions and "petition_reply" not in actions
        # The 意见书 with a 支持 decision is not for a suggestion, whatever is posted.
        with pytest.raises(ValidationError) as refused:
            petition_reply(
                actor=clerk_a, case=case, version=case.version, request="r", facts="f", decision="support",
                legal_basis="l",
            )  # fmt: skip
        assert "不作支持或不予支持的处理意见" in refused.value.messages[0]
        form = page_form(page(client, case), data_action="petition_suggestion_reply")
        assert form.selects["adoption"] == ["adopted", "partly", "not_adopted"]
        client.post(form.url, form.fill(adoption="partly", content="部分采纳：已督促辖内网点设置爱心窗口。"))
        case.refresh_from_db()
        assert case.status == "replied" and case.decision == ""
        text = pdf_text(tmp_path, fetch_pdf(client, case, "suggestion_reply")[1])
        assert "建议意见答复书" in text and "部分采纳" in text and "爱心窗口" in text and "不予支持" not in text
        assert page_actions(page(client, case))[:2] == ["progress", "petition_deliver"]
        form = page_form(page(client, case), data_action="petition_deliver")
        client.post(form.url, form.fill(on="2026-03-10"))
        form = page_form(page(client, case), data_action="close")
        client.post(form.url, form.fill())
    case.refresh_from_db()
    assert case.status == "closed" and case.closure == "resolved" and case.closed_on_time is True
    assert Deadline.objects.get(object_id=case.pk, rule__code="P-SUGGEST").status == "done"


def test_an_accusation_result_is_told_where_the_rules_allow(register, clerk_a, client_for, tmp_path):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        told = register("petition", petition_kind="accusation")
        told = petition_accept(actor=clerk_a, case=told, version=told.version, route="依规定调查")
        form = page_form(page(client, told), data_action="petition_accusation_result")
        client.post(form.url, form.fill(result="经查，网点员工违规代客操作，已责令整改。", tell="on"))
        text = pdf_text(tmp_path, fetch_pdf(client, told, "accusation_result")[1])
        assert "检举控告办理结果告知书" in text and "已责令整改" in text

        untold = register("petition", petition_kind="accusation", phone="13912345678", id_number="")
        untold = petition_accept(actor=clerk_a, case=untold, version=untold.version, route="依规定调查")
        form = page_form(page(client, untold), data_action="petition_accusation_result")
        values = form.fill(result="已移交纪检部门。")
        values.pop("tell", None)  # the box unticked
        # Not telling needs the rule it rests on.
        assert client.post(form.url, values, follow=True).status_code == 200
        untold.refresh_from_db()
        assert untold.status == "accepted"
        client.post(form.url, {**values, "not_told_reason": "涉及案件调查，依规定不告知"})
        untold.refresh_from_db()
        assert untold.status == "replied" and not untold.documents.filter(kind="accusation_result").exists()
        # Nothing to deliver: the case closes at once.
        assert "petition_deliver" not in page_actions(page(client, untold))
        untold = case_close(actor=clerk_a, case=untold, version=untold.version)
    assert untold.status == "closed"
