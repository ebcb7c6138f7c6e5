"""The ledger's columns, written once: the page's header and cells and the export's header and cells all come from
`LEDGER_COLUMNS` (docs/architecture.md, "The ledger's columns").

A column has its title, the page's cell (HTML, or None when only the export has it) and the export's columns with
their values (none when only the page has it: a page column may become several export columns, e.g. A岗/B岗 → A岗,
B岗, since a spreadsheet sorts and filters on plain values). To add a column, add one entry here; if it needs a
field the ledger does not read yet, add it to `complaints.selectors.LEDGER_ROW_VALUES` and `LedgerRow`.

Personal data is masked in both (docs/domain.md, "个人信息"): the petitioner's name, the summary's numbers, and
the phone, which only the export shows (masked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.exporters import Column
from core.labels import field_label
from core.markup import as_html, cut
from core.personal import mask_free_text, mask_name, mask_phone
from core.services.deadlines import overdue_label
from core.templatetags.core_deadlines import provisional_badge_html

from .models import Case
from .models.choices import CaseType
from .selectors import DaysLeft, LedgerRow


def petitioner_label(case_type: str, name: str, is_anonymous: bool) -> str:
    """The petitioner as lists and exports show them: masked, and never a reporter's identity."""
    if is_anonymous or not name:
        return _("匿名")
    if case_type == CaseType.REPORT:
        # A 举报 reporter's identity never leaves the case page (docs/domain.md, "个人信息"), not even masked.
        return _("举报人（保密）")
    return mask_name(name)


@dataclass(slots=True)
class LedgerLine:
    """One case as a row of the ledger: the row's values and what both outputs compute from them once."""

    case: LedgerRow
    tz: dt.tzinfo
    days: int | None  # calendar days left to an open case's due date (negative: overdue)
    working: int | None  # working days left (None: the calendar lacks a year in between)
    url: str = ""  # the case page (the page's rows only)

    @classmethod
    def of(cls, case: LedgerRow, *, days_left: DaysLeft, tz: dt.tzinfo, url: str = "") -> LedgerLine:
        # A paused clock (暂停) is neither counting down nor overdue (docs/domain.md「暂停计时」): no days left.
        due = case.due_on if case.is_open and not case.clock_paused else None
        return cls(case, tz, days_left.calendar_days(due), days_left.working_days(due), url)

    @property
    def received_local(self) -> dt.datetime:
        # Excel has no time zones: local wall-clock time.
        return self.case.received_at.astimezone(self.tz).replace(tzinfo=None)

    @property
    def closed_on(self) -> dt.date | None:
        return self.case.closed_at.astimezone(self.tz).date() if self.case.closed_at else None

    @property
    def open_due(self) -> dt.date | None:
        return self.case.due_on if self.case.is_open else None

    @property
    def hides_contact(self) -> bool:
        return self.case.is_anonymous or self.case.case_type == CaseType.REPORT


Cell = Callable[[LedgerLine], Any]


@dataclass(frozen=True)
class LedgerColumn:
    title: object
    page: Cell | None  # the page's cell: text (escaped) or HTML built with format_html; None: export only
    export: tuple[tuple[Column, Cell], ...] = field(default=())  # the export's columns and values; (): page only
    nowrap: bool = False  # the page's cell keeps to one line


def _number_cell(line):
    # Both values escaped by html.escape, as format_html would, without its wrappers (docs/performance.md「第九轮」).
    return mark_safe(f'<a href="{escape(line.url)}">{escape(line.case.number)}</a>')  # nosec B308 B703  # noqa: S308


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def _label(name):
    return lambda line: field_label(Case, name, getattr(line.case, name))


def _petitioner(line):
    return petitioner_label(line.case.case_type, line.case.name, line.case.is_anonymous)


def _status_cell(line):
    status = field_label(Case, "status", line.case.status)
    if not line.case.is_historical:
        return status
    return format_html('{} <span class="badge text-bg-secondary">{}</span>', status, _("历史导入"))


def _due_cell(line):
    case = line.case
    if case.due_on and case.due_provisional and case.is_open:
        return format_html("{} {}", _date(case.due_on), provisional_badge_html(True))
    return _date(case.due_on)


@lru_cache(maxsize=2048)
def _days_cells(language: str | None, days: int, working: int | None) -> SafeString:
    """The "days left" cell of an open, running case, drawn once per language and pair of counts: the pairs repeat
    from row to row and page to page, and each drawing costs two gettext calls (~5 µs each)."""
    if days < 0:
        return format_html('<span class="badge text-bg-danger">{}</span>', overdue_label(working))
    if working is not None and working <= 3:
        text = _("%(n)s天（%(w)s个工作日）") % {"n": days, "w": working}
        return format_html('<span class="badge text-bg-warning">{}</span>', text)
    if working is None:
        return format_html("{}", _("%(n)s天") % {"n": days})
    return format_html(
        '{}<span class="text-muted">（{}）</span>', _("%(n)s天") % {"n": days}, _("%(w)s个工作日") % {"w": working}
    )


def _days_cell(line):
    days, working = line.days, line.working
    if line.case.is_open and line.case.clock_paused:
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("暂停"))
    if not line.case.is_open or days is None:
        return "—"
    return _days_cells(get_language(), days, working)


# Numbers stay numbers in the export: an overdue case leaves the two "left" columns blank and counts its working
# days past the due date in 超期工作日, as the page reads it ("超期 N 个工作日"; 0 = less than one working day).
def _days_export(line):
    return line.days if line.days is None or line.days >= 0 else None


def _working_export(line):
    return line.working if line.days is None or line.days >= 0 else None


def _overdue_export(line):
    if line.days is None or line.days >= 0 or line.working is None:
        return None
    return max(-line.working, 0)


LEDGER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn(
        gettext_lazy("编号"),
        _number_cell,
        ((Column("编号", 16), lambda line: line.case.number),),
    ),
    LedgerColumn(
        gettext_lazy("接收时间"),
        lambda line: line.received_local.strftime("%Y-%m-%d %H:%M"),
        ((Column("接收时间", 17, "datetime"), lambda line: line.received_local),),
        nowrap=True,
    ),
    LedgerColumn(gettext_lazy("来源渠道"), _label("channel"), ((Column("来源渠道", 12), _label("channel")),)),
    LedgerColumn(gettext_lazy("类型"), _label("case_type"), ((Column("类型", 10), _label("case_type")),)),
    LedgerColumn(gettext_lazy("信访人/投诉人"), _petitioner, ((Column("信访人/投诉人", 14), _petitioner),)),
    LedgerColumn(
        gettext_lazy("联系电话"),
        None,
        ((Column("联系电话", 14), lambda line: "" if line.hides_contact else mask_phone(line.case.phone)),),
    ),
    LedgerColumn(
        gettext_lazy("涉及机构"),
        lambda line: line.case.institution or "—",
        ((Column("涉及机构", 22), lambda line: line.case.institution or ""),),
    ),
    LedgerColumn(
        gettext_lazy("事项摘要"),
        # Masked before it is cut: a number cut in half would no longer be recognised.
        lambda line: cut(mask_free_text(line.case.summary), 40),
        ((Column("事项摘要", 40), lambda line: mask_free_text(line.case.summary)),),
    ),
    LedgerColumn(
        gettext_lazy("A岗/B岗"),
        lambda line: line.case.owner + (f" / {line.case.backup}" if line.case.backup else ""),
        (
            (Column("A岗", 10), lambda line: line.case.owner),
            (Column("B岗", 10), lambda line: line.case.backup or ""),
        ),
        nowrap=True,
    ),
    LedgerColumn(gettext_lazy("状态"), _status_cell, ((Column("状态", 14), _label("status")),)),
    LedgerColumn(
        gettext_lazy("当前期限"),
        _due_cell,
        (
            (Column("当前期限", 12, "date"), lambda line: line.open_due),
            (Column("期限暂定", 9), lambda line: _("暂定") if line.open_due and line.case.due_provisional else ""),
        ),
        nowrap=True,
    ),
    LedgerColumn(
        gettext_lazy("剩余天数"),
        _days_cell,
        (
            (Column("剩余天数", 9, "int"), _days_export),
            (Column("剩余工作日", 10, "int"), _working_export),
            (Column("超期工作日", 10, "int"), _overdue_export),
        ),
        nowrap=True,
    ),
    LedgerColumn(
        gettext_lazy("办结日期"),
        lambda line: _date(line.closed_on),
        ((Column("办结日期", 12, "date"), lambda line: line.closed_on),),
        nowrap=True,
    ),
)


# Read from LEDGER_COLUMNS at each call (once per page or export, not per row), so that the table is the one place.
def page_columns() -> list[LedgerColumn]:
    return [column for column in LEDGER_COLUMNS if column.page is not None]


def export_columns() -> list[Column]:
    return [export_column for column in LEDGER_COLUMNS for export_column, _cell in column.export]


def export_row_builder() -> Callable[[LedgerLine], list]:
    cells = tuple(cell for column in LEDGER_COLUMNS for _column, cell in column.export)
    return lambda line: [cell(line) for cell in cells]


def page_rows_html(lines) -> SafeString:
    """The page's `<tr>` rows; built in Python, since 50 rows through the template engine cost ~15 ms a page.
    Every cell goes through `as_html`: text is escaped, HTML built by format_html is kept."""
    cells = tuple((column.page, '<td class="text-nowrap">' if column.nowrap else "<td>") for column in page_columns())
    rows = (
        "<tr>" + "".join(f"{opening}{as_html(cell(line))}</td>" for cell, opening in cells) + "</tr>" for line in lines
    )
    return mark_safe("\n".join(rows))  # nosec B308 B703 # every cell escaped by as_html  # noqa: S308
