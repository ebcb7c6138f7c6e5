"""Plain factory helpers: `make_x(**overrides)` returns a saved object with sensible defaults."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group

from core.models import Category, OrgUnit, User
from core.roles import GROUP_NAMES, Role
from core.security.passwords import CHOSEN_BY_HOLDER

_counter = itertools.count(1)

PASSWORD = "test-pass-2026"


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
