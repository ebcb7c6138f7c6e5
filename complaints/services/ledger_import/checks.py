"""Checking every row of a mapped workbook (docs/domain.md, "历史台账导入").

Each row is cleaned into the values of a new case or refused with its problems by row and column; rows already in
the ledger (the office's own number or the 12378 reference seen before) are set aside as skipped, unchecked, since
nothing is written from them. Personal data is checked as at intake (core/personal.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import within_org_q
from core.models import Category, OrgUnit, User
from core.personal import validate_phone, validate_resident_id
from core.roles import Role
from institutions.models import Institution

from ...models import Case
from ...models.choices import CaseType, Channel, Closure, PetitionKind, Satisfaction
from ..intake_rules import REFERENCE_REQUIRED
from .columns import LABELS, cell_text

YES = {"是", "Y", "YES", "TRUE", "1", "匿名"}
NO = {"", "否", "N", "NO", "FALSE", "0"}
MAX_LENGTHS = {"number": 20, "reference_no": 60, "name": 50, "address": 200, "summary": 200}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?$")
_CHUNK = 500


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Lookups:
    """What the cells are matched against; loaded once per file."""

    org: OrgUnit
    institutions: dict[str, list[Institution]]
    categories: dict[str, dict[str, Category]]
    users: dict[str, User]
    default_owner: User | None
    existing_numbers: set[str]
    existing_refs: set[str]
    now: dt.datetime


@dataclass
class Checked:
    cleaned: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    unmatched: set[str] = field(default_factory=set)


def _choices(choices, aliases: dict | None = None) -> dict[str, str]:
    table = {str(label): value for value, label in choices}
    table.update({value: value for value, _label in choices})
    table.update(aliases or {})
    return table


CASE_TYPES = _choices(CaseType.choices, {"投诉": CaseType.COMPLAINT})
CHANNELS = _choices(Channel.choices, {"来访": Channel.VISIT, "上级转送": Channel.SENT_DOWN, "交办": Channel.SENT_DOWN})
PETITION_KINDS = _choices(PetitionKind.choices)
CLOSURES = _choices(Closure.choices)
SATISFACTIONS = _choices(Satisfaction.choices)


def existing_keys(model_filter: str, org: OrgUnit, values: set[str]) -> set[str]:
    found: set[str] = set()
    values = sorted(v for v in values if v)
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        found |= set(
            Case.objects.filter(org=org, **{f"{model_filter}__in": chunk}).values_list(model_filter, flat=True)
        )
    return found


def load_lookups(*, org: OrgUnit, actor, rows: list[tuple[int, dict]]) -> Lookups:
    institutions: dict[str, list[Institution]] = {}
    # The office's own institutions, those of the units above it and below it (as intake allows).
    ancestors = [code for code in org.path.strip("/").split("/") if code]
    scope = within_org_q(org) | Q(org__code__in=ancestors) | Q(org__isnull=True)
    for institution in Institution.objects.filter(scope).select_related("org"):
        for name in {institution.full_name, institution.short_name}:
            if name:
                institutions.setdefault(name, []).append(institution)
    categories = {}
    for kind in ("business", "cause"):
        table = {}
        for category in Category.objects.of_kind(kind):
            table[category.name] = category
            table[category.code.upper()] = category
        categories[kind] = table
    users = {}
    for user in User.objects.filter(org=org, is_active=True):
        users[user.username] = user
        users.setdefault(user.name, user)
    default_owner = actor if actor.org_id == org.pk else None
    if default_owner is None:
        default_owner = User.objects.filter(org=org, is_active=True, groups__name=str(Role.SUPERVISOR.label)).first()
    numbers = {cell_text(values.get("number")) for _n, values in rows}
    refs = {cell_text(values.get("reference_no")) for _n, values in rows}
    return Lookups(
        org=org,
        institutions=institutions,
        categories=categories,
        users=users,
        default_owner=default_owner,
        existing_numbers=existing_keys("number", org, numbers),
        existing_refs=existing_keys("reference_no", org, refs),
        now=timezone.now(),
    )


def parse_moment(value) -> dt.datetime | None:
    """A cell as a local date and time: Excel dates and datetimes, or text like 2024-03-05, 2024/3/5 09:30."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        match = _DATE.match(cell_text(value))
        if not match:
            return None
        year, month, day, hour, minute = match.groups()
        try:
            moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))  # noqa: DTZ001
        except ValueError:
            return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class _Row:
    """One row being cleaned: its number, raw values, the cleaned values and the problems found."""

    def __init__(self, number: int, raw: dict, problems: list[Problem]):
        self.number, self.raw, self.problems = number, raw, problems
        self.values: dict = {"_row": number}

    def text(self, key: str) -> str:
        return cell_text(self.raw.get(key))

    def refuse(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.number, LABELS.get(key, key), message))

    def choice(self, key: str, table: dict, default: str = "") -> str:
        text = self.text(key)
        if not text:
            return default
        if text not in table:
            self.refuse(key, _("无法识别“%(v)s”。") % {"v": text})
            return default
        return table[text]


def _check_texts(row: _Row) -> None:
    for key in ("number", "reference_no", "name", "address", "summary", "content", "result"):
        value = row.text(key)
        if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
            row.refuse(key, _("超过 %(n)s 个字符。") % {"n": MAX_LENGTHS[key]})
        row.values[key] = value
    if not row.values["summary"]:
        row.refuse("summary", _("必填。"))


def _check_kind(row: _Row) -> None:
    values = row.values
    values["case_type"] = row.choice("case_type", CASE_TYPES)
    if not row.text("case_type"):
        row.refuse("case_type", _("必填。"))
    values["channel"] = row.choice("channel", CHANNELS)
    if not row.text("channel"):
        row.refuse("channel", _("必填。"))
    values["petition_kind"] = row.choice("petition_kind", PETITION_KINDS)
    if values["case_type"] != CaseType.PETITION:
        values["petition_kind"] = ""
    values["closure"] = row.choice("closure", CLOSURES, Closure.RESOLVED)
    values["satisfaction"] = row.choice("satisfaction", SATISFACTIONS)
    if values["channel"] in REFERENCE_REQUIRED and not values["reference_no"]:
        row.refuse("reference_no", _("上级转送件和12378转来的件须填写来文/工单编号。"))


def _check_dates(row: _Row, now: dt.datetime) -> None:
    values = row.values
    received_at = parse_moment(row.raw.get("received_at"))
    if received_at is None:
        row.refuse(
            "received_at",
            _("必填，应为日期，如 2024-03-05。")
            if not row.text("received_at")
            else _("无法识别的日期“%(v)s”。") % {"v": row.text("received_at")},
        )
    elif received_at > now:
        row.refuse("received_at", _("接收时间不能晚于当前时间。"))
    values["received_at"] = received_at
    closed_at = parse_moment(row.raw.get("closed_at")) if row.text("closed_at") else None
    if row.text("closed_at") and closed_at is None:
        row.refuse("closed_at", _("无法识别的日期“%(v)s”。") % {"v": row.text("closed_at")})
    elif closed_at is not None and received_at is not None and closed_at < received_at.replace(hour=0, minute=0):
        row.refuse("closed_at", _("办结日期早于接收时间。"))
    elif closed_at is not None and closed_at > now:
        row.refuse("closed_at", _("办结日期不能晚于当前时间。"))
    values["closed_at"] = closed_at
    values["historical"] = bool(row.text("closed_at"))
    # Whether the office kept its deadline, as the old ledger says; unknown when it does not (no clocks to tell).
    on_time = row.text("closed_on_time").upper()
    values["closed_on_time"] = (on_time in YES) if on_time else None
    if on_time and on_time not in YES and on_time not in NO:
        row.refuse("closed_on_time", _("应为“是”或“否”。"))


def _check_person(row: _Row) -> None:
    """As at intake: the ID's check digit and birth date, the phone's form; only reports may be anonymous."""
    values = row.values
    anonymous = row.text("is_anonymous").upper()
    if anonymous not in YES and anonymous not in NO:
        row.refuse("is_anonymous", _("应为“是”或“否”。"))
    values["is_anonymous"] = anonymous in YES
    for key, check in (("id_number", validate_resident_id), ("phone", validate_phone)):
        value = row.text(key).upper() if key == "id_number" else row.text(key)
        if value:
            try:
                value = check(value)
            except ValidationError as exc:
                row.refuse(key, exc.messages[0])
        values[key] = value
    if values["is_anonymous"]:
        if values["case_type"] != CaseType.REPORT:
            row.refuse("is_anonymous", _("只有举报可以匿名；信访和投诉须登记姓名。"))
        values.update(name="", id_number="", phone="", address="")
    elif not values["name"]:
        row.refuse("name", _("请填写姓名。"))
    size = row.text("group_size") or "1"
    values["group_size"] = int(size) if size.isdigit() and int(size) >= 1 else 1
    if not (size.isdigit() and 1 <= int(size) <= 32767):
        row.refuse("group_size", _("人数应为正整数。"))


def _check_references(row: _Row, lookups: Lookups, unmatched: set[str]) -> None:
    values = row.values
    name = row.text("institution")
    values["institution"] = None
    if name:
        found = lookups.institutions.get(name, [])
        if not found:
            unmatched.add(name)
            row.refuse("institution", _("机构库中找不到“%(v)s”（按全称或简称）。") % {"v": name})
        elif len({i.pk for i in found}) > 1:
            row.refuse("institution", _("“%(v)s”对应多家机构，请填写全称。") % {"v": name})
        else:
            values["institution"] = found[0]
    for key in ("business", "cause"):
        text = row.text(key)
        values[key] = lookups.categories[key].get(text) or lookups.categories[key].get(text.upper()) if text else None
        if text and values[key] is None:
            row.refuse(key, _("未知的类别“%(v)s”。") % {"v": text})
    owner = row.text("owner")
    values["owner"] = lookups.users.get(owner) if owner else lookups.default_owner
    if values["owner"] is None:
        row.refuse("owner", _("本单位没有“%(v)s”这名人员。") % {"v": owner} if owner else _("请填写A岗（承办人）。"))


def _check_open_case(row: _Row) -> None:
    """A row without a closing date is registered now, with its clocks: what intake requires, it requires."""
    values = row.values
    if values["case_type"] == CaseType.PETITION and not values["petition_kind"]:
        row.refuse("petition_kind", _("请选择信访类别。"))
    if values["case_type"] == CaseType.COMPLAINT and not values["is_anonymous"]:
        if values["institution"] is None and not row.text("institution"):
            row.refuse("institution", _("转办投诉须选择被投诉机构。"))
        if not values["phone"]:
            row.refuse("phone", _("转办投诉须填写联系电话，以便机构联系和回访。"))


def _already_imported(row: _Row, lookups: Lookups) -> str:
    number, reference = row.text("number"), row.text("reference_no")
    if number and number in lookups.existing_numbers:
        return _("编号 %(v)s 已在台账中") % {"v": number}
    if reference and reference in lookups.existing_refs:
        return _("来文/工单编号 %(v)s 已在台账中") % {"v": reference}
    return ""


def _check_unique_in_file(row: _Row, seen: dict[tuple[str, str], int]) -> None:
    for key in ("number", "reference_no"):
        value = row.text(key)
        if not value:
            continue
        if (key, value) in seen:
            row.refuse(key, _("与第 %(n)s 行重复。") % {"n": seen[(key, value)]})
        else:
            seen[(key, value)] = row.number
    if not row.text("number") and not row.text("reference_no"):
        row.refuse("number", _("编号和来文/工单编号至少填一个。"))


def check_rows(rows: list[tuple[int, dict]], lookups: Lookups) -> Checked:
    """Every row checked; the cleaned rows to create, every problem, the rows skipped as already imported."""
    checked = Checked()
    seen: dict[tuple[str, str], int] = {}
    for number, raw in rows:
        row = _Row(number, raw, checked.problems)
        reason = _already_imported(row, lookups)
        if reason:
            checked.skipped.append({"row": number, "reason": reason})
            continue
        _check_unique_in_file(row, seen)
        _check_texts(row)
        _check_kind(row)
        _check_dates(row, lookups.now)
        _check_person(row)
        _check_references(row, lookups, checked.unmatched)
        if not row.values["historical"]:
            _check_open_case(row)
        checked.cleaned.append(row.values)
    return checked
