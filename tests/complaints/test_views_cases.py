import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Attachment, CaseStep
from complaints.services import attachment_add, case_step_start, extension_request, petition_accept
from core.models import Absence, AuditEntry
from tests.complaints.conftest import VALID_ID, VALID_PHONE

pytestmark = pytest.mark.django_db


def detail(case):
    return reverse("complaints:case_detail", args=[case.pk])


def action(case, key):
    return reverse("complaints:case_action", args=[case.pk, key])


@pytest.fixture
def petition(register, frozen):
    return register("petition")


@pytest.fixture
def full_petition(petition, clerk_a, clerk_b, private_files, frozen):
    """A petition with something in every panel: an extension request, a step and an attachment."""
    case = petition_accept(actor=clerk_a, case=petition, version=petition.version, route="调查处理")
    extension_request(actor=clerk_a, case=case, version=case.version, days=10, reason="需调取录音")
    case.refresh_from_db()
    import datetime as dt

    step = case_step_start(
        actor=clerk_a, case=case, version=case.version, kind="opinion", owner=clerk_b, due_on=dt.date(2026, 3, 20)
    )
    case.refresh_from_db()
    attachment_add(
        actor=clerk_a,
        case=case,
        upload=SimpleUploadedFile("谈话记录.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        kind="interview",
        step=step,
    )
    return case


def test_case_page_shows_facts_masked_deadlines_diagram_and_actions(client_for, clerk_a, petition):
    html = client_for(clerk_a).get(detail(petition)).content.decode()
    assert petition.number in html
    assert "370683********1237" in html and VALID_ID not in html
    assert "138****5678" in html and VALID_PHONE not in html
    assert "王**" in html
    assert "<svg" in html and 'data-step="accept" data-state="current"' in html
    assert 'data-step="register" data-state="done"' in html
    assert "2026-03-25" in html and "剩余 11 个工作日（15 天）" in html
    assert "受理告知" in html and "显示完整信息" in html
    assert 'id="acting-handler">林晓岚' in html


def test_acting_handler_follows_absence(client_for, clerk_a, clerk_b, petition):
    Absence.objects.create(user=clerk_a, start_on="2026-03-09", end_on="2026-03-12", created_by=clerk_a)
    html = client_for(clerk_b).get(detail(petition)).content.decode()
    assert 'id="acting-handler">周明远' in html and "B岗代办" in html


def test_reveal_shows_full_data_to_a_and_logs_it(client_for, clerk_a, petition):
    response = client_for(clerk_a).post(reverse("complaints:case_reveal", args=[petition.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert VALID_ID in html and VALID_PHONE in html and "王小明" in html
    entry = AuditEntry.objects.get(action="complaints.case.personal_data_revealed")
    assert entry.actor == clerk_a and entry.object_id == petition.pk
    assert VALID_ID not in str(entry.data)


def test_supervisor_may_reveal_but_another_clerk_may_not(client_for, supervisor, orgs, petition):
    from core.roles import Role
    from tests.factories import make_user

    assert client_for(supervisor).post(reverse("complaints:case_reveal", args=[petition.pk])).status_code == 200
    colleague = make_user(org=orgs["laizhou"], role=Role.CLERK)
    client = client_for(colleague)
    html = client.get(detail(petition)).content.decode()
    assert "显示完整信息" not in html and "办理操作" not in html
    assert client.post(reverse("complaints:case_reveal", args=[petition.pk])).status_code == 403
    response = client.post(action(petition, "petition_accept"), {"version": petition.version, "route": "x"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == "registered"
    assert AuditEntry.objects.filter(action="complaints.case.personal_data_revealed").count() == 1


def test_action_through_the_page(client_for, clerk_a, petition):
    response = client_for(clerk_a).post(action(petition, "petition_accept"), {"version": 1, "route": "由消保科办理"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == "accepted"
    assert "受理告知：已完成" in [str(m) for m in get_messages(response.wsgi_request)][0]


def test_stale_edit_through_the_page_is_refused_and_keeps_the_note(client_for, clerk_a, clerk_b, petition):
    accepted = petition_accept(actor=clerk_b, case=petition, version=1, route="B岗已受理")
    progress = {"version": accepted.version, "note": "先到的记录"}
    client_for(clerk_b).post(action(petition, "progress"), progress)
    petition.refresh_from_db()
    # A's page was opened before B's progress note: refused, and the page shows A's own note again, ready to resend.
    client = client_for(clerk_a)
    response = client.post(action(petition, "progress"), {"version": accepted.version, "note": "A岗旧页面写的说明"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "该案件已被他人修改：页面已显示最新情况，您填写的内容已保留" in html
    assert re.search(r"<textarea[^>]*>\s*A岗旧页面写的说明</textarea>", html)
    assert f'name="version" value="{petition.version}"' in html
    assert list(petition.events.filter(action="progress").values_list("note", flat=True)) == ["先到的记录"]
    # Sent again from that page: it goes through.
    response = client.post(action(petition, "progress"), {"version": petition.version, "note": "A岗旧页面写的说明"})
    assert response.status_code == 302
    assert petition.events.filter(action="progress", note="A岗旧页面写的说明").exists()


def test_stale_edit_of_an_action_that_no_longer_applies_shows_the_typed_text(client_for, clerk_a, clerk_b, petition):
    petition_accept(actor=clerk_b, case=petition, version=1, route="B岗已受理")
    response = client_for(clerk_a).post(
        action(petition, "petition_not_accept"), {"version": 1, "reason": "A岗写的不予受理理由"}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "该操作现在不能进行，您填写的内容未提交：不予受理理由：A岗写的不予受理理由" in html
    petition.refresh_from_db()
    assert petition.status == "accepted"


def test_invalid_action_form_is_shown_again(client_for, clerk_a, petition):
    response = client_for(clerk_a).post(action(petition, "petition_accept"), {"version": 1, "route": ""})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()


def test_unknown_action_is_404(client_for, clerk_a, petition):
    assert client_for(clerk_a).post(action(petition, "explode"), {"version": 1}).status_code == 404


def test_supervisor_approves_an_extension_on_the_page(client_for, clerk_a, supervisor, petition):
    case = petition_accept(actor=clerk_a, case=petition, version=1, route="办理")
    request = extension_request(actor=clerk_a, case=case, version=case.version, days=10, reason="复杂")
    url = reverse("complaints:extension_decide", args=[case.pk, request.pk])
    assert "提交审批" in client_for(supervisor).get(detail(case)).content.decode()
    client_for(clerk_a).post(url, {"decision": "approve"})
    request.refresh_from_db()
    assert request.state == "pending"
    client_for(supervisor).post(url, {"decision": "approve", "note": "同意"})
    request.refresh_from_db()
    assert request.state == "approved" and request.decided_by == supervisor


def test_step_completion_on_the_page(client_for, clerk_b, full_petition):
    step = CaseStep.objects.get(case=full_petition)
    response = client_for(clerk_b).post(
        reverse("complaints:step_complete", args=[full_petition.pk, step.pk]),
        {"version": full_petition.version, "note": "建议支持"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_on is not None


# 1 session, 2 the user with roles and office (one query), 3 the case with its related rows (and its
# 转办 record), 4 every list of the case in one round trip (events, documents, steps, attachments, extension
# requests, deadlines with their rules and open pauses, contacts with their representatives, the last 50 history
# records, the interviews the case led to, the institution's interviews still taking a topic, A/B's absences
# today, a closed petition's reviews and transfer, a filed case's supplements and latest bundle job), 5 the people
# those rows name (the archive's filer and approver with them), 6 the calendar's revision check,
# 7 the navigation's unread notifications (docs/performance.md「案件页」).
CASE_PAGE_QUERIES = 7


def test_case_page_query_count_is_pinned(client_for, clerk_a, full_petition, django_assert_num_queries):
    client = client_for(clerk_a)
    client.get(detail(full_petition))  # warm the calendar and content-type caches
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = client.get(detail(full_petition))
    assert response.status_code == 200


def test_case_page_queries_do_not_grow_with_the_case(
    client_for, clerk_a, clerk_b, full_petition, django_assert_num_queries, frozen
):
    """More events, steps and their deadlines, attachments, contacts with representatives, history and an absence:
    the same number of queries, and every row is on the page."""
    import datetime as dt

    from complaints.models import Contact, Representative
    from complaints.services import case_record_progress, case_step_complete

    case = full_petition
    step = case.steps.get()
    case_step_complete(actor=clerk_b, step=step, version=case.version, note="意见已出具")
    case.refresh_from_db()
    case_step_start(
        actor=clerk_a, case=case, version=case.version, kind="due_diligence", owner=clerk_b, due_on=dt.date(2026, 3, 25)
    )
    case.refresh_from_db()
    for number in range(6):
        case = case_record_progress(actor=clerk_a, case=case, version=case.version, note=f"第{number}次进展")
        attachment_add(
            actor=clerk_b,
            case=case,
            upload=SimpleUploadedFile(f"材料{number}.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
            kind="interview",
        )
        contact = Contact.objects.create(
            org=case.org,
            channel="phone",
            received_at=case.received_at,
            summary=f"来电催办{number}",
            outcome=Contact.Outcome.REPEAT,
            case=case,
            received_by=clerk_b,
            name="王小明",
            group_size=3,
        )
        Representative.objects.create(contact=contact, name=f"代理人{number}")
    Absence.objects.create(user=clerk_a, start_on=dt.date(2026, 3, 1), end_on=dt.date(2026, 3, 31), kind="leave")
    client = client_for(clerk_a)
    client.get(detail(case))
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = client.get(detail(case))
    html = response.content.decode()
    assert all(f"第{number}次进展" in html for number in range(6))
    assert all(f"材料{number}.pdf" in html for number in range(6))
    assert all(f"来电催办{number}" in html for number in range(6))
    assert html.count("集体访 3 人，代表：代") == 6
    assert "意见已出具" in html and "需调取录音" in html


def test_outsider_gets_404_on_every_case_url(client_for, other_clerk, full_petition, frozen):
    case = full_petition
    attachment = Attachment.objects.get(case=case)
    document = case.documents.get()
    step = case.steps.get()
    request = case.extension_requests.get()
    client = client_for(other_clerk)
    gets = [
        detail(case),
        reverse("complaints:attachment_download", args=[case.pk, attachment.pk]),
        reverse("complaints:document_pdf", args=[case.pk, document.pk]),
    ]
    posts = [
        reverse("complaints:case_reveal", args=[case.pk]),
        action(case, "progress"),
        reverse("complaints:extension_decide", args=[case.pk, request.pk]),
        reverse("complaints:step_complete", args=[case.pk, step.pk]),
        reverse("complaints:attachment_upload", args=[case.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"version": case.version, "note": "x"}).status_code == 404, url


def test_anonymous_is_redirected_to_login_on_every_case_url(client, full_petition):
    case = full_petition
    attachment = Attachment.objects.get(case=case)
    for url in [
        detail(case),
        reverse("complaints:attachment_download", args=[case.pk, attachment.pk]),
        reverse("complaints:document_pdf", args=[case.pk, case.documents.get().pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("complaints:case_reveal", args=[case.pk]))
    assert response.status_code == 302


def test_mediator_gets_404_on_the_case_page(client_for, mediator, petition):
    assert client_for(mediator).get(detail(petition)).status_code == 404


def test_history_and_events_are_on_the_page(client_for, clerk_a, full_petition):
    html = client_for(clerk_a).get(detail(full_petition)).content.decode()
    assert "变更历史" in html and "受理" in html
    assert "申请延期 10 天：需调取录音" in html
    assert "谈话记录.pdf" in html and "研提意见" in html


def test_accepting_into_a_year_not_verified_works_and_marks_the_deadline_provisional(client_for, clerk_a, register):
    from tests.factories import at

    with at("2026-11-02"):
        case = register("petition")
    with at("2026-11-10"):
        response = client_for(clerk_a).post(
            action(case, "petition_accept"), {"version": 1, "route": "办理"}, follow=True
        )
    body = response.content.decode()
    assert "工作日历尚未维护" not in body
    assert "2027-01-11" in body and "暂定" in body and 'id="provisional-note"' in body
    case.refresh_from_db()
    assert case.status == "accepted" and case.due_provisional


def test_closed_case_offers_no_actions(client_for, clerk_a, petition):
    from complaints.services import petition_not_accept

    petition_not_accept(actor=clerk_a, case=petition, version=1, reason="不属于信访事项")
    html = client_for(clerk_a).get(detail(petition)).content.decode()
    assert "办理操作" not in html and "已办结" in html
    assert 'data-step="close" data-state="done"' in html and 'data-state="skipped"' in html


def test_rows_read_together_are_the_rows_read_one_list_at_a_time(full_petition):
    """`core.rows.fetch_together` gives the same instances, field for field and in the same order, as one query per
    list: dates, aware times, decrypted personal data, files."""
    from complaints.models import Contact
    from complaints.services import case_deadlines
    from core.rows import fetch_together

    case = full_petition
    querysets = {
        "events": case.events.all(),
        "contacts": Contact.objects.filter(case=case),
        "history": case.history.all(),
        "deadlines": case_deadlines(case).order_by("status", "due_on", "id"),
        "attachments": Attachment.objects.filter(case=case),
        "requests": case.extension_requests.all(),
    }
    together = fetch_together(querysets)
    for key, queryset in querysets.items():
        fields = queryset.model._meta.concrete_fields
        expected = [[getattr(row, field.attname) for field in fields] for row in queryset]
        assert expected, key
        assert [[getattr(row, field.attname) for field in fields] for row in together[key]] == expected, key
    assert together["contacts"][0].name == "王小明"


def test_the_lists_compiled_once_are_each_cases_own(full_petition, register, clerk_a, frozen):
    """The case page's lists are compiled once per shape of case (`core.rows.fetch_prepared`): a second case of the
    same shape, read after the first, gets its own rows — the same as one plain query per list — never the first's."""
    import datetime as dt

    from complaints.selectors import office_staff
    from complaints.services import case_deadlines
    from complaints.views.case_rows import _shape, case_rows
    from core import rows

    other = petition_accept(actor=clerk_a, case=register("petition"), version=1, route="调查处理")
    extension_request(actor=clerk_a, case=other, version=other.version, days=5, reason="另一件的延期")
    other.refresh_from_db()
    first = full_petition
    assert _shape(first, True) == _shape(other, True)
    rows._prepared.clear()
    today = dt.date(2026, 3, 10)
    for case in (first, other, first):
        read = case_rows(case, clerk_a, today)
        expected = {
            "events": list(case.events.all()),
            "steps": list(case.steps.all()),
            "attachments": list(Attachment.objects.filter(case=case)),
            "extension_requests": list(case.extension_requests.all()),
            "deadlines": list(case_deadlines(case).order_by("status", "due_on", "id")),
            "contacts": list(case.contacts.all()),
            "history": list(case.history.order_by("-history_date", "-history_id")[:50]),
            "staff": list(office_staff(case.org_id).order_by("username")),
        }
        for key, rows_expected in expected.items():
            assert [row.pk for row in getattr(read, key)] == [row.pk for row in rows_expected], key
        assert read.extension_requests and all(r.case_id == case.pk for r in read.extension_requests)
    assert len(rows._prepared) == 1


def test_the_case_every_case_view_reads_is_the_case_field_for_field(full_petition, clerk_a, other_clerk):
    """`read_case` (one query compiled once) gives the case as the ORM reads it — amounts keep their two decimals,
    times their zone, personal data decrypted — with its office, A and B attached; another office gets a 404."""
    from decimal import Decimal

    from django.http import Http404

    from complaints.models import Case
    from complaints.views.case_rows import read_case

    case = full_petition
    case.amount_involved, case.amount_recovered = Decimal("12345678.91"), Decimal("4200.00")
    case.save()
    read = read_case(clerk_a, case.pk)
    expected = Case.objects.select_related("org", "owner", "backup").get(pk=case.pk)
    fields = Case._meta.concrete_fields
    assert [repr(getattr(read, f.attname)) for f in fields] == [repr(getattr(expected, f.attname)) for f in fields]
    assert str(read.amount_recovered) == "4200.00" and read.name == "王小明"
    assert (read.org, read.owner, read.backup) == (expected.org, expected.owner, expected.backup)
    assert getattr(read, "archive", None) is None
    with pytest.raises(Http404):
        read_case(other_clerk, case.pk)


def test_a_slot_without_a_value_is_refused(db):
    from core.models import User
    from core.rows import Slot, fetch_prepared

    with pytest.raises(KeyError, match="org"):
        fetch_prepared("test-missing-slot", lambda: {"staff": User.objects.filter(org_id=Slot("org"))}, {})


def test_a_complaint_page_with_the_staff_choosing_forms_keeps_the_count(
    client_for, supervisor, clerk_b, register, frozen, django_assert_num_queries
):
    """A supervisor's complaint page offers forms choosing a colleague (reassignment, a closed-loop step) and the
    forwarding form: their options come from rows already read, not one query per select."""
    case = register("complaint")
    client = client_for(supervisor)
    client.get(detail(case))
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = client.get(detail(case))
    html = response.content.decode()
    selects = re.findall(r'<select name="(?:owner|backup)"[^>]*>(.*?)</select>', html, re.S)
    assert selects and all(f'value="{clerk_b.pk}"' in options for options in selects)
