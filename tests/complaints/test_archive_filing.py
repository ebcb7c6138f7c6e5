"""Filing a closed case (docs/domain.md, "归档"): the check, the supervisor's override, retention, and the filed
case read-only in the services, the case page and the admin; later results as supplements."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints.models import Case, CaseArchive, CaseSupplement
from complaints.services import (
    attachment_add,
    case_reassign,
    case_record_progress,
    contact_correct,
)
from complaints.services.archive import case_file
from complaints.services.archive_rules import is_major_matter, retention_years
from complaints.services.common import FILED_MESSAGE
from complaints.services.mediation_link import case_record_mediation_outcome, case_update_mediation_amount
from core.models import AuditEntry
from tests.complaints.archive_world import closed_complaint, closed_petition, pdf_upload
from tests.factories import at

pytestmark = pytest.mark.django_db


def case_page(client, case):
    return client.get(reverse("complaints:case_detail", args=[case.pk])).content.decode()


def file_form_data(html: str, **fields) -> dict:
    """The 归档 form as the case page renders it: its hidden version, plus what the user types."""
    form = re.search(r'<form[^>]*data-archive="case_file".*?</form>', html, re.S)
    assert form, "the case page shows no 归档 form"
    version = re.search(r'name="version" value="(\d+)"', form.group(0)).group(1)
    return {"version": version, **fields}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_complete_petition_is_filed_through_the_case_page_with_its_retention(
    client_for, register, clerk_a, private_files
):
    case = closed_petition(register, clerk_a)
    client = client_for(clerk_a)
    with at("2026-05-06"):
        html = case_page(client, case)
        assert 'data-testid="filing-complete"' in html
        assert "10年（今日归档则至2036-12-31）" in html
        response = client.post(reverse("complaints:case_file", args=[case.pk]), file_form_data(html), follow=True)
    assert any("已归档" in m for m in messages_of(response))
    archive = CaseArchive.objects.get(case=case)
    assert archive.archive_number == "莱州金融监管支局归〔2026〕1号"
    assert (archive.retention_years, archive.retention_until) == (10, dt.date(2036, 12, 31))
    assert archive.missing == [] and archive.approved_by is None
    assert case.events.filter(action="filed", actor=clerk_a).exists()
    assert AuditEntry.objects.filter(action="complaints.case.filed", object_id=case.pk).exists()
    # The page now shows the retention and no way to change the case.
    with at("2026-05-06"):
        html = case_page(client, case)
    assert "10年（至2036-12-31）" in html and 'data-testid="filed-badge"' in html
    assert "办理操作" not in html and "attachment_upload" not in html and 'data-archive="case_file"' not in html


def test_incomplete_file_is_refused_for_the_clerk_with_the_missing_items_listed(
    client_for, register, clerk_a, private_files
):
    case = closed_petition(register, clerk_a, evidence=False)
    client = client_for(clerk_a)
    with at("2026-05-06"):
        html = case_page(client, case)
        assert 'data-testid="filing-missing"' in html and "核查材料（附件）" in html
        # A clerk is not offered the supervisor's reason field; typing one in changes nothing.
        assert "approval_reason" not in html
        response = client.post(
            reverse("complaints:case_file", args=[case.pk]),
            file_form_data(html, approval_reason="急需归档"),
            follow=True,
        )
    [message] = messages_of(response)
    assert "归档材料不全，缺少：核查材料（附件）" in message and "支局负责人" in message
    assert not CaseArchive.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).version == case.version


def test_supervisor_files_an_incomplete_case_only_with_a_reason(
    client_for, register, clerk_a, supervisor, private_files
):
    case = closed_petition(register, clerk_a, evidence=False)
    client = client_for(supervisor)
    with at("2026-05-06"):
        html = case_page(client, case)
        assert "approval_reason" in html
        response = client.post(reverse("complaints:case_file", args=[case.pk]), file_form_data(html), follow=True)
        assert any("如仍要归档，请填写理由" in m for m in messages_of(response))
        assert not CaseArchive.objects.filter(case=case).exists()
        html = case_page(client, case)
        client.post(
            reverse("complaints:case_file", args=[case.pk]),
            file_form_data(html, approval_reason="当事人拒绝提供材料，已电话核实"),
        )
    archive = CaseArchive.objects.get(case=case)
    assert archive.missing == ["核查材料（附件）"] and archive.approved_by == supervisor
    assert archive.approval_reason == "当事人拒绝提供材料，已电话核实"
    assert case.events.get(action="filed").approver == supervisor


def test_complaint_file_needs_the_slip_the_reply_and_the_follow_up(register, clerk_a):
    case = closed_complaint(register, clerk_a)
    with at("2026-04-01"):
        archive = case_file(actor=clerk_a, case=case, version=Case.objects.get(pk=case.pk).version)
    assert archive.missing == []


def test_open_case_and_a_second_filing_are_refused(register, clerk_a, supervisor, frozen):
    case = register("petition")
    with pytest.raises(ValidationError, match="尚未办结"):
        case_file(actor=supervisor, case=case, version=case.version, approval_reason="x")
    closed = closed_petition(register, clerk_a, evidence=False)
    with at("2026-05-06"):
        case_file(actor=supervisor, case=closed, version=closed.version, approval_reason="材料缺失")
        with pytest.raises(ValidationError) as exc:
            case_file(actor=supervisor, case=closed, version=closed.version + 1, approval_reason="再次")
    assert str(FILED_MESSAGE) in exc.value.messages[0]


def test_permanent_retention_is_the_supervisors_choice_with_a_reason(register, clerk_a, supervisor):
    case = closed_petition(register, clerk_a)
    with at("2026-05-06"):
        with pytest.raises(PermissionDenied):
            case_file(actor=clerk_a, case=case, version=case.version, permanent=True, permanent_reason="重要")
        with pytest.raises(ValidationError, match="永久保管的理由"):
            case_file(actor=supervisor, case=case, version=case.version, permanent=True)
        archive = case_file(
            actor=supervisor, case=case, version=case.version, permanent=True, permanent_reason="典型案例"
        )
    assert archive.is_permanent and archive.retention_until is None and archive.retention_label == "永久"


def test_major_matters_are_kept_permanently_and_the_years_are_settings(settings, register, clerk_a, frozen):
    case = register("report")
    settings.ARCHIVE_RETENTION_YEARS_REPORT = 30
    assert retention_years(case) == 30 and not is_major_matter(case)
    # The 重大 flag is wired through is_major_matter (docs/domain.md, "归档").
    case.is_major = True
    assert is_major_matter(case) and retention_years(case) is None


# --- Read-only once filed ----------------------------------------------------------------------------------


@pytest.fixture
def filed(register, clerk_a):
    case = closed_petition(register, clerk_a)
    with at("2026-05-06"):
        case_file(actor=clerk_a, case=case, version=case.version)
    return Case.objects.get(pk=case.pk)


def test_every_service_refuses_to_change_a_filed_case(filed, clerk_a, clerk_b, supervisor):
    case = filed
    contact = case.contacts.get()
    version = case.version
    attempts = [
        lambda: case_record_progress(actor=clerk_a, case=case, version=version, note="补记"),
        lambda: case_reassign(actor=supervisor, case=case, version=version, owner=clerk_b, backup=None, reason="x"),
        lambda: attachment_add(actor=clerk_a, case=case, upload=pdf_upload(), kind="evidence"),
        lambda: contact_correct(
            actor=supervisor, contact=contact, version=contact.version, reason="更正", phone="13911112222"
        ),
        lambda: case_record_mediation_outcome(
            actor=clerk_a, case=case, resolved=True, result="调解成功", amount_recovered=None
        ),
    ]
    events = case.events.count()
    for attempt in attempts:
        with at("2026-05-07"), pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.messages == [str(FILED_MESSAGE)]
    after = Case.objects.get(pk=case.pk)
    assert after.version == case.version and after.events.count() == events
    assert after.attachments.count() == 2 + 1


def test_a_later_mediation_amount_becomes_a_supplement(filed, clerk_a):
    case_update_mediation_amount(actor=clerk_a, case=filed, amount_recovered=1200)
    assert Case.objects.get(pk=filed.pk).amount_recovered is None
    assert "1200" in CaseSupplement.objects.get(case=filed).text


def test_case_page_of_a_filed_case_offers_no_action_and_refuses_a_posted_one(client_for, filed, clerk_a):
    client = client_for(clerk_a)
    html = case_page(client, filed)
    assert "data-action=" not in html and 'data-archive="supplement_add"' in html
    response = client.post(
        reverse("complaints:case_action", args=[filed.pk, "progress"]),
        {"version": filed.version, "note": "补记"},
        follow=True,
    )
    assert str(FILED_MESSAGE) in messages_of(response)
    assert Case.objects.get(pk=filed.pk).version == filed.version


def test_admin_shows_a_filed_case_read_only(client_for, administrator, filed):
    client = client_for(administrator)
    url = reverse("admin:complaints_case_change", args=[filed.pk])
    html = client.get(url).content.decode()
    assert 'name="_save"' not in html and 'name="summary"' not in html
    assert client.post(url, {"summary": "改写"}).status_code == 403
    assert Case.objects.get(pk=filed.pk).summary == filed.summary
    document = filed.documents.first()
    assert (
        client.post(reverse("admin:complaints_casedocument_delete", args=[document.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert filed.documents.filter(pk=document.pk).exists()


def test_supplement_is_added_through_the_case_page_with_history(client_for, filed, clerk_a, other_clerk):
    client = client_for(clerk_a)
    response = client.post(
        reverse("complaints:supplement_add", args=[filed.pk]),
        {"kind": "review_result", "text": "烟台分局复查维持原处理意见"},
        follow=True,
    )
    assert any("补充材料/更正已添加" in m for m in messages_of(response))
    supplement = CaseSupplement.objects.get(case=filed)
    assert supplement.history.count() == 1 and supplement.added_by == clerk_a
    assert "烟台分局复查维持原处理意见" in case_page(client, filed)
    assert Case.objects.get(pk=filed.pk).version == filed.version
    # An empty text or an outsider changes nothing.
    client.post(reverse("complaints:supplement_add", args=[filed.pk]), {"kind": "correction", "text": " "})
    assert (
        client_for(other_clerk)
        .post(reverse("complaints:supplement_add", args=[filed.pk]), {"kind": "correction", "text": "x"})
        .status_code
        == 404
    )
    assert CaseSupplement.objects.filter(case=filed).count() == 1


def test_supplement_on_a_case_not_filed_is_refused(register, clerk_a, frozen):
    from complaints.services.archive import case_supplement_add

    case = register("petition")
    with pytest.raises(ValidationError, match="尚未归档"):
        case_supplement_add(actor=clerk_a, case=case, kind="correction", text="更正")
