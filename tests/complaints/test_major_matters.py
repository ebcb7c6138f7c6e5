"""重大/群体性事项 (docs/domain.md「重大、群体性事项」): flagged at intake or by a supervisor, listed first, and a
紧急报告 to the prefecture branch with a notification to its reviewers (条例 Art 25)."""

import re

import pytest
from django.urls import reverse

from complaints.models import Case, CaseDocument
from core.models import Notification
from core.roles import Role
from tests.complaints.test_views_intake import URL as INTAKE_URL
from tests.complaints.test_views_intake import post_data
from tests.factories import make_user
from tests.helpers import PrintedPdf

pytestmark = pytest.mark.django_db


def detail(case):
    return reverse("complaints:case_detail", args=[case.pk])


def version_of(html: str, form_action: str) -> str:
    block = html[html.index(f'action="{form_action}"') :]
    return re.search(r'name="version" value="(\d+)"', block).group(1)


@pytest.mark.parametrize(
    ("group_size", "amount", "major", "reason"),
    [
        ("20", "", True, "涉及 20 人"),
        ("19", "", False, ""),
        ("1", "1000000.01", True, "涉及金额 1,000,000.01 元"),
        ("1", "1000000", False, ""),
    ],
)
def test_intake_flags_major_at_twenty_people_or_above_the_amount(
    client_for, clerk_a, institution, frozen, group_size, amount, major, reason
):
    data = post_data(institution=institution.pk, group_size=group_size, amount_involved=amount)
    response = client_for(clerk_a).post(INTAKE_URL, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_major is major
    assert reason in case.major_reason if major else case.major_reason == ""


def test_the_amount_threshold_is_a_setting(client_for, clerk_a, institution, frozen, settings):
    settings.MAJOR_MATTER_AMOUNT_YUAN = 50_000
    client_for(clerk_a).post(INTAKE_URL, post_data(institution=institution.pk, amount_involved="60000"))
    assert Case.objects.get().is_major


def test_a_negative_amount_is_refused_and_nothing_is_saved(client_for, clerk_a, institution, frozen):
    response = client_for(clerk_a).post(INTAKE_URL, post_data(institution=institution.pk, amount_involved="-5"))
    assert response.status_code == 400 or "大于或等于" in response.content.decode()
    assert not Case.objects.exists()


def test_supervisor_flags_by_hand_with_a_reason_others_are_refused(
    client_for, clerk_a, supervisor, other_clerk, register, frozen
):
    case = register("complaint")
    url = reverse("complaints:mark_major", args=[case.pk])
    html = client_for(supervisor).get(detail(case)).content.decode()
    data = {"version": version_of(html, url), "reason": "经媒体报道，引发社会关注"}

    # A clerk (even the case's A) does not get the form and is refused; another office does not see the case.
    assert url not in client_for(clerk_a).get(detail(case)).content.decode()
    response = client_for(clerk_a).post(url, data, follow=True)
    assert "只有支局负责人可以审批" in response.content.decode()
    assert client_for(other_clerk).post(url, data).status_code == 404
    case.refresh_from_db()
    assert not case.is_major

    response = client_for(supervisor).post(url, data, follow=True)
    case.refresh_from_db()
    assert case.is_major and case.major_reason == "经媒体报道，引发社会关注"
    assert "重大/群体性" in response.content.decode()


def test_urgent_report_pdf_goes_to_the_branch_and_its_reviewers_are_told(
    client_for, clerk_a, reviewer, institution, frozen, tmp_path
):
    other_reviewer = make_user(org=reviewer.org.parent, role=Role.REVIEWER, username="province_reviewer")
    client = client_for(clerk_a)
    client.post(INTAKE_URL, post_data(institution=institution.pk, group_size="35"))
    case = Case.objects.get()
    url = reverse("complaints:urgent_report", args=[case.pk])
    html = client.get(detail(case)).content.decode()
    data = {
        "version": version_of(html, url),
        "facts": "35名储户到支行集体反映理财产品到期未兑付。",
        "measures": "已约谈支行负责人，现场疏导，要求三日内书面说明。",
    }
    response = client.post(url, data, follow=True)
    assert "紧急报告已出具" in response.content.decode()

    document = CaseDocument.objects.get(case=case, kind="urgent_report")
    assert document.number == "莱州金融监管支局〔2026〕1号"
    pdf_link = reverse("complaints:document_pdf", args=[case.pk, document.pk])
    assert pdf_link in response.content.decode()
    pdf = PrintedPdf(client.get(pdf_link).content, tmp_path)
    assert "紧急报告" in pdf.text and "烟台金融监管分局" in pdf.text and "第二十五条" in pdf.text
    assert "35名储户" in pdf.text and "已约谈支行负责人" in pdf.text and "涉及35人" in pdf.text
    assert "王小明" not in pdf.text and "13812345678" not in pdf.text

    notification = Notification.objects.get(recipient=reviewer)
    assert case.number in notification.title and notification.link == detail(case)
    assert "王小明" not in notification.title + notification.body
    assert not Notification.objects.filter(recipient=other_reviewer).exists()
    assert client_for(reviewer).get(notification.link).status_code == 200


def test_no_urgent_report_for_a_matter_that_is_not_major(client_for, clerk_a, register, frozen):
    case = register("complaint")
    url = reverse("complaints:urgent_report", args=[case.pk])
    assert url not in client_for(clerk_a).get(detail(case)).content.decode()
    response = client_for(clerk_a).post(url, {"version": case.version, "facts": "x", "measures": "y"}, follow=True)
    assert "只有重大/群体性事项才报送紧急报告" in response.content.decode()
    assert not CaseDocument.objects.filter(kind="urgent_report").exists()
    assert not Notification.objects.exists()
