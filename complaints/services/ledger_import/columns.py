"""The ledger fields a workbook's columns can be mapped to, reading the workbook, and the template to download."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PREVIEW_ROWS = 10


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str  # also the template's header, so the template maps itself
    note: str  # the template's help sheet
    required: bool = False


FIELDS = [
    ImportField(
        "number", gettext_lazy("编号"), gettext_lazy("本单位台账的编号；与来文/工单编号至少填一个，重复导入时据此跳过")
    ),
    ImportField(
        "reference_no", gettext_lazy("来文/工单编号"), gettext_lazy("12378工单号或上级交办单号；这两个渠道必填")
    ),
    ImportField("case_type", gettext_lazy("类型"), gettext_lazy("信访、举报 或 转办投诉"), True),
    ImportField(
        "petition_kind", gettext_lazy("信访类别"), gettext_lazy("建议意见、检举控告 或 申诉求决；未办结的信访必填")
    ),
    ImportField(
        "channel",
        gettext_lazy("来源渠道"),
        gettext_lazy("走访、电话、书信、传真、网络、上级转送/交办 或 12378热线"),
        True,
    ),
    ImportField("received_at", gettext_lazy("接收时间"), gettext_lazy("日期，如 2024-03-05 或 2024-03-05 09:30"), True),
    ImportField("name", gettext_lazy("姓名"), gettext_lazy("匿名举报可空，其余必填")),
    ImportField("id_number", gettext_lazy("身份证号"), gettext_lazy("18位，按校验位检查")),
    ImportField("phone", gettext_lazy("联系电话"), gettext_lazy("手机11位，固定电话带区号；未办结的转办投诉必填")),
    ImportField("address", gettext_lazy("地址"), gettext_lazy("可空")),
    ImportField("is_anonymous", gettext_lazy("匿名"), gettext_lazy("是/否，只有举报可以匿名")),
    ImportField("group_size", gettext_lazy("人数"), gettext_lazy("正整数，默认 1")),
    ImportField("institution", gettext_lazy("涉及机构"), gettext_lazy("机构全称或简称，须与机构库一致")),
    ImportField("business", gettext_lazy("业务类别"), gettext_lazy("名称或代码，可空")),
    ImportField("cause", gettext_lazy("投诉原因"), gettext_lazy("名称或代码，可空")),
    ImportField("summary", gettext_lazy("事项摘要"), gettext_lazy("不超过200字"), True),
    ImportField("content", gettext_lazy("具体内容"), gettext_lazy("可空")),
    ImportField(
        "owner", gettext_lazy("A岗（承办人）"), gettext_lazy("本单位人员的姓名或用户名；空则为导入人或本单位负责人")
    ),
    ImportField(
        "closed_at",
        gettext_lazy("办结日期"),
        gettext_lazy("填写的行作为历史件（已办结）导入；空的行作为新件登记并起算期限"),
    ),
    ImportField(
        "closure",
        gettext_lazy("办结方式"),
        gettext_lazy("办结、不予受理、非本机关职责、重复件、转调解/升级处理 或 撤回；默认 办结"),
    ),
    ImportField("result", gettext_lazy("办理结果"), gettext_lazy("可空")),
    ImportField("closed_on_time", gettext_lazy("按时办结"), gettext_lazy("是/否，历史件可填；空为未知")),
    ImportField("satisfaction", gettext_lazy("回访满意度"), gettext_lazy("满意、基本满意、不满意 或 无法联系，可空")),
]
FIELD_KEYS = [f.key for f in FIELDS]
LABELS = {f.key: str(f.label) for f in FIELDS}
REQUIRED_KEYS = [f.key for f in FIELDS if f.required]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_text(value) -> str:
    return _text(value)


class UnreadableWorkbook(Exception):
    pass


def read_workbook(source, *, limit: int | None = None) -> tuple[list[str], list[tuple[int, list]]]:
    """The first sheet's header texts and its non-empty rows with their row numbers (the header is row 1);
    with `limit`, only the first rows (the preview does not parse a 10,000-row file)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableWorkbook from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, [])]
        body = []
        for number, values in enumerate(rows, start=2):
            if any(v not in (None, "") for v in values):
                body.append((number, list(values)))
                if limit is not None and len(body) >= limit:
                    break
    finally:
        workbook.close()
    return header, body


def read_header(source) -> tuple[list[str], int]:
    """The header texts and the number of rows below it, from the sheet's recorded dimensions when it has them
    (Excel always writes them), so that an upload does not parse every cell; the check counts exactly."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableWorkbook from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, [])]
        recorded = sheet.max_row if sheet.max_row and sheet.max_row > 1 else None
        count = recorded - 1 if recorded else sum(1 for values in rows if any(v not in (None, "") for v in values))
    finally:
        workbook.close()
    return header, count


def guess_mapping(headers: list[str], saved: dict | None = None) -> dict[str, str]:
    """The office's saved mapping where its headers are still in the file, else a header equal to the field's name."""
    saved = saved or {}
    mapping = {}
    for key in FIELD_KEYS:
        if saved.get(key) in headers:
            mapping[key] = saved[key]
        elif LABELS[key] in headers:
            mapping[key] = LABELS[key]
    return mapping


def mapping_problems(mapping: dict, headers: list[str]) -> list[str]:
    problems = [_("请为“%(f)s”选择一列。") % {"f": LABELS[key]} for key in REQUIRED_KEYS if not mapping.get(key)]
    if not mapping.get("number") and not mapping.get("reference_no"):
        problems.append(_("“编号”和“来文/工单编号”至少要对应一列，重复导入时据此识别已导入的件。"))
    problems += [
        _("文件中没有“%(h)s”这一列。") % {"h": header}
        for header in mapping.values()
        if header and header not in headers
    ]
    return problems


def mapped_rows(headers: list[str], body: list[tuple[int, list]], mapping: dict) -> list[tuple[int, dict]]:
    """Each row as {field key: raw cell value} through the mapping."""
    index = {key: headers.index(header) for key, header in mapping.items() if header in headers}
    rows = []
    for number, values in body:
        rows.append((number, {key: values[i] if i < len(values) else None for key, i in index.items()}))
    return rows


def template_workbook() -> bytes:
    """The workbook to fill in: headers equal to the field names (so it maps itself), two examples, a help sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    sheet.append([str(f.label) for f in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    example = {
        "number": "TS-2023-0001",
        "case_type": "转办投诉",
        "channel": "走访",
        "received_at": "2023-03-06",
        "name": "王某",
        "phone": "13800000000",
        "institution": "示例银行",
        "summary": "信用卡分期手续费未告知",
        "closed_at": "2023-03-20",
        "closure": "办结",
        "result": "机构已退还手续费",
        "satisfaction": "满意",
    }
    sheet.append([example.get(f.key, "") for f in FIELDS])
    fresh = {
        "reference_no": "12378-2026-000123",
        "case_type": "转办投诉",
        "channel": "12378热线",
        "received_at": "2026-06-01",
        "name": "李某",
        "phone": "13900000000",
        "institution": "示例银行",
        "summary": "理赔拖延",
    }
    sheet.append([fresh.get(f.key, "") for f in FIELDS])
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("填写说明")
    help_sheet.append(["列", "是否必填", "说明"])
    for field in FIELDS:
        help_sheet.append([str(field.label), "是" if field.required else "否", str(field.note)])
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
