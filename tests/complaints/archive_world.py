"""Cases worked through their whole path by the services, ready to be filed (tests of the archive)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from complaints.services import (
    attachment_add,
    case_close,
    complaint_follow_up,
    complaint_forward,
    complaint_institution_reply,
    petition_accept,
    petition_deliver,
    petition_reply,
)
from tests.factories import at


def pdf_upload(name: str = "核查笔录.pdf", pages: int = 2) -> SimpleUploadedFile:
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def png_upload(name: str = "现场照片.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def text_upload(name: str = "情况说明.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "银行已退还手续费。".encode(), content_type="text/plain")


def closed_petition(register, actor, *, evidence: bool = True, deliver: bool = True):
    """A 申诉求决 petition received 2026-03-10, accepted, replied, delivered and closed on 2026-04-20."""
    with at("2026-03-10"):
        case = register("petition")
    with at("2026-03-12"):
        case = petition_accept(actor=actor, case=case, version=case.version, route="由本局消保科调查处理")
        if evidence:
            attachment_add(actor=actor, case=case, upload=pdf_upload(), kind="evidence", description="询问笔录")
            attachment_add(actor=actor, case=case, upload=png_upload(), kind="evidence")
            attachment_add(actor=actor, case=case, upload=text_upload(), kind="other")
    with at("2026-04-20"):
        case.refresh_from_db()
        case = petition_reply(
            actor=actor,
            case=case,
            version=case.version,
            request="退还分期手续费",
            facts="银行未充分提示费率",
            decision="support",
            legal_basis="《商业银行信用卡业务监督管理办法》",
        )
        if deliver:
            case = petition_deliver(actor=actor, case=case, version=case.version)
            case = case_close(actor=actor, case=case, version=case.version, result="已支持并退费")
    return case


def closed_complaint(register, actor):
    with at("2026-03-10"):
        case = register("complaint")
    with at("2026-03-12"):
        complaint_forward(
            actor=actor,
            case=case,
            version=case.version,
            told_via="phone",
            told_on=case.received_on,
            requirement="15日内答复",
        )
        case.refresh_from_db()
    with at("2026-03-20"):
        case = complaint_institution_reply(actor=actor, case=case, version=case.version, result="已退还手续费")
        case = complaint_follow_up(actor=actor, case=case, version=case.version, satisfaction="satisfied")
        case = case_close(actor=actor, case=case, version=case.version)
    return case
