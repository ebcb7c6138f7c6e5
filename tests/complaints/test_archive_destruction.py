"""Cases past retention: proposed, approved by the supervisor, carried out, logged; and the yearly archive list
(归档目录) as Excel (docs/domain.md, "归档")."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints.models import Case, CaseArchive, DestructionDecision
from complaints.services.archive import case_file
from complaints.services.archive_destruction import destruction_decide, destruction_propose
from core.models import AuditEntry
from tests.complaints.archive_world import pdf_upload
from tests.factories import at, make_case

pytestmark = pytest.mark.django_db


def filed_case(clerk_a, supervisor, *, received_on, filed_on, permanent=False, **fields):
    """A closed case built directly and filed by the supervisor (its file incomplete, with a reason)."""
    case = make_case(
        owner=clerk_a, org=clerk_a.org, received_on=received_on, status="closed", closure="resolved", **fields
    )
    with at(filed_on):
        from complaints.services import attachment_add

        if not permanent:
            attachment_add(actor=clerk_a, case=case, upload=pdf_upload(), kind="evidence")
        case.refresh_from_db()
        return case_file(
            actor=supervisor,
            case=case,
            version=case.version,
            approval_reason="历史件",
            permanent=permanent,
            permanent_reason="典型案例" if permanent else "",
        )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_destruction_only_after_the_supervisors_approval(
    client_for, clerk_a, supervisor, private_files, django_capture_on_commit_callbacks
):
    archive = filed_case(clerk_a, supervisor, received_on=dt.date(2016, 3, 2), filed_on="2016-05-10")
    assert archive.retention_until == dt.date(2026, 12, 31)
    attachment = archive.case.attachments.get()
    storage, stored = attachment.file.storage, attachment.file.name
    # Not yet due on the last day of retention: not listed, and a proposal is refused. (People sign in on the day:
    # a session from another day has timed out.)
    with at("2026-12-31"):
        clerk = client_for(clerk_a)
        assert archive.archive_number not in clerk.get(reverse("complaints:destruction_index")).content.decode()
        with pytest.raises(ValidationError, match="尚未届满"):
            destruction_propose(actor=clerk_a, archive=archive, reason="到期")
    with at("2027-01-04"):
        clerk = client_for(clerk_a)
        html = clerk.get(reverse("complaints:destruction_index")).content.decode()
        assert archive.archive_number in html
        response = clerk.post(
            reverse("complaints:destruction_propose", args=[archive.pk]), {"reason": "保管期限已满"}, follow=True
        )
        assert "已提出销毁，待支局负责人审批。" in messages_of(response)
        decision = DestructionDecision.objects.get(archive=archive)
        # Proposed is not destroyed: the files and the personal data are all still there.
        assert decision.state == "proposed" and storage.exists(stored)
        assert Case.objects.get(pk=archive.case_id).name == "王小明"
        # The clerk cannot approve, through the page or the service.
        response = clerk.post(
            reverse("complaints:destruction_decide", args=[decision.pk]), {"decision": "approve"}, follow=True
        )
        assert "只有支局负责人可以审批销毁。" in messages_of(response)
        with pytest.raises(PermissionDenied):
            destruction_decide(actor=clerk_a, decision=decision, approve=True)
        assert storage.exists(stored) and DestructionDecision.objects.get(pk=decision.pk).state == "proposed"
        # The supervisor approves through the form the page shows.
        from django.test import Client

        from tests.auth import sign_in

        sup = sign_in(Client(), supervisor)
        assert 'data-archive="destruction_decide"' in sup.get(reverse("complaints:destruction_index")).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            sup.post(
                reverse("complaints:destruction_decide", args=[decision.pk]), {"decision": "approve", "note": "同意"}
            )
    decision.refresh_from_db()
    archive.refresh_from_db()
    case = Case.objects.get(pk=archive.case_id)
    assert decision.state == "approved" and decision.decided_by == supervisor
    assert decision.destroyed_files[0] == {"name": attachment.original_name, "sha256": attachment.sha256}
    assert archive.destroyed_at is not None and not storage.exists(stored)
    assert (case.name, case.phone, case.id_number, case.content) == ("", "", "", "")
    assert not case.history.exclude(name="").exists()
    # The records stay: the case's ledger row, its archive row, the decision, the audit entries.
    assert case.number == decision.case_number and CaseArchive.objects.filter(pk=archive.pk).exists()
    actions = set(AuditEntry.objects.filter(object_id=case.pk).values_list("action", flat=True))
    assert {"complaints.case.destruction_proposed", "complaints.case.destroyed"} <= actions
    with at("2027-01-05"):
        sup = sign_in(Client(), supervisor)
        html = sup.get(reverse("complaints:destruction_index")).content.decode()
    assert "已批准并销毁" in html


def test_rejection_needs_a_note_and_destroys_nothing(clerk_a, supervisor, private_files):
    archive = filed_case(clerk_a, supervisor, received_on=dt.date(2016, 3, 2), filed_on="2016-05-10")
    with at("2027-01-04"):
        decision = destruction_propose(actor=clerk_a, archive=archive, reason="到期")
        with pytest.raises(ValidationError, match="已有待审批"):
            destruction_propose(actor=clerk_a, archive=archive, reason="再次")
        with pytest.raises(ValidationError, match="审批意见"):
            destruction_decide(actor=supervisor, decision=decision, approve=False)
        destruction_decide(actor=supervisor, decision=decision, approve=False, note="涉诉，继续保存")
    archive.refresh_from_db()
    assert archive.destroyed_at is None and Case.objects.get(pk=archive.case_id).name == "王小明"
    assert DestructionDecision.objects.get(pk=decision.pk).state == "rejected"


def test_permanent_files_are_never_due(clerk_a, supervisor, private_files):
    archive = filed_case(clerk_a, supervisor, received_on=dt.date(2000, 3, 2), filed_on="2000-05-10", permanent=True)
    with at("2090-01-04"), pytest.raises(ValidationError, match="永久保管"):
        destruction_propose(actor=clerk_a, archive=archive, reason="到期")


def test_destruction_page_query_count_does_not_grow_with_rows(
    client_for, clerk_a, supervisor, private_files, django_assert_max_num_queries
):
    for day in range(1, 4):
        filed_case(clerk_a, supervisor, received_on=dt.date(2015, 3, day), filed_on=f"2015-05-0{day}")
    with at("2026-01-05"):
        client = client_for(supervisor)
        destruction_propose(actor=clerk_a, archive=CaseArchive.objects.first(), reason="到期")
        # The session, the user, the user's roles and office, the navigation's notices and calendar check (as every
        # page), then: the due filings with their cases (one query), the decisions with their people (one query).
        with django_assert_max_num_queries(12):
            response = client.get(reverse("complaints:destruction_index"))
    assert response.status_code == 200
    assert len(response.context["due"]) == 2 and len(response.context["pending"]) == 1


# --- 归档目录 ----------------------------------------------------------------------------------------------------


def test_archive_list_as_excel_with_numbers_as_numbers(client_for, clerk_a, supervisor, private_files):
    first = filed_case(clerk_a, supervisor, received_on=dt.date(2026, 1, 5), filed_on="2026-03-02")
    second = filed_case(clerk_a, supervisor, received_on=dt.date(2026, 2, 5), filed_on="2026-04-02", permanent=True)
    filed_case(clerk_a, supervisor, received_on=dt.date(2025, 2, 5), filed_on="2025-12-30")  # another year
    client = client_for(clerk_a)
    with at("2026-05-01"):
        html = client.get(reverse("complaints:archive_index"), {"year": 2026}).content.decode()
        assert first.archive_number in html and second.archive_number in html
        response = client.get(reverse("complaints:archive_index"), {"year": 2026, "format": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert sheet.title == "归档目录"
    assert "2026年归档目录" in sheet.cell(1, 1).value
    header = [cell.value for cell in sheet[3]]
    assert header[:4] == ["序号", "归档号", "案件编号", "类型"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4) if row[0].value is not None]
    assert [row[1] for row in rows] == [first.archive_number, second.archive_number]
    by = dict(zip(header, rows[0], strict=True))
    assert by["序号"] == 1 and isinstance(by["序号"], int)
    assert by["保管期限（年）"] == 10 and by["保管期限"] == "至2036-12-31"
    assert by["附件数"] == 1 and by["信访人/投诉人"] == "王**"
    assert by["归档日期"].date() == dt.date(2026, 3, 2)
    assert dict(zip(header, rows[1], strict=True))["保管期限"] == "永久"
    # Print-ready: landscape, fitted to the page width, the header repeated on every page.
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$3"
    assert AuditEntry.objects.filter(action="complaints.archive.list_exported").exists()


def test_archive_list_query_count_does_not_grow_with_rows(
    client_for, clerk_a, supervisor, private_files, django_assert_max_num_queries
):
    for day in range(1, 5):
        filed_case(clerk_a, supervisor, received_on=dt.date(2026, 1, day), filed_on=f"2026-03-0{day}")
    client = client_for(clerk_a)
    with at("2026-05-01"):
        # As every page (session, user, roles and office, notices, calendar check), then the year's filings with
        # their cases, institutions and counts: one query.
        with django_assert_max_num_queries(10):
            response = client.get(reverse("complaints:archive_index"), {"year": 2026})
        # The workbook: the session, the user, the user's roles, the office, the year's filings (one query), then
        # the audit entry of the export (the content type, a savepoint, the chain head moved and read, the entry,
        # the new head hash, the release): 12 whatever the number of rows.
        with django_assert_max_num_queries(12):
            client.get(reverse("complaints:archive_index"), {"year": 2026, "format": "xlsx"})
    assert len(response.context["archives"]) == 4


def test_archive_list_of_another_office_is_not_shown(client_for, other_clerk, clerk_a, supervisor, orgs):
    client = client_for(other_clerk)
    assert client.get(reverse("complaints:archive_index"), {"org": orgs["laizhou"].pk}).status_code == 404
    # A year out of range falls back to this year, with a message.
    with at("2026-05-01"):
        response = client.get(reverse("complaints:archive_index"), {"year": 99999})
    assert response.status_code == 200 and response.context["year"] == 2026
    assert any(re.search("年度须在", m) for m in messages_of(response))
