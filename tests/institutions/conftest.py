"""Builders for the institutions tests: cases, forwardings and contacts about an institution, in a quarter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_institution


@pytest.fixture(autouse=True)
def _private_files(private_files):
    """Generated lists and attachments go to the test's own folder (tests/conftest.py)."""


@pytest.fixture
def rules(base_data):
    from institutions.reference_data import ensure_default_rules

    ensure_default_rules()


@pytest.fixture
def bank(orgs, rules):
    return make_institution(
        org=orgs["laizhou"], short_name="东岳银行", full_name="东岳银行股份有限公司莱州支行", outlets=2
    )


@pytest.fixture
def insurer(orgs, rules):
    return make_institution(
        org=orgs["laizhou"],
        short_name="泰和人寿",
        full_name="泰和人寿保险股份有限公司莱州营销服务部",
        type_code="INS-LIFE",
    )


@pytest.fixture
def zy_bank(orgs, rules):
    return make_institution(org=orgs["zhaoyuan"], short_name="招远农商行", full_name="山东招远农村商业银行股份有限公司")


def make_forwarding(*, case, late: bool, forwarded_on: dt.date | None = None):
    from complaints.models import Forwarding

    forwarding = Forwarding(
        case=case,
        institution=case.institution,
        slip_number=f"ZB-{case.number}",
        forwarded_on=forwarded_on or case.received_on + dt.timedelta(days=2),
        forwarded_by=case.owner,
        replied_on=case.received_on + dt.timedelta(days=20 if late else 8),
        replied_late=late,
    )
    forwarding.save()
    return forwarding


def make_repeat_contact(*, institution, received_on: dt.date, user, case=None):
    from complaints.models import Contact

    contact = Contact(
        org=institution.org,
        channel="phone",
        received_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(10))),
        institution=institution,
        summary="再次来电催办",
        outcome=Contact.Outcome.REPEAT,
        case=case,
        received_by=user,
    )
    contact.save()
    return contact
