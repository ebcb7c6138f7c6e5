"""Plain factory helpers: `make_x(**overrides)` returns a saved object with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from core.models import Category, OrgUnit, User
from core.roles import GROUP_NAMES, Role
from core.security.passwords import CHOSEN_BY_HOLDER

_counter = itertools.count(1)
_case_numbers = itertools.count(1)

PASSWORD = "test-pass-2026"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
VALID_ID = "370683199001011237"
VALID_PHONE = "13812345678"


# --- Time ------------------------------------------------------------------------------------------------------


def moment(day: str | dt.date, hour: int = 10) -> dt.datetime:
    """A local moment (Asia/Shanghai) on `day`, given as "2026-03-10" or a date."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def at(day: str | dt.date, hour: int = 10):
    """Travel to a local date and hour with the clock stopped: `with at("2026-03-10"): ...`."""
    return time_machine.travel(moment(day, hour), tick=False)


# --- Files -----------------------------------------------------------------------------------------------------


def use_private_files(settings, folder):
    """Point PRIVATE_FILES_ROOT (and MEDIA_ROOT, which settings keep equal to it) at a test's own folder."""
    folder.mkdir(parents=True, exist_ok=True)
    settings.PRIVATE_FILES_ROOT = folder
    settings.MEDIA_ROOT = folder
    return folder


def make_org(code: str, *, name: str | None = None, level=OrgUnit.Level.SUB_BUREAU, parent=None, **fields) -> OrgUnit:
    org = OrgUnit.objects.filter(code=code).first()
    if org is None:
        org = OrgUnit(
            code=code, name=name or f"{code}单位", short_name=name or code, level=level, parent=parent, **fields
        )
        org.save()
    return org


def make_user(*, org, role: Role | None = Role.CLERK, username: str | None = None, name: str = "", **fields) -> User:
    username = username or f"user{next(_counter)}"
    user = User(username=username, name=name or username, org=org, **fields)
    user.set_password(PASSWORD)
    # Test accounts sign in with the password they were made with (no forced change at the first login).
    setattr(user, CHOSEN_BY_HOLDER, True)
    user.save()
    if role is not None:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    return user


def make_institution(*, org, short_name: str | None = None, type_code: str = "BANK-RURAL", **fields):
    from institutions.models import Institution

    n = next(_counter)
    institution = Institution(
        org=org,
        short_name=short_name or f"测试银行{n}",
        full_name=fields.pop("full_name", None) or f"{short_name or '测试银行'}{n}全称",
        type=Category.objects.get(kind=Category.Kind.INSTITUTION_TYPE, code=type_code),
        **fields,
    )
    institution.save()
    return institution


# --- Cases built directly --------------------------------------------------------------------------------------
# Pages that read cases (ledger, dashboards, figures) are tested on cases built here; the intake workflow that makes
# real ones is tested through the `register` fixture (tests/complaints/conftest.py).


def make_case(
    *,
    owner,
    org=None,
    institution=None,
    received_on: dt.date | None = None,
    received_time: dt.time = dt.time(9, 0),
    prefix: str = "TS",
    details: bool = True,
    **fields,
):
    """A saved case and its search index row. Defaults: a complaint received by visit on 2026-03-02 at 09:00 with
    the complainant's details (`details=False`: none). `closed_at` without a status means closed; status "closed"
    without `closed_at` closes it ten days after receipt."""
    from complaints.models import Case
    from complaints.search import case_reindex
    from complaints.services.case_counts import case_save

    received_on = received_on or dt.date(2026, 3, 2)
    case_type = fields.pop("case_type", "complaint")
    received_at = dt.datetime.combine(received_on, received_time, tzinfo=SHANGHAI)
    values = {
        "number": f"{prefix}-{received_on.year}-{next(_case_numbers):04d}",
        "case_type": case_type,
        "channel": "visit",
        "received_at": received_at,
        "received_on": received_on,
        "summary": "信用卡分期手续费争议",
        "created_by": owner,
    }
    if details:
        values |= {
            "name": "王小明",
            "phone": VALID_PHONE,
            "id_number": VALID_ID,
            "content": "反映银行未告知分期手续费。",
        }
        if case_type == "petition":
            values["petition_kind"] = "appeal"
    values.update(fields)
    if values.get("closed_at") and "status" not in fields:
        values["status"] = "closed"
    if values.get("status") == "closed" and not values.get("closed_at"):
        values["closed_at"] = received_at + dt.timedelta(days=10)
    case = Case(org=org or institution.org, institution=institution, owner=owner, **values)
    # Saved as every service saves a case, so the dashboard's per-month summary counts it too.
    case_save(case)
    case_reindex(case)
    return case


def make_institution_case(*, institution, received_on: dt.date, owner, **fields):
    """A complaint about `institution` transferred from the 12378 hotline (the institutions' figures count them)."""
    return make_case(
        institution=institution,
        received_on=received_on,
        owner=owner,
        received_time=dt.time(9, 30),
        details=False,
        **{"channel": "12378", "summary": "银行卡盗刷投诉", **fields},
    )


def make_open_case(*, org, owner, received_on: dt.date | None = None, **fields):
    """The dashboards' work: an accepted petition received today, numbered XF-… (closed when `closed_at` is given)."""
    fields["status"] = "closed" if fields.get("closed_at") else fields.get("status", "accepted")
    return make_case(
        org=org,
        owner=owner,
        received_on=received_on or timezone.localdate(),
        prefix="XF",
        details=False,
        **{"case_type": "petition", "summary": "测试事项", **fields},
    )
