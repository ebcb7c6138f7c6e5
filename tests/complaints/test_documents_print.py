"""The documents a case produces, downloaded as the clerk does and checked as the office would before sealing
them (GB/T 9704-2012 as far as a PDF can): A4, serif Chinese faces embedded (never a sans-serif body), the
office's full name and the document's one number at the head, the signing office and the date on the page of
the last paragraph, the 转办单 with the office's contact and a tear-off 回执."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from complaints.services import (
    complaint_forward,
    petition_accept,
    petition_not_accept,
    petition_reply,
    report_accept,
    report_finding,
)
from tests.helpers import PrintedPdf

pytestmark = pytest.mark.django_db
# The day the frozen clock stands on: the complainant is told of the forwarding the day it happens.
TOLD_ON = dt.date(2026, 3, 10)

FULL_NAME = "国家金融监督管理总局莱州监管支局"
LONG_TEXT = (
    "申请人反映银行在办理信用卡分期业务时未充分告知手续费率及提前还款的违约金计算方式，要求退还已收取的手续费。" * 6
)


def download(client, case, kind, tmp_path) -> tuple:
    """Press the document's link on the case page, as the clerk does, and read the file back."""
    document = case.documents.get(kind=kind)
    page = client.get(reverse("complaints:case_detail", args=[case.pk])).content.decode()
    url = reverse("complaints:document_pdf", args=[case.pk, document.pk])
    assert f'href="{url}"' in page, "the case page links the document"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return document, PrintedPdf(content, tmp_path)


def assert_official(pdf: PrintedPdf, document, *, last_paragraph: str, date="2026年3月10日"):
    assert re.search(r"Page size: +595\.\d+ x 841\.\d+ pts", pdf.info)  # A4 portrait
    pdf.assert_serif_cjk_embedded()
    assert pdf.page_of(FULL_NAME) == 1 and pdf.page_of(document.number) == 1
    # One number per document: the office's 〔year〕N号, and no other document number beside it.
    assert re.fullmatch(r"莱州金融监管支局〔2026〕\d+号", document.number)
    assert set(re.findall(r"〔\d{4}〕\d+号", pdf.text)) == {document.number.removeprefix("莱州金融监管支局")}
    # The signing office and the date (no zero padding) on the page of the last paragraph.
    last_page = pdf.pages[pdf.page_of(last_paragraph) - 1]
    assert date in last_page and last_page.count(FULL_NAME) >= 1
    assert last_page.rindex(date) > last_page.index("".join(last_paragraph.split()))


def test_acceptance_notice_is_ready_to_seal(client_for, clerk_a, register, frozen, tmp_path):
    case = register("petition")
    case = petition_accept(
        actor=clerk_a, case=case, version=case.version, route="由本局消保科调查处理", note="请保持电话畅通。"
    )
    document, pdf = download(client_for(clerk_a), case, "acceptance", tmp_path)
    assert document.number == "莱州金融监管支局〔2026〕1号"
    assert pdf.page_count == 1
    assert "信访事项受理告知书" in pdf.text and "由本局消保科调查处理" in pdf.text
    assert_official(pdf, document, last_paragraph="特此告知。")


def test_each_document_of_the_office_takes_the_next_number_of_one_counter(client_for, clerk_a, register, frozen):
    first = petition_accept(actor=clerk_a, case=register("petition"), version=1, route="办理")
    refused = petition_not_accept(actor=clerk_a, case=register("petition"), version=1, reason="已进入诉讼程序")
    report = report_accept(actor=clerk_a, case=register("report"), version=1)
    numbers = [case.documents.get().number for case in (first, refused, report)]
    assert numbers == [f"莱州金融监管支局〔2026〕{n}号" for n in (1, 2, 3)]


def test_non_acceptance_and_report_notices(client_for, clerk_a, register, frozen, tmp_path):
    refused = register("petition")
    refused = petition_not_accept(actor=clerk_a, case=refused, version=1, reason="已进入诉讼程序", legal_basis="条例")
    document, pdf = download(client_for(clerk_a), refused, "non_acceptance", tmp_path)
    assert pdf.page_count == 1 and "已进入诉讼程序" in pdf.text
    assert_official(pdf, document, last_paragraph="特此告知。")

    report = register("report")
    report = report_accept(actor=clerk_a, case=report, version=1)
    report = report_finding(
        actor=clerk_a, case=report, version=report.version, finding="substantiated", facts=LONG_TEXT
    )
    document, pdf = download(client_for(clerk_a), report, "report_finding", tmp_path)
    assert "举报调查结论告知书" in pdf.text and "查实" in pdf.text
    assert_official(pdf, document, last_paragraph="本机关依法对举报人的身份信息和举报材料保密。")


def test_a_long_petition_reply_keeps_its_signature_with_the_last_paragraph(
    client_for, clerk_a, register, frozen, tmp_path
):
    case = petition_accept(actor=clerk_a, case=register("petition"), version=1, route="办理")
    case = petition_reply(
        actor=clerk_a,
        case=case,
        version=case.version,
        request=LONG_TEXT,
        facts=LONG_TEXT * 2,
        decision="explain",
        legal_basis="《信访工作条例》第三十二条",
    )
    document, pdf = download(client_for(clerk_a), case, "petition_reply", tmp_path)
    assert pdf.page_count >= 2  # long enough to run over a page: the signature must not be stranded
    last = "可以自收到本意见书之日起30日内请求原办理机关的上一级机关复查"
    assert_official(pdf, document, last_paragraph=last)
    assert pdf.page_of(last) == pdf.page_count and "解释说明" in pdf.text


def test_forwarding_slip_carries_the_office_contact_and_a_tear_off_receipt(
    client_for, clerk_a, register, institution, frozen, tmp_path
):
    clerk_a.phone = "0535-2211001"
    clerk_a.save(update_fields=["phone"])
    case = register("complaint")
    complaint_forward(
        told_via="phone", told_on=TOLD_ON, actor=clerk_a, case=case, version=1, requirement="请15日内处理"
    )
    case.refresh_from_db()
    document, pdf = download(client_for(clerk_a), case, "forwarding_slip", tmp_path)
    # The slip's number is its document number: one number, shown on the case page too.
    assert case.forwarding.slip_number == document.number == "莱州金融监管支局〔2026〕1号"
    assert_official(pdf, document, last_paragraph="请依法保护投诉人个人信息，不得用于其他用途。", date="2026年3月10日")
    # The office's contact for the institution: the handling clerk and their telephone, above the signature.
    assert "本局联系人：林晓岚联系电话：0535-2211001" in pdf.pages[0]
    # A short complaint: the slip and its tear-off 回执 on one sheet; the 回执 carries the number and the
    # institution, and the lines the institution fills in, signs and seals.
    assert pdf.page_count == 1
    receipt = pdf.text[pdf.text.index("沿此线剪下") :]
    for line in ("转办单回执", "转办单文号", document.number, institution.full_name, "签收人", "签收日期", "机构盖章"):
        assert line in receipt, line


def test_forwarding_slip_contact_falls_back_to_the_office_phone_and_a_long_receipt_moves_whole(
    client_for, clerk_a, register, frozen, tmp_path
):
    case = register("complaint", content=LONG_TEXT * 2)
    complaint_forward(told_via="phone", told_on=TOLD_ON, actor=clerk_a, case=case, version=1)
    document, pdf = download(client_for(clerk_a), case.__class__.objects.get(pk=case.pk), "forwarding_slip", tmp_path)
    assert "本局联系人：林晓岚联系电话：0535-2200000" in pdf.text  # the clerk has no phone: the office's
    assert pdf.page_count == 2
    # The signature stays with the slip's last lines; the 回执 is not split: all of it on the second page.
    assert_official(pdf, document, last_paragraph="请依法保护投诉人个人信息，不得用于其他用途。")
    assert pdf.page_of("办理时限") == pdf.page_of("请依法保护投诉人个人信息")
    assert pdf.page_of("沿此线剪下") == pdf.page_of("机构盖章") == 2
