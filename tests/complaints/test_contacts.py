"""Visit and call records (来访来电记录): the list, a record's page, revealing and correcting a record."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints.models import Contact
from complaints.services import STALE_CONTACT_MESSAGE, contact_correct, contact_register
from core.models import AuditEntry
from tests.complaints.conftest import NOW, SHANGHAI, VALID_ID, VALID_PHONE
from tests.factories import at

pytestmark = pytest.mark.django_db

LIST = reverse("complaints:contact_list")


def detail_url(contact):
    return reverse("complaints:contact_detail", args=[contact.pk])


def correct_url(contact):
    return reverse("complaints:contact_correct", args=[contact.pk])


@pytest.fixture
def call(clerk_a, frozen):
    """A phone consultation answered on the spot by clerk A, logged today (2026-03-10)."""
    return contact_register(
        actor=clerk_a,
        channel="phone",
        summary="咨询征信异议申请方式",
        outcome=Contact.Outcome.ANSWERED,
        answer="告知可向征信中心或贷款银行提出异议申请。",
        name="王小明",
        phone=VALID_PHONE,
        id_number=VALID_ID,
        address="山东省莱州市文昌路街道某小区1号",
    )


def correct(contact, actor, **changes):
    changes.setdefault("reason", "记错了电话")
    return contact_correct(actor=actor, contact=contact, version=contact.version, **changes)


# --- Correcting a record (services) -----------------------------------------------------------------------


def test_the_person_who_logged_it_corrects_it_the_same_day_with_history_and_audit(call, clerk_a):
    corrected = correct(call, clerk_a, phone="13900001111", summary="咨询征信异议的申请渠道")
    call.refresh_from_db()
    assert (call.phone, call.summary, call.version) == ("13900001111", "咨询征信异议的申请渠道", 2)
    assert corrected.version == 2
    latest = call.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "更正：记错了电话" and latest.history_user == clerk_a
    entry = AuditEntry.objects.get(action="complaints.contact.corrected")
    assert entry.actor == clerk_a and entry.object_id == call.pk
    # Which fields, never their values: the audit log holds no personal data.
    assert sorted(entry.data["fields"]) == ["phone", "summary"]
    assert "13900001111" not in str(entry.data)


def test_from_the_next_day_only_a_supervisor_corrects(call, clerk_a, supervisor):
    with at("2026-03-11"):
        with pytest.raises(PermissionDenied, match="只能在登记当天（2026-03-10）更正"):
            correct(call, clerk_a, summary="改摘要")
        call.refresh_from_db()
        assert call.summary == "咨询征信异议申请方式" and call.version == 1
        correct(call, supervisor, summary="咨询征信异议申请渠道", reason="负责人审核更正")
    call.refresh_from_db()
    assert call.summary == "咨询征信异议申请渠道"
    assert call.history.first().history_user == supervisor


def test_other_people_cannot_correct(call, clerk_b, reviewer, other_clerk, mediator):
    for person, message in (
        (clerk_b, "只有登记人本人（登记当天）或支局负责人"),
        (reviewer, "只有登记人本人（登记当天）或支局负责人"),
        (other_clerk, "该记录不存在"),
        (mediator, "该记录不存在"),
    ):
        with pytest.raises(PermissionDenied, match=message):
            correct(call, person, summary="改摘要")
    call.refresh_from_db()
    assert call.version == 1 and call.history.count() == 1


def test_a_stale_correction_is_refused_and_changes_nothing(call, clerk_a, supervisor):
    seen = Contact.objects.get(pk=call.pk)  # the page clerk A opened, at version 1
    correct(call, supervisor, summary="负责人先改了摘要", reason="核对录音")
    with pytest.raises(ValidationError) as refused:
        contact_correct(actor=clerk_a, contact=seen, version=seen.version, reason="改电话", phone="13900001111")
    assert refused.value.messages == [str(STALE_CONTACT_MESSAGE)]
    call.refresh_from_db()
    assert (call.phone, call.summary, call.version) == (VALID_PHONE, "负责人先改了摘要", 2)


def test_bad_values_are_refused_with_chinese_messages_and_nothing_changes(call, clerk_a):
    with pytest.raises(ValidationError) as refused:
        contact_correct(
            actor=clerk_a,
            contact=call,
            version=call.version,
            reason="",
            summary=" ",
            id_number="370683199001011230",
            phone="12345",
            received_at=NOW + dt.timedelta(days=1),
            answer="",
        )
    errors = refused.value.message_dict
    assert set(errors) == {"reason", "summary", "id_number", "phone", "received_at", "answer"}
    assert "校验位" in errors["id_number"][0] and "请填写更正说明" in errors["reason"][0]
    call.refresh_from_db()
    assert call.version == 1 and call.history.count() == 1
    assert not AuditEntry.objects.filter(action="complaints.contact.corrected").exists()


def test_nothing_to_correct_and_unknown_fields_are_refused(call, clerk_a):
    with pytest.raises(ValidationError, match="没有需要更正的内容"):
        correct(call, clerk_a, summary=call.summary)
    with pytest.raises(ValidationError, match="不能在此更正"):
        correct(call, clerk_a, outcome="opened_case")
    call.refresh_from_db()
    assert call.version == 1


def test_marking_a_record_anonymous_clears_the_person(call, clerk_a):
    correct(call, clerk_a, is_anonymous=True, reason="来电人要求匿名")
    call.refresh_from_db()
    assert (call.is_anonymous, call.name, call.phone, call.id_number, call.address) == (True, "", "", "", "")


# --- A repeat visit keeps its words on the case -----------------------------------------------------------


def test_a_repeat_visit_puts_its_words_on_the_cases_timeline(register, clerk_a, frozen):
    case = register("complaint")
    contact_register(
        actor=clerk_a,
        channel="visit",
        summary="再次反映分期手续费未退",
        content="银行答应一周内退还，至今未退。",
        outcome=Contact.Outcome.REPEAT,
        repeat_of=case,
        name="王小明",
        phone=VALID_PHONE,
    )
    event = case.events.get(action="repeat_contact")
    assert (
        event.note == "重复件：走访 2026-03-10 09:30 再次反映：再次反映分期手续费未退\n银行答应一周内退还，至今未退。"
    )


def test_correcting_a_joined_record_puts_the_new_words_on_the_case(register, clerk_a, frozen):
    case = register("complaint")
    repeat = contact_register(
        actor=clerk_a, channel="phone", summary="催问", outcome=Contact.Outcome.REPEAT, repeat_of=case
    )
    correct(repeat, clerk_a, summary="催问退费进度", reason="补全摘要")
    event = case.events.get(action="contact_corrected")
    assert event.note == "更正电话 2026-03-10 09:30 的来访来电记录：催问退费进度"
    assert event.actor == clerk_a


# --- The list ---------------------------------------------------------------------------------------------


def make_contact(org, received_by, *, received_at, **fields):
    values = {"channel": "phone", "summary": "咨询", "outcome": Contact.Outcome.ANSWERED, "answer": "已答复"}
    values.update(fields)
    return Contact.objects.create(org=org, received_by=received_by, received_at=received_at, **values)


def rows(response):
    return [row["contact"] for row in response.context["rows"]]


def test_the_list_shows_todays_records_first_newest_first_with_personal_data_masked(
    client_for, orgs, clerk_a, clerk_b, call
):
    laizhou = orgs["laizhou"]
    older = make_contact(laizhou, clerk_b, received_at=NOW - dt.timedelta(days=3), name="李四", phone="0535-2212345")
    earlier_today = make_contact(laizhou, clerk_b, received_at=NOW - dt.timedelta(hours=1), name="赵五")
    report = make_contact(
        laizhou, clerk_a, received_at=NOW - dt.timedelta(days=1), topic="report", name="钱举报", phone="13700001111"
    )
    response = client_for(clerk_a).get(LIST)
    assert response.status_code == 200
    assert rows(response) == [call, earlier_today, report, older]
    html = response.content.decode()
    assert "王**" in html and "138****5678" in html and "0535****2345" in html
    for clear in ("王小明", VALID_PHONE, "李四", "钱举报", "13700001111", "700001111"):
        assert clear not in html
    assert "举报人（保密）" in html
    assert html.count(">今天<") == 2


def test_search_and_filters_each_narrow_the_list(client_for, orgs, clerk_a, clerk_b, supervisor, frozen):
    laizhou = orgs["laizhou"]
    visit = make_contact(
        laizhou,
        clerk_a,
        received_at=NOW - dt.timedelta(days=5),
        channel="visit",
        summary="理赔拖延",
        name="王小明",
        outcome=Contact.Outcome.OPENED_CASE,
        answer="",
    )
    call = make_contact(laizhou, clerk_b, received_at=NOW - dt.timedelta(days=1), summary="征信异议", name="李四")
    letter = make_contact(
        laizhou, supervisor, received_at=NOW, channel="12378", reference_no="GD-2026-0042", summary="退保纠纷"
    )
    client = client_for(clerk_a)
    cases = {
        "q=理赔": ({"q": "理赔"}, [visit]),
        "q=name": ({"q": "李四"}, [call]),
        "q=reference": ({"q": "GD-2026"}, [letter]),
        "channel": ({"channel": "phone"}, [call]),
        "outcome": ({"outcome": "opened_case"}, [visit]),
        "handler": ({"handler": clerk_b.pk}, [call]),
        "from": ({"received_from": "2026-03-09"}, [letter, call]),
        "to": ({"received_to": "2026-03-09"}, [call, visit]),
        "range": ({"received_from": "2026-03-09", "received_to": "2026-03-09"}, [call]),
    }
    for name, (query, expected) in cases.items():
        assert rows(client.get(LIST, query)) == expected, name
    # The untouched form submits blank values: they filter nothing.
    blank = {"q": "", "received_from": "", "received_to": "", "channel": "", "outcome": "", "handler": ""}
    assert rows(client.get(LIST, blank)) == [letter, call, visit]
    html = client.get(LIST).content.decode()
    for select in ("channel", "outcome", "handler"):
        assert f'<select name="{select}"' in html
    assert html.count('<option value="" selected>全部</option>') == 3


def test_outsiders_see_none_of_the_offices_records_and_the_branch_reads_them(
    client_for, call, other_clerk, reviewer, mediator
):
    assert rows(client_for(other_clerk).get(LIST)) == []
    assert rows(client_for(reviewer).get(LIST)) == [call]
    assert client_for(mediator).get(LIST).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, call):
    for url in (LIST, detail_url(call), correct_url(call)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_is_paginated(client_for, orgs, clerk_a, frozen):
    for minutes in range(53):
        make_contact(orgs["laizhou"], clerk_a, received_at=NOW - dt.timedelta(minutes=minutes))
    client = client_for(clerk_a)
    first = client.get(LIST, {"channel": "phone"})
    assert len(rows(first)) == 50 and first.context["page"].paginator.num_pages == 2
    assert "channel=phone&amp;page=2" in first.content.decode()
    assert len(rows(client.get(LIST, {"channel": "phone", "page": 2}))) == 3


def test_beyond_the_limit_the_list_says_more_than_and_its_next_links_reach_every_record(
    client_for, orgs, clerk_a, frozen, monkeypatch
):
    """An office's records only grow: they are counted up to the ledger's limit (超过 1000 条 in use), and the
    pages go on for as long as there are records (docs/performance.md「来访来电列表」)."""
    monkeypatch.setattr("complaints.views.contacts.BROAD_COUNT_LIMIT", 5)
    monkeypatch.setattr("complaints.views.contacts.CONTACT_PAGE_SIZE", 3)
    made = [
        make_contact(
            orgs["laizhou"],
            clerk_a,
            received_at=NOW - dt.timedelta(minutes=m),
            channel="visit" if m in (1, 6) else "phone",
        )
        for m in range(8)
    ]
    client = client_for(clerk_a)
    response, seen, pages = client.get(LIST), [], 0
    html = response.content.decode()
    assert "超过 5 条（可加条件缩小范围）" in html and "第 1 页" in html and "末页" not in html
    while True:
        seen += rows(response)
        pages += 1
        next_link = re.search(r'rel="next" href="\?([^"]*)"', response.content.decode())
        if next_link is None:
            break
        response = client.get(f"{LIST}?{next_link.group(1).replace('&amp;', '&')}")
    assert (seen, pages) == (made, 3)
    assert "第 3 页" in response.content.decode()
    for not_a_page in ("0", "-1", "abc", "99"):
        assert rows(client.get(LIST, {"page": not_a_page})) == made[:3], not_a_page
    narrowed = client.get(LIST, {"channel": "visit"})
    assert rows(narrowed) == [made[1], made[6]] and "共 2 条" in narrowed.content.decode()


def test_list_query_count_does_not_grow_with_records(client_for, orgs, clerk_a, clerk_b, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        for minutes in range(3):
            make_contact(orgs["laizhou"], clerk_b, received_at=NOW - dt.timedelta(minutes=minutes))
        client = client_for(clerk_a)
        client.get(LIST)
        # 6 queries: the session, the user with roles and unit (one query), the 接待人 choices, the
        # unread-notification count, the page's count and its rows (with case, institution and receiver).
        with django_assert_num_queries(6):
            client.get(LIST, {"channel": "phone"})
        for minutes in range(3, 40):
            make_contact(orgs["laizhou"], clerk_b, received_at=NOW - dt.timedelta(minutes=minutes))
        with django_assert_num_queries(6):
            response = client.get(LIST, {"channel": "phone"})
    assert len(rows(response)) == 40


# --- A record's page, revealing it, correcting it -----------------------------------------------------------


def test_the_record_page_masks_personal_data_and_shows_its_history(client_for, call, clerk_a):
    response = client_for(clerk_a).get(detail_url(call))
    assert response.status_code == 200
    html = response.content.decode()
    assert "王*" in html and "370683********1237" in html and "138****5678" in html
    assert "王小明" not in html and VALID_ID not in html and VALID_PHONE not in html
    assert "告知可向征信中心" in html and correct_url(call) in html and "显示完整信息" in html
    assert [change["record"].history_change_reason for change in response.context["changes"]] == ["登记"]


def test_record_page_query_count(client_for, call, clerk_a, django_assert_num_queries):
    client = client_for(clerk_a)
    client.get(detail_url(call))
    # 6 queries: the session, the user with roles and unit (one query), the record with its unit, institution,
    # receiver and case, the representatives, the history, the unread-notification count.
    with django_assert_num_queries(6):
        client.get(detail_url(call))


def test_revealing_is_for_the_receiver_and_supervisors_and_is_logged(client_for, call, clerk_b, supervisor):
    url = reverse("complaints:contact_reveal", args=[call.pk])
    assert client_for(clerk_b).post(url).status_code == 403
    assert not AuditEntry.objects.filter(action="complaints.contact.personal_data_revealed").exists()
    response = client_for(supervisor).post(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "王小明" in html and VALID_ID in html and VALID_PHONE in html and "已显示完整个人信息" in html
    entry = AuditEntry.objects.get(action="complaints.contact.personal_data_revealed")
    assert entry.actor == supervisor and entry.object_id == call.pk


def test_the_branch_reads_but_neither_reveals_nor_corrects(client_for, call, reviewer):
    client = client_for(reviewer)
    response = client.get(detail_url(call))
    assert response.status_code == 200
    html = response.content.decode()
    assert correct_url(call) not in html and "显示完整信息" not in html
    assert client.post(reverse("complaints:contact_reveal", args=[call.pk])).status_code == 403
    assert client.get(correct_url(call)).status_code == 403
    assert client.post(correct_url(call), {"summary": "改"}).status_code == 403


def test_another_sub_bureau_gets_404_and_mediators_403(client_for, call, other_clerk, mediator):
    for url in (detail_url(call), correct_url(call)):
        assert client_for(other_clerk).get(url).status_code == 404
        assert client_for(mediator).get(url).status_code == 403
    assert client_for(other_clerk).post(reverse("complaints:contact_reveal", args=[call.pk])).status_code == 404


def form_data(contact, **overrides):
    data = {
        "version": contact.version,
        "channel": contact.channel,
        "received_at": contact.received_at.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M"),
        "reference_no": contact.reference_no,
        "topic": contact.topic,
        "name": contact.name,
        "phone": contact.phone,
        "id_number": contact.id_number,
        "address": contact.address,
        "group_size": contact.group_size,
        "institution": contact.institution_id or "",
        "summary": contact.summary,
        "content": contact.content,
        "answer": contact.answer,
        "reason": "补全答复内容",
    }
    data.update(overrides)
    return data


def test_correcting_through_the_page(client_for, call, clerk_a):
    client = client_for(clerk_a)
    page = client.get(correct_url(call))
    assert page.status_code == 200
    # The form shows the full values: opening it is a reveal, and is logged.
    assert VALID_PHONE in page.content.decode()
    assert AuditEntry.objects.filter(action="complaints.contact.personal_data_revealed", data__purpose="correct")
    response = client.post(correct_url(call), form_data(call, answer="告知可向征信中心、贷款银行提出异议。"))
    assert response.status_code == 302 and response["Location"] == detail_url(call)
    call.refresh_from_db()
    assert call.answer == "告知可向征信中心、贷款银行提出异议。" and call.version == 2
    shown = client.get(detail_url(call)).content.decode()
    assert "更正：补全答复内容" in shown and "答复内容" in shown


def test_a_stale_correction_page_says_so_and_keeps_what_the_user_typed(client_for, call, clerk_a, supervisor):
    stale = form_data(call, summary="林晓岚改的摘要")
    correct(call, supervisor, summary="负责人改的摘要", reason="核对")
    response = client_for(clerk_a).post(correct_url(call), stale)
    assert response.status_code == 400
    html = response.content.decode()
    assert str(STALE_CONTACT_MESSAGE) in html and "林晓岚改的摘要" in html
    call.refresh_from_db()
    assert call.summary == "负责人改的摘要"


def test_a_refused_correction_page_explains_why(client_for, call, clerk_a):
    with at("2026-03-12"):
        client = client_for(clerk_a)
        page = client.get(detail_url(call)).content.decode()
        assert correct_url(call) not in page and "只能在登记当天（2026-03-10）更正" in page
        response = client.get(correct_url(call))
    assert response.status_code == 403
    assert "只能在登记当天" in response.content.decode()


def test_the_menu_leads_to_the_records(client_for, clerk_a, reviewer, mediator):
    assert LIST in client_for(clerk_a).get(reverse("home")).content.decode()
    assert LIST in client_for(reviewer).get(reverse("home")).content.decode()
    assert LIST not in client_for(mediator).get(reverse("home")).content.decode()


def test_received_today_means_the_local_date(client_for, orgs, clerk_a):
    # 2026-03-10 00:30 in Shanghai is still 2026-03-09 in UTC.
    with time_machine.travel(dt.datetime(2026, 3, 10, 8, 0, tzinfo=SHANGHAI), tick=False):
        early = make_contact(orgs["laizhou"], clerk_a, received_at=dt.datetime(2026, 3, 10, 0, 30, tzinfo=SHANGHAI))
        response = client_for(clerk_a).get(LIST, {"received_from": "2026-03-10", "received_to": "2026-03-10"})
    assert rows(response) == [early]
    assert response.context["rows"][0]["is_today"]
