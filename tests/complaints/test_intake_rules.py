"""The intake rules (which fields apply, which are required) agree with what the service refuses, and the page
renders them: required marks, hidden fields, prefilled fields out of the Tab path, the cursor on the first error."""

import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import Contact
from complaints.services import contact_register
from complaints.services.intake_rules import hidden_fields, intake_rules_table, required_fields
from institutions.picker import picker_options, pinyin_keys
from tests.complaints.test_views_intake import post_data
from tests.factories import make_institution

URL = reverse("complaints:intake")
CHANNELS = ("visit", "phone", "sent_down", "12378", "letter")
OUTCOMES = ("answered", "opened_case")
CASE_TYPES = ("petition", "report", "complaint")


def refused_fields(actor, **fields) -> set[str]:
    try:
        contact_register(actor=actor, summary="事项", **fields)
    except ValidationError as exc:
        return set(exc.message_dict)
    return set()


@pytest.mark.django_db
def test_what_the_rules_call_required_is_exactly_what_the_service_refuses_when_empty(clerk_a):
    for channel, outcome, case_type, anonymous in itertools.product(CHANNELS, OUTCOMES, CASE_TYPES, (False, True)):
        if anonymous and case_type != "report":
            continue  # only a report may be anonymous (the box is not shown for the others)
        refused = refused_fields(clerk_a, channel=channel, outcome=outcome, case_type=case_type, is_anonymous=anonymous)
        required = required_fields(channel=channel, outcome=outcome, case_type=case_type, is_anonymous=anonymous)
        # The time, category, summary, outcome and case type are given here (the page fills the first two in).
        given = {"received_at", "topic", "summary", "outcome", "case_type"}
        assert refused == required - given, (channel, outcome, case_type, anonymous)
        hidden = hidden_fields(channel=channel, outcome=outcome, case_type=case_type)
        assert not (required & hidden), "a required field is never hidden"


def test_fields_that_do_not_apply_per_type_and_channel():
    complaint = hidden_fields(channel="visit", outcome="opened_case", case_type="complaint")
    assert {"materials_complete", "petition_kind", "is_anonymous", "answer"} <= complaint
    assert "group_size" not in complaint
    call = hidden_fields(channel="phone", outcome="answered", case_type="")
    assert {"group_size", "representatives", "case_type", "owner"} <= call and "answer" not in call
    petition = hidden_fields(channel="letter", outcome="opened_case", case_type="petition")
    assert "petition_kind" not in petition and "materials_complete" in petition
    report = hidden_fields(channel="visit", outcome="opened_case", case_type="report")
    assert not ({"is_anonymous", "materials_complete"} & report)
    assert len(intake_rules_table("visit")) == 3 * 4 * 2


def test_pinyin_keys_read_bank_names_right():
    assert pinyin_keys("中国工商银行莱州支行") == ("zhongguogongshangyinhanglaizhouzhihang", "zggsyhlzzh")
    assert pinyin_keys("莱州农商行") == ("laizhounongshanghang", "lznsh")
    assert pinyin_keys("ABC银行") == ("abcyinhang", "abcyh")


@pytest.mark.django_db
def test_picker_options_are_sorted_by_pinyin_and_carry_every_key(orgs):
    laizhou = orgs["laizhou"]
    for short, full in (
        ("中国银行莱州支行", "中国银行股份有限公司莱州支行"),
        ("工商银行", "中国工商银行莱州支行"),
        ("恒丰银行", "恒丰银行莱州支行"),
    ):
        make_institution(org=laizhou, short_name=short, full_name=full)
    options = picker_options(laizhou.institutions.all())
    assert [o.short_name for o in options] == ["工商银行", "恒丰银行", "中国银行莱州支行"]
    keys = options[0].keys.split()
    assert {"工商银行", "中国工商银行莱州支行", "gsyh", "zggsyhlzzh", "gongshangyinhang"} <= set(keys)


def tag(html: str, name: str) -> str:
    return re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html).group(0)


def block(html: str, name: str) -> str:
    return re.search(rf'<div[^>]*data-field="{name}"[^>]*>', html).group(0)


@pytest.mark.django_db
def test_page_marks_what_is_required_and_hides_what_does_not_apply(client_for, clerk_a, frozen):
    html = client_for(clerk_a).get(URL + "?channel=visit").content.decode()
    assert "hidden" in block(html, "materials_complete") and "hidden" in block(html, "petition_kind")
    assert "hidden" not in block(html, "group_size")
    assert 'aria-required="true"' in tag(html, "phone") and 'aria-required="true"' in tag(html, "institution")
    assert 'aria-required="true"' not in tag(html, "id_number")
    for name in ("received_at", "topic", "reference_no"):
        assert 'tabindex="-1"' in tag(html, name)
    assert 'tabindex="-1"' not in tag(html, "name")
    call = client_for(clerk_a).get(URL + "?channel=phone").content.decode()
    assert "hidden" in block(call, "group_size") and "hidden" not in block(call, "answer")
    assert 'aria-required="true"' in tag(call, "answer") and 'aria-required="true"' not in tag(call, "name")
    # The institutions are offered with their search keys for the picker.
    assert "data-combobox" in tag(html, "institution")


@pytest.mark.django_db
def test_refused_submit_puts_the_cursor_on_the_first_field_in_error(client_for, clerk_a, institution, frozen):
    response = client_for(clerk_a).post(URL, post_data(name="", phone="", institution=institution.pk))
    html = response.content.decode()
    assert response.status_code == 400
    assert "autofocus" in tag(html, "name") and "autofocus" not in tag(html, "phone")
    assert 'aria-invalid="true"' in tag(html, "phone")
    # An error in a prefilled field puts it back in the Tab path, with the cursor on it.
    response = client_for(clerk_a).post(URL, post_data(received_at="2026-03-11T09:00", institution=institution.pk))
    html = response.content.decode()
    assert "接收时间不能晚于当前时间" in html
    assert "autofocus" in tag(html, "received_at") and 'tabindex="-1"' not in tag(html, "received_at")
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_fields_that_do_not_apply_are_ignored_when_posted(client_for, clerk_a, frozen):
    # A call posted with a 人数 and a case type (as a page without its script would): the call is one person and
    # answered, so neither is kept.
    data = post_data(channel="phone", outcome="answered", answer="已解释", group_size="5", case_type="report")
    assert client_for(clerk_a).post(URL, data).status_code == 302
    contact = Contact.objects.get()
    assert contact.group_size == 1 and contact.case is None
