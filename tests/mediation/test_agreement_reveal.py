"""The agreement PDF follows the reveal rule; mediation lists mask free text (docs/domain.md, "个人信息")."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from tests.helpers import PrintedPdf

from .conftest import VALID_ID

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TYPED = "申请人手机13912345678，卡号6222021234567890128"


def _agreement(client, case, tmp_path) -> PrintedPdf:
    response = client.get(reverse("mediation:agreement_pdf", args=[case.pk]))
    assert response.status_code == 200
    return PrintedPdf(response.content, tmp_path)


def test_the_office_prints_the_full_agreement_and_it_is_logged_as_a_reveal(
    client_for, clerk_a, make_mediation, paper_mediator, tmp_path
):
    case = make_mediation(stage="agreement", mediator=paper_mediator, facts=TYPED)
    pdf = _agreement(client_for(clerk_a), case, tmp_path)
    assert VALID_ID in pdf.text and "13812345678" in pdf.text and "13912345678" in pdf.text
    entry = AuditEntry.objects.get(action="mediation.case.personal_revealed", object_id=case.pk)
    assert entry.actor == clerk_a and entry.data == {"document": "agreement"}


def test_the_branch_reviewer_gets_a_masked_review_copy_and_no_reveal(
    client_for, reviewer, make_mediation, paper_mediator, tmp_path
):
    case = make_mediation(stage="agreement", mediator=paper_mediator, facts=TYPED)
    pdf = _agreement(client_for(reviewer), case, tmp_path)
    for full in (VALID_ID, "13812345678", "某小区1号", "王小明", "13912345678", "6222021234567890128"):
        assert full not in pdf.text, full
    assert "370683********1237" in pdf.text and "138****5678" in pdf.text and "王*" in pdf.text
    assert "139****5678" in pdf.text and "审阅副本" in pdf.text
    assert not AuditEntry.objects.filter(action="mediation.case.personal_revealed").exists()
    printed = AuditEntry.objects.get(action="mediation.agreement.printed")
    assert printed.actor == reviewer and printed.data == {"full_personal_data": False}


def test_mediation_list_and_page_mask_numbers_typed_into_the_summary(client_for, clerk_a, make_mediation):
    case = make_mediation(summary=f"分期争议 {TYPED}", facts=TYPED)
    client = client_for(clerk_a)
    listing = client.get(reverse("mediation:index")).content.decode()
    assert case.number in listing and "13912345678" not in listing and "139****5678" in listing
    detail = client.get(reverse("mediation:detail", args=[case.pk])).content.decode()
    assert "13912345678" not in detail and "6222021234567890128" not in detail
    revealed = client.post(reverse("mediation:detail", args=[case.pk]), {"reveal": "1"}).content.decode()
    assert "13912345678" in revealed


def test_the_admin_never_shows_the_applicants_numbers(client_for, administrator, make_mediation):
    case = make_mediation(summary=f"分期争议 {TYPED}", facts=TYPED)
    client = client_for(administrator)
    for url in (
        reverse("admin:mediation_mediationcase_change", args=[case.pk]),
        reverse("admin:mediation_mediationcase_history", args=[case.pk]),
    ):
        html = client.get(url).content.decode()
        assert VALID_ID not in html and "13812345678" not in html, url
        assert "13912345678" not in html and "6222021234567890128" not in html, url
    assert "139****5678" in client.get(reverse("admin:mediation_mediationcase_change", args=[case.pk])).content.decode()
