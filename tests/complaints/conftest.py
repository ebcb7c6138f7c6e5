"""Fixtures of the complaints tests: an institution, a frozen clock and cases registered through intake."""

import datetime as dt

import pytest
import time_machine

from complaints.models import Case, Contact
from complaints.services import contact_register
from tests.factories import SHANGHAI, VALID_ID, VALID_PHONE, make_institution

# A Tuesday with the 2026 calendar loaded; 15 calendar days later is 2026-03-25 (Wednesday).
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def institution(orgs):
    return make_institution(org=orgs["laizhou"], short_name="莱州农商银行")


@pytest.fixture
def register(clerk_a, institution):
    """Open a case through intake: `register("petition", petition_kind="appeal")`."""

    def open_case(case_type: str, *, actor=None, **overrides) -> Case:
        fields = {
            "channel": "visit",
            "summary": "信用卡分期手续费争议",
            "outcome": Contact.Outcome.OPENED_CASE,
            "case_type": case_type,
            "name": "王小明",
            "id_number": VALID_ID,
            "phone": VALID_PHONE,
            "address": "山东省莱州市文昌路街道某小区1号",
            "institution": institution,
            "content": "反映银行未告知分期手续费。",
        }
        if case_type == "petition":
            fields["petition_kind"] = "appeal"
        fields.update(overrides)
        contact = contact_register(actor=actor or clerk_a, **fields)
        return contact.case

    return open_case
