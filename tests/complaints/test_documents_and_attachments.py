import datetime as dt
import hashlib
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Attachment
from complaints.services import (
    complaint_forward,
    petition_accept,
    petition_not_accept,
    petition_reply,
    report_accept,
    report_finding,
)
from core.models import AuditEntry
from tests.complaints.conftest import VALID_ID, VALID_PHONE

pytestmark = pytest.mark.django_db
# The day the frozen clock stands on: the complainant is told of the forwarding the day it happens.
TOLD_ON = dt.date(2026, 3, 10)


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # Titles are letter-spaced; compare without any white space.
    return "".join(text.split())


def pdf_fonts(tmp_path) -> str:
    return subprocess.run(["pdffonts", str(tmp_path / "doc.pdf")], capture_output=True, text=True, check=True).stdout


def fetch_pdf(client, case, kind):
    document = case.documents.get(kind=kind)
    response = client.get(reverse("complaints:document_pdf", args=[case.pk, document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return document, b"".join(response.streaming_content) if response.streaming else response.content


def test_acceptance_notice_has_letterhead_number_and_embedded_cjk_font(client_for, clerk_a, register, frozen, tmp_path):
    case = register("petition")
    case = petition_accept(actor=clerk_a, case=case, version=case.version, route="由本局消保科调查处理")
    document, content = fetch_pdf(client_for(clerk_a), case, "acceptance")
    text = pdf_text(tmp_path, content)
    assert "莱州金融监管支局" in text
    assert document.number in text and document.number == "莱州金融监管支局〔2026〕1号"
    assert "信访事项受理告知书" in text and "由本局消保科调查处理" in text
    fonts = pdf_fonts(tmp_path)
    assert "CJK" in fonts and " yes " in fonts  # embedded
    assert AuditEntry.objects.filter(action="complaints.document.printed").exists()


def test_non_acceptance_and_reply_documents(client_for, clerk_a, register, frozen, tmp_path):
    refused = register("petition")
    refused = petition_not_accept(actor=clerk_a, case=refused, version=1, reason="已进入诉讼程序", legal_basis="条例")
    text = pdf_text(tmp_path, fetch_pdf(client_for(clerk_a), refused, "non_acceptance")[1])
    assert "不予受理告知书" in text and "已进入诉讼程序" in text

    case = register("petition")
    case = petition_accept(actor=clerk_a, case=case, version=1, route="办理")
    case = petition_reply(
        actor=clerk_a,
        case=case,
        version=case.version,
        request="退还手续费",
        facts="银行未充分提示",
        decision="explain",
        legal_basis="《信访工作条例》",
    )
    document, content = fetch_pdf(client_for(clerk_a), case, "petition_reply")
    text = pdf_text(tmp_path, content)
    for expected in ("信访处理意见书", "退还手续费", "银行未充分提示", "解释说明", "《信访工作条例》", document.number):
        assert expected in text


def test_report_notices(client_for, clerk_a, register, frozen, tmp_path):
    case = register("report")
    case = report_accept(actor=clerk_a, case=case, version=1)
    text = pdf_text(tmp_path, fetch_pdf(client_for(clerk_a), case, "report_acceptance")[1])
    assert "举报受理告知书" in text and "予以受理" in text
    case = report_finding(actor=clerk_a, case=case, version=case.version, finding="substantiated", facts="违规收费属实")
    text = pdf_text(tmp_path, fetch_pdf(client_for(clerk_a), case, "report_finding")[1])
    assert "查实" in text and "违规收费属实" in text


def test_forwarding_slip_carries_only_what_the_institution_needs(
    client_for, clerk_a, register, institution, frozen, tmp_path
):
    case = register("complaint", address="山东省莱州市文昌路街道幸福小区3号楼")
    complaint_forward(
        told_via="phone", told_on=TOLD_ON, actor=clerk_a, case=case, version=1, requirement="请15日内处理"
    )
    case.refresh_from_db()
    document, content = fetch_pdf(client_for(clerk_a), case, "forwarding_slip")
    text = pdf_text(tmp_path, content)
    assert "投诉转办单" in text and document.number in text and case.forwarding.slip_number == document.number
    assert institution.full_name in text and "请15日内处理" in text
    assert "王小明" in text and "138****5678" in text
    assert VALID_PHONE not in text and VALID_ID not in text and "370683" not in text
    assert "幸福小区" not in text
    # The institution's 15 days run from its 签收, which the slip cannot know yet.
    assert "请自签收之日起15日内作出处理决定" in text


def test_other_clerk_of_the_office_cannot_print_documents(client_for, clerk_a, orgs, register, frozen):
    from core.roles import Role
    from tests.factories import make_user

    case = register("petition")
    case = petition_accept(actor=clerk_a, case=case, version=1, route="办理")
    colleague = make_user(org=orgs["laizhou"], role=Role.CLERK)
    document = case.documents.get()
    assert client_for(colleague).get(reverse("complaints:document_pdf", args=[case.pk, document.pk])).status_code == 403


# --- Attachments ----------------------------------------------------------------------------------------


def upload(client, case, name, content, kind="evidence"):
    return client.post(
        reverse("complaints:attachment_upload", args=[case.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content), "description": "核查"},
        follow=True,
    )


def test_upload_stores_privately_with_sha256_and_download_is_logged(
    client_for, clerk_a, orgs, register, private_files, settings, frozen
):
    case = register("complaint")
    content = b"%PDF-1.4 evidence"
    response = upload(client_for(clerk_a), case, "银行流水.pdf", content)
    assert "附件已上传" in response.content.decode()
    attachment = Attachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.original_name == "银行流水.pdf" and attachment.kind == "evidence"
    stored = private_files / attachment.file.name
    assert stored.read_bytes() == content
    assert "银行流水" not in attachment.file.name  # the stored name carries no user-given name
    assert str(settings.STATIC_ROOT) not in str(stored)

    from core.roles import Role
    from tests.factories import make_user

    colleague = make_user(org=orgs["laizhou"], role=Role.CLERK)
    response = client_for(colleague).get(reverse("complaints:attachment_download", args=[case.pk, attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert "attachment" in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="complaints.attachment.downloaded")
    assert entry.actor == colleague and entry.object_id == attachment.pk


def test_upload_too_large_is_refused_with_a_clear_message(
    client_for, clerk_a, register, private_files, settings, frozen
):
    settings.UPLOAD_MAX_BYTES = 10
    case = register("complaint")
    response = upload(client_for(clerk_a), case, "大文件.pdf", b"%PDF-1.4 " + b"x" * 100)
    assert "超过上限" in response.content.decode()
    assert not Attachment.objects.exists()


def test_upload_of_wrong_type_is_refused(client_for, clerk_a, register, private_files, frozen):
    case = register("complaint")
    client = client_for(clerk_a)
    assert "不支持的文件类型" in upload(client, case, "病毒.exe", b"MZ\x90\x00").content.decode()
    assert "内容与扩展名不符" in upload(client, case, "假图片.png", b"not a png").content.decode()
    assert not Attachment.objects.exists()
    assert not list(private_files.rglob("*.*"))


def test_only_a_b_and_supervisor_upload(client_for, orgs, register, private_files, frozen):
    from core.roles import Role
    from tests.factories import make_user

    case = register("complaint")
    colleague = make_user(org=orgs["laizhou"], role=Role.CLERK)
    response = upload(client_for(colleague), case, "a.pdf", b"%PDF-1.4")
    assert "只有本案件的A岗、B岗或支局负责人" in response.content.decode()
    assert not Attachment.objects.exists()


def _download(client, case, attachment):
    return client.get(reverse("complaints:attachment_download", args=[case.pk, attachment.pk]))


def test_download_type_is_decided_from_the_content_not_from_the_browser(
    client_for, clerk_a, register, private_files, frozen
):
    case = register("complaint")
    client = client_for(clerk_a)
    # The browser claims a web page; the content is a PDF, and a PDF is what is stored and served.
    client.post(
        reverse("complaints:attachment_upload", args=[case.pk]),
        {"kind": "evidence", "file": SimpleUploadedFile("回执.pdf", b"%PDF-1.4 receipt", content_type="text/html")},
    )
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"

    response = _download(client, case, attachment)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><script>alert(1)</script>",
        b"\xef\xbb\xbf  <html><body onload=alert(1)>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><svg/>',
    ],
)
def test_web_page_or_svg_disguised_as_text_is_refused(client_for, clerk_a, register, private_files, frozen, content):
    case = register("complaint")
    response = upload(client_for(clerk_a), case, "说明.txt", content)
    assert "文件“说明.txt”是网页或脚本内容，不能作为文本文件上传" in response.content.decode()
    assert not Attachment.objects.exists()


def test_plain_text_with_angle_brackets_inside_is_still_accepted(client_for, clerk_a, register, private_files, frozen):
    case = register("complaint")
    upload(client_for(clerk_a), case, "记录.txt", "来电记录：客户称 <某银行> 多收费用。".encode())
    assert Attachment.objects.get().content_type == "text/plain"


@pytest.mark.parametrize(
    ("stored_type", "served"),
    [
        ("text/html", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/pdf", "application/pdf"),
        ("", "application/octet-stream"),
    ],
)
def test_rows_stored_with_the_browser_type_are_served_safely(
    client_for, clerk_a, register, private_files, frozen, stored_type, served
):
    case = register("complaint")
    client = client_for(clerk_a)
    upload(client, case, "材料.pdf", b"%PDF-1.4 old row")
    attachment = Attachment.objects.get()
    # An attachment uploaded before the type was decided at upload kept what the browser sent.
    attachment.content_type = stored_type
    attachment.save()

    response = _download(client, case, attachment)
    assert response["Content-Type"] == served
    assert response["Content-Disposition"].startswith("attachment;")
