"""The 调解协议书 read back as text, with a CJK font embedded."""

import re
import subprocess

import pytest
from django.urls import reverse

from mediation.models import Side
from mediation.services import agent_add
from tests.helpers import PrintedPdf

pytestmark = pytest.mark.django_db


def test_agreement_pdf_has_parties_facts_terms_and_performance(
    frozen, client_for, clerk_a, make_mediation, paper_mediator, tmp_path, private_files
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_mediation(stage="agreement", mediator=paper_mediator)
    agent_add(
        actor=clerk_a,
        case=case,
        side=Side.RESPONDENT,
        name="赵律师",
        authority="特别授权",
        upload=SimpleUploadedFile("授权委托书.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    response = client_for(clerk_a).get(reverse("mediation:agreement_pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "agreement.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    for expected in (
        "调解协议书",
        "王小明",
        "莱州农商银行",
        "赵律师",
        "孔德明",
        "申请人称办理分期时未被告知手续费率",
        "手续费是否已充分告知",
        "被申请人退还手续费2000元",
        "2000.00",
        "银行转账",
        "2026年3月22日",
        "司法确认",
    ):
        assert expected in compact, expected
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts


def test_agreement_is_ready_to_sign_and_seal(frozen, client_for, clerk_a, make_mediation, paper_mediator, tmp_path):
    """Downloaded as the clerk does: serif faces, the workstation and the agreement's one number at the head,
    and the parties' signature lines, the workstation and the date on the page of the last clause (they were
    once stranded alone on page 2)."""
    case = make_mediation(stage="agreement", mediator=paper_mediator)
    page = client_for(clerk_a).get(reverse("mediation:detail", args=[case.pk])).content.decode()
    url = reverse("mediation:agreement_pdf", args=[case.pk])
    assert f'href="{url}"' in page
    response = client_for(clerk_a).get(url)
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    pdf = PrintedPdf(response.content, tmp_path)
    pdf.assert_serif_cjk_embedded()
    case.refresh_from_db()
    assert pdf.page_of("“莱和州安”金融纠纷调解工作站") == pdf.page_of(case.agreement_number) == 1
    assert set(re.findall(r"〔\d{4}〕\d+号", pdf.text)) == {re.search(r"〔\d{4}〕\d+号", case.agreement_number)[0]}
    last_clause = "本协议一式三份，双方当事人和调解工作站各执一份。"
    last_page = pdf.pages[pdf.page_of(last_clause) - 1]
    signed_on = f"{case.concluded_on.year}年{case.concluded_on.month}月{case.concluded_on.day}日"
    for line in ("申请人（签名）", "被申请人（盖章）", "调解员（签名）", signed_on):
        assert line in last_page, line
    assert last_page.count("“莱和州安”金融纠纷调解工作站") >= 1
    assert pdf.page_of(last_clause) == pdf.page_count


def test_agreement_pdf_exists_only_for_an_agreement(frozen, client_for, clerk_a, make_mediation, paper_mediator):
    case = make_mediation(stage="session", mediator=paper_mediator)
    assert client_for(clerk_a).get(reverse("mediation:agreement_pdf", args=[case.pk])).status_code == 404


def test_agent_document_is_checked_stored_privately_and_downloaded_through_the_view(
    frozen, client_for, clerk_a, other_clerk, make_mediation, private_files
):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_mediation()
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        agent_add(
            actor=clerk_a,
            case=case,
            side=Side.APPLICANT,
            name="王大明",
            upload=SimpleUploadedFile("委托书.pdf", b"not a pdf", content_type="application/pdf"),
        )
    agent = agent_add(
        actor=clerk_a,
        case=case,
        side=Side.APPLICANT,
        name="王大明",
        upload=SimpleUploadedFile("委托书.pdf", b"%PDF-1.4 body", content_type="application/pdf"),
    )
    assert str(private_files) in agent.document.path and "委托书" not in agent.document.name
    url = reverse("mediation:agent_document", args=[case.pk, agent.pk])
    response = client_for(clerk_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 body"
    assert client_for(other_clerk).get(url).status_code == 404
