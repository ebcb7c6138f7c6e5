"""Fuzzing the intake page with hypothesis: whatever a clerk (or a script) posts, the page never fails.

Either the contact is registered (302), or the form comes back (400) with every error in Chinese and not
one row written. Each example runs in a savepoint that is rolled back, so examples never see each other's
rows; the function-scoped fixtures (the clerk, the institution, the frozen clock) are shared on purpose.
"""

from __future__ import annotations

import os
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from complaints.models import Case, Contact
from core.models import AuditEntry, Deadline
from tests.auth import sign_in
from tests.complaints.conftest import VALID_ID, VALID_PHONE

pytestmark = pytest.mark.django_db

URL = reverse("complaints:intake")
CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(
    # FUZZ_EXAMPLES=1000 fuzzes longer; the suite keeps 50 examples per test so that it stays fast.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

junk = st.text(max_size=40)
digits = st.from_regex(r"\A[0-9]{0,20}\Z")
id_numbers = st.one_of(junk, digits, st.from_regex(r"\A[0-9]{17}[0-9Xx]\Z"), st.just(VALID_ID))
phones = st.one_of(junk, digits, st.from_regex(r"\A1[0-9]{10}\Z"), st.from_regex(r"\A0[0-9]{2,3}-[0-9]{7,8}\Z"))
moments = st.one_of(
    junk,
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    st.dates().map(lambda day: day.isoformat()),
    st.just("2026-03-10T09:15"),
)


def choice_or_junk(*values):
    return st.one_of(st.sampled_from(values), junk)


VALID = {
    "channel": "visit",
    "received_at": "2026-03-10T09:15",
    "reference_no": "",
    "name": "王小明",
    "id_number": VALID_ID,
    "phone": VALID_PHONE,
    "address": "山东省莱州市文昌路街道某小区1号",
    "summary": "信用卡分期手续费争议",
    "content": "",
    "topic": "complaint",
    "outcome": "opened_case",
    "case_type": "complaint",
    "petition_kind": "",
    "group_size": "1",
    "is_anonymous": "",
    "materials_complete": "on",
    "repeat_of": "",
}
FUZZED = {
    "channel": choice_or_junk("visit", "phone", "letter", "online", "sent_down", "12378"),
    "received_at": moments,
    "reference_no": junk,
    "name": st.text(max_size=60),
    "id_number": id_numbers,
    "phone": phones,
    "address": st.text(max_size=220),
    "summary": st.text(max_size=220),
    "content": st.text(max_size=80),
    "topic": choice_or_junk("complaint", "consultation", "report", "suggestion"),
    "outcome": choice_or_junk("opened_case", "answered", "repeat"),
    "case_type": choice_or_junk("complaint", "petition", "report"),
    "petition_kind": choice_or_junk("", "appeal", "opinion"),
    "group_size": st.one_of(st.integers(-5, 20_000).map(str), junk),
    "is_anonymous": st.sampled_from(["", "on"]),
    "materials_complete": st.sampled_from(["", "on"]),
    "repeat_of": st.one_of(st.integers(-3, 10**12).map(str), junk),
}


@st.composite
def intake_posts(draw):
    """A valid walk-in complaint with up to four of its fields replaced by anything at all."""
    data = dict(VALID)
    for name in draw(st.sets(st.sampled_from(sorted(FUZZED)), max_size=4)):
        data[name] = draw(FUZZED[name])
    return data


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Contact, Case, Deadline, AuditEntry))


def _form_errors(response) -> list[str]:
    context = response.context
    if context is None or "form" not in context:
        # A NUL byte anywhere is refused before any view (core.middleware.RejectNulBytesMiddleware), on a page of
        # its own that says why in Chinese.
        return [response.content.decode()]
    form = context["form"]
    return [message for errors in form.errors.values() for message in errors]


@FUZZ
@given(data=intake_posts(), use_institution=st.booleans())
def test_any_intake_post_is_registered_or_refused_in_chinese_without_writing(
    clerk_a, institution, frozen, data, use_institution
):
    if use_institution:
        data["institution"] = str(institution.pk)
    with transaction.atomic():
        client = Client()
        sign_in(client, clerk_a)
        before = _counts()
        response = client.post(URL, data)
        assert response.status_code in (302, 400), response.status_code
        event(f"HTTP {response.status_code}")
        if response.status_code == 400:
            errors = _form_errors(response)
            assert errors, "400 without any message"
            assert all(CJK.search(message) for message in errors), errors
            assert _counts() == before
        else:
            assert Contact.objects.count() == before[0] + 1
        transaction.set_rollback(True)


@FUZZ
@given(
    id_number=id_numbers,
    phone=phones,
    institution=st.one_of(st.just(""), st.integers(-3, 10**12).map(str), junk),
)
def test_the_repeat_look_up_answers_any_input_with_json(clerk_a, frozen, id_number, phone, institution):
    with transaction.atomic():
        client = Client()
        sign_in(client, clerk_a)
        response = client.post(
            reverse("complaints:repeat_candidates"),
            {"id_number": id_number, "phone": phone, "institution": institution},
        )
        if "\x00" in id_number + phone + institution:
            # A NUL byte is refused before any view, with a page that says why (core.middleware).
            assert response.status_code == 400 and CJK.search(response.content.decode())
        else:
            assert response.status_code == 200
            assert isinstance(response.json()["results"], list)
        transaction.set_rollback(True)
