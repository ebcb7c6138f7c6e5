"""Importing institutions from an Excel workbook: every row is validated first; one bad row rejects the
whole file, with every problem reported by row and column, and nothing is written."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.access import visible_orgs
from core.models import Category, OrgUnit
from core.personal import validate_phone
from core.services.audit import log_action

from ..models import Institution

# (header, field, required); the template workbook uses the same headers in the same order.
COLUMNS = [
    ("全称", "full_name", True),
    ("简称", "short_name", True),
    ("机构类型", "type", True),
    ("法人/分支", "entity_kind", True),
    ("上级机构全称", "parent", False),
    ("监管单位代码", "org", True),
    ("网点数", "outlets", False),
    ("客户数（万户）", "customers", False),
    ("地址", "address", False),
    ("联系人", "contact_person", False),
    ("联系电话", "contact_phone", False),
    ("有效", "is_active", False),
]
MAX_LENGTHS = {"full_name": 120, "short_name": 40, "address": 200, "contact_person": 30, "contact_phone": 30}
YES = {"是", "有效", "Y", "YES", "TRUE", "1"}
NO = {"否", "无效", "N", "NO", "FALSE", "0"}


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str


class ImportRejected(ValidationError):
    """The file was refused; `problems` lists every problem found."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(_("文件有 %(n)s 处问题，未导入任何数据。") % {"n": len(problems)})


@dataclass
class ImportResult:
    created: int
    updated: int


def template_workbook() -> bytes:
    """The workbook users fill in: headers, an example row and a sheet explaining the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "机构"
    sheet.append([header for header, _field, _required in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    sheet.append(
        [
            "示例银行股份有限公司莱州支行",
            "示例银行",
            "股份制银行",
            "分支机构",
            "",
            "laizhou",
            3,
            5,
            "山东省莱州市文化东路1号",
            "办公室",
            "0535-2200000",
            "是",
        ]
    )
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKL", (36, 16, 18, 12, 36, 14, 8, 12, 36, 12, 16, 6), strict=True):
        sheet.column_dimensions[letter].width = width
    help_sheet = workbook.create_sheet("填写说明")
    help_sheet.append(["列", "是否必填", "说明"])
    notes = {
        "机构类型": "填写名称或代码："
        + "、".join(f"{c.name}（{c.code}）" for c in Category.objects.of_kind(Category.Kind.INSTITUTION_TYPE)),
        "法人/分支": "法人机构 或 分支机构",
        "上级机构全称": "已有机构或本文件中前面各行的全称，可空",
        "监管单位代码": "组织单位代码，如 laizhou",
        "网点数": "非负整数，默认 1",
        "客户数（万户）": "非负整数，默认 0",
        "联系电话": "手机或固定电话，如 0535-2200000",
        "有效": "是/否，默认 是",
    }
    for header, _field, required in COLUMNS:
        help_sheet.append([header, "是" if required else "否", notes.get(header, "")])
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read(upload) -> tuple[list[str], list[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportRejected([ImportProblem(0, "", _("无法读取文件，请使用下载的Excel模板（.xlsx）。"))]) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, [])]
    body = [(number, list(values)) for number, values in enumerate(rows, start=2) if any(_text(v) for v in values)]
    workbook.close()
    return header, body


# The largest count a column can hold (PostgreSQL's integer, the columns' type): a bigger number is refused with
# the row's other problems instead of failing the whole import when it is written.
LARGEST_COUNT = 2_147_483_647


def _int(value, column, number, problems, default):
    text = _text(value)
    if not text:
        return default
    try:
        parsed = int(text)
    except ValueError:
        parsed = -1
    if not 0 <= parsed <= LARGEST_COUNT:
        problems.append(
            ImportProblem(
                number, column, _("应为 0 至 %(max)s 的整数，实际为“%(v)s”。") % {"max": LARGEST_COUNT, "v": text}
            )
        )
        return default
    return parsed


@dataclass
class _Lookups:
    """What cells are matched against: institution types by code or name, entity kinds, the units allowed."""

    types: dict
    kinds: dict
    orgs: dict


def _lookups(actor) -> _Lookups:
    types = {}
    for category in Category.objects.of_kind(Category.Kind.INSTITUTION_TYPE):
        types[category.code.upper()] = category
        types[category.name] = category
    kinds = {str(label): value for value, label in Institution.EntityKind.choices}
    orgs = {org.code: org for org in visible_orgs(actor)} if actor is not None else {}
    if actor is not None and actor.is_superuser:
        orgs = {org.code: org for org in OrgUnit.objects.all()}
    return _Lookups(types=types, kinds=kinds, orgs=orgs)


def _texts(number: int, raw: dict, problems: list[ImportProblem]) -> dict:
    """Every cell as text, with the required and length checks."""
    row = {"_row": number}
    for header_text, field, required in COLUMNS:
        text = _text(raw[field])
        if required and not text:
            problems.append(ImportProblem(number, header_text, _("必填。")))
        if field in MAX_LENGTHS and len(text) > MAX_LENGTHS[field]:
            problems.append(ImportProblem(number, header_text, _("超过 %(n)s 个字符。") % {"n": MAX_LENGTHS[field]}))
        row[field] = text
    return row


def _resolve_references(row: dict, raw: dict, lookups: _Lookups, problems: list[ImportProblem]) -> None:
    """Institution type, legal entity or branch, and supervising unit: text in, the matching value out."""
    number = row["_row"]
    if row["type"]:
        row["type"] = lookups.types.get(row["type"]) or lookups.types.get(row["type"].upper())
        if row["type"] is None:
            problems.append(ImportProblem(number, "机构类型", _("未知的机构类型“%(v)s”。") % {"v": _text(raw["type"])}))
    if row["entity_kind"]:
        kind = lookups.kinds.get(row["entity_kind"]) or (
            row["entity_kind"] if row["entity_kind"] in Institution.EntityKind.values else None
        )
        if kind is None:
            problems.append(ImportProblem(number, "法人/分支", _("应为“法人机构”或“分支机构”。")))
        row["entity_kind"] = kind
    if row["org"]:
        code = row["org"]
        row["org"] = lookups.orgs.get(code)
        if row["org"] is None:
            problems.append(ImportProblem(number, "监管单位代码", _("未知或无权导入的单位代码“%(v)s”。") % {"v": code}))


def _check_values(row: dict, raw: dict, problems: list[ImportProblem]) -> None:
    """Counts, the phone number and the active flag."""
    number = row["_row"]
    row["outlets"] = _int(raw["outlets"], "网点数", number, problems, 1)
    row["customers"] = _int(raw["customers"], "客户数（万户）", number, problems, 0)
    if row["contact_phone"]:
        try:
            validate_phone(row["contact_phone"])
        except ValidationError as exc:
            problems.append(ImportProblem(number, "联系电话", exc.messages[0]))
    active = row["is_active"].upper()
    if active and active not in YES and active not in NO:
        problems.append(ImportProblem(number, "有效", _("应为“是”或“否”。")))
    row["is_active"] = active not in NO


def _check_duplicate(row: dict, seen: dict[tuple[str, str], int], problems: list[ImportProblem]) -> None:
    if row["full_name"] and row["org"]:
        key = (row["org"].code, row["full_name"])
        if key in seen:
            problems.append(ImportProblem(row["_row"], "全称", _("与第 %(n)s 行重复。") % {"n": seen[key]}))
        seen[key] = row["_row"]


def _check_parents(cleaned: list[dict], seen: dict[tuple[str, str], int], problems: list[ImportProblem]) -> None:
    """Parents: an existing institution of the same unit, or one named on an earlier row of the file."""
    for row in cleaned:
        if not row["parent"] or not row["org"]:
            continue
        earlier = seen.get((row["org"].code, row["parent"]))
        exists = Institution.objects.filter(org=row["org"], full_name=row["parent"]).exists()
        if row["parent"] == row["full_name"]:
            problems.append(ImportProblem(row["_row"], "上级机构全称", _("不能是机构本身。")))
        elif not exists and (earlier is None or earlier >= row["_row"]):
            problems.append(
                ImportProblem(row["_row"], "上级机构全称", _("找不到上级机构“%(v)s”。") % {"v": row["parent"]})
            )


def validate_rows(*, actor, header, body) -> tuple[list[dict], list[ImportProblem]]:
    """Check every row; returns the cleaned rows and every problem found."""
    expected = [h for h, _f, _r in COLUMNS]
    missing = [h for h in expected if h not in header]
    if missing:
        return [], [ImportProblem(1, h, _("缺少此列，请使用模板。")) for h in missing]
    index = {h: header.index(h) for h in expected}
    lookups = _lookups(actor)
    problems: list[ImportProblem] = []
    seen: dict[tuple[str, str], int] = {}
    cleaned = []
    for number, values in body:
        raw = {f: values[index[h]] if index[h] < len(values) else None for h, f, _r in COLUMNS}
        row = _texts(number, raw, problems)
        _resolve_references(row, raw, lookups, problems)
        _check_values(row, raw, problems)
        _check_duplicate(row, seen, problems)
        cleaned.append(row)
    _check_parents(cleaned, seen, problems)
    problems.sort(key=lambda p: (p.row, expected.index(p.column) if p.column in expected else -1))
    return cleaned, problems


def institutions_import(*, actor, upload) -> ImportResult:
    """Import the workbook all or nothing."""
    if not (actor.is_superuser or actor.has_perm("institutions.add_institution")):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("只有系统管理员可以导入机构。"))
    header, body = _read(upload)
    if not body:
        raise ImportRejected([ImportProblem(0, "", _("文件中没有数据行。"))])
    cleaned, problems = validate_rows(actor=actor, header=header, body=body)
    if problems:
        raise ImportRejected(problems)
    created = updated = 0
    with transaction.atomic():
        by_name: dict[tuple[int, str], Institution] = {}
        for row in cleaned:
            institution = Institution.objects.filter(org=row["org"], full_name=row["full_name"]).first()
            is_new = institution is None
            institution = institution or Institution(org=row["org"], full_name=row["full_name"])
            for field in ("short_name", "type", "entity_kind", "outlets", "customers", "address", "contact_person"):
                setattr(institution, field, row[field])
            institution.contact_phone = row["contact_phone"]
            institution.is_active = row["is_active"]
            if row["parent"]:
                institution.parent = by_name.get((row["org"].pk, row["parent"])) or Institution.objects.get(
                    org=row["org"], full_name=row["parent"]
                )
            institution._change_reason = _("Excel导入")
            institution.save()
            by_name[(row["org"].pk, row["full_name"])] = institution
            created += is_new
            updated += not is_new
        log_action(actor=actor, action="institutions.institution.imported", created=created, updated=updated)
    return ImportResult(created=created, updated=updated)
