import json
import re

import pytest
from django.urls import reverse

from complaints.models import Case, Contact
from tests.auth import sign_in
from tests.complaints.conftest import VALID_ID, VALID_PHONE

pytestmark = pytest.mark.django_db

URL = reverse("complaints:intake")


def input_tag(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def post_data(**overrides):
    data = {
        "channel": "visit",
        "received_at": "2026-03-10T09:15",
        "name": "王小明",
        "phone": VALID_PHONE,
        "id_number": VALID_ID,
        "summary": "信用卡分期手续费争议",
        "topic": "complaint",
        "outcome": "opened_case",
        "case_type": "complaint",
        "group_size": "1",
        "materials_complete": "on",
    }
    data.update(overrides)
    return data


def test_intake_page_prefills_time_and_focuses_the_first_field(client_for, clerk_a, frozen):
    response = client_for(clerk_a).get(URL + "?channel=visit")
    html = response.content.decode()
    assert response.status_code == 200
    assert "来访登记" in html
    assert 'value="2026-03-10T09:30"' in html
    assert "autofocus" in input_tag(html, "name")
    assert "complaints/intake.js" in html


def test_12378_page_asks_for_the_reference_number_first(client_for, clerk_a, frozen):
    html = client_for(clerk_a).get(URL + "?channel=12378").content.decode()
    assert "12378转办件登记" in html
    assert "autofocus" in input_tag(html, "reference_no")
    assert "autofocus" not in input_tag(html, "name")


def test_walk_in_complaint_opens_a_case_and_goes_to_it(client_for, clerk_a, institution, frozen):
    response = client_for(clerk_a).post(URL, post_data(institution=institution.pk))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:case_detail", args=[case.pk])
    assert case.number == "TS-2026-0001" and case.owner == clerk_a and case.backup == clerk_a.backup


def test_phone_call_answered_returns_to_an_empty_phone_page(client_for, clerk_a, frozen):
    response = client_for(clerk_a).post(
        URL,
        post_data(channel="phone", outcome="answered", answer="已解释政策", case_type="", id_number="", name=""),
    )
    assert response.status_code == 302 and response["Location"].endswith("?channel=phone")
    assert Contact.objects.get().outcome == "answered" and not Case.objects.exists()


def test_wrong_id_check_digit_shows_the_message_and_saves_nothing(client_for, clerk_a, institution, frozen):
    response = client_for(clerk_a).post(URL, post_data(institution=institution.pk, id_number="370683199001011238"))
    assert response.status_code == 400
    assert "身份证号码校验位不正确" in response.content.decode()
    assert not Contact.objects.exists() and not Case.objects.exists()


def test_repeat_choice_links_the_contact(client_for, clerk_a, register, frozen):
    case = register("complaint")
    response = client_for(clerk_a).post(URL, post_data(outcome="repeat", repeat_of=case.pk))
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert case.contacts.count() == 2


def test_repeat_lookup_is_post_only_and_masks_names(client_for, clerk_a, register, institution, frozen):
    case = register("complaint")
    client = client_for(clerk_a)
    url = reverse("complaints:repeat_candidates")
    assert client.get(url + f"?id_number={VALID_ID}").status_code == 405
    response = client.post(url, {"id_number": VALID_ID, "phone": "", "institution": institution.pk})
    data = json.loads(response.content)
    assert data["results"][0]["number"] == case.number
    assert data["results"][0]["same_institution"] is True
    assert data["results"][0]["name"] == "王**"
    assert VALID_ID not in response.content.decode()


def test_repeat_lookup_needs_csrf(clerk_a, register, frozen):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, clerk_a)
    response = client.post(reverse("complaints:repeat_candidates"), {"id_number": VALID_ID})
    assert response.status_code == 403


def test_outsider_repeat_lookup_finds_nothing(client_for, other_clerk, register, frozen):
    register("complaint")
    response = client_for(other_clerk).post(reverse("complaints:repeat_candidates"), {"id_number": VALID_ID})
    assert json.loads(response.content) == {"results": []}


def test_anonymous_is_sent_to_login_and_mediator_refused(client, mediator):
    assert client.get(URL).status_code == 302
    sign_in(client, mediator)
    assert client.get(URL).status_code == 403


def test_repeat_lookup_never_identifies_a_reporter(client_for, clerk_a, register, frozen):
    register("report", name="李举报")
    response = client_for(clerk_a).post(reverse("complaints:repeat_candidates"), {"phone": VALID_PHONE})
    (result,) = json.loads(response.content)["results"]
    assert result["name"] == "举报人（保密）"
    body = response.content.decode()
    assert "李" not in body and VALID_PHONE not in body and VALID_ID not in body


def test_a_repeat_visit_shows_its_words_on_the_case_page(client_for, clerk_a, register, frozen):
    case = register("complaint")
    client = client_for(clerk_a)
    words = post_data(
        outcome="repeat", repeat_of=case.pk, summary="再次反映手续费未退", content="银行承诺一周内退还，至今未退。"
    )
    assert client.post(URL, words).status_code == 302
    html = client.get(reverse("complaints:case_detail", args=[case.pk])).content.decode()
    timeline = html[html.index('id="events"') : html.index('id="steps"')]
    assert "重复件：走访 2026-03-10 09:15 再次反映：再次反映手续费未退" in timeline
    assert "银行承诺一周内退还，至今未退。" in timeline
    repeat = case.contacts.get(outcome="repeat")
    assert reverse("complaints:contact_detail", args=[repeat.pk]) in html
