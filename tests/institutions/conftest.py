"""Builders for the institutions tests: cases, forwardings and contacts about an institution, in a quarter."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from tests.factories import make_institution

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Generated lists and attachments go to a temporary PRIVATE_FILES_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.PRIVATE_FILES_ROOT = tmp_path / "files"
    return tmp_path / "files"


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


def make_case(*, institution, received_on: dt.date, owner, case_type="complaint", **fields):
    from complaints.models import Case

    number = fields.pop("number", None) or f"TS-{received_on.year}-{next(_numbers):05d}"
    received_at = timezone.make_aware(dt.datetime.combine(received_on, dt.time(9, 30)))
    case = Case(
        org=institution.org,
        number=number,
        case_type=case_type,
        channel=fields.pop("channel", "12378"),
        received_at=received_at,
        received_on=received_on,
        institution=institution,
        summary=fields.pop("summary", "银行卡盗刷投诉"),
        owner=owner,
        created_by=owner,
        **fields,
    )
    case.save()
    return case


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
