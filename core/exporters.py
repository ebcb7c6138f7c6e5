"""One dataset definition feeds every format (pretix's ListExporter pattern).

An exporter yields a header row and then data rows; `write_xlsx` and `write_csv` stream them without a row cap.
openpyxl's write-only mode keeps memory flat however many rows there are.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14
    kind: str = "text"  # text | date | datetime | int | money


class ListExporter:
    """Subclasses set `columns` and implement `rows()`; `sheet_title` names the Excel sheet."""

    columns: list[Column] = []
    sheet_title = "数据"
    # True when rows() already yields times as local wall-clock (naive) values, ready for Excel.
    local_times = False

    def rows(self) -> Iterator[list[Any]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def header(self) -> list[str]:
        return [column.title for column in self.columns]


def _cell_value(value):
    if type(value) is dt.datetime and value.tzinfo is not None:
        # Excel has no time zones: write local wall-clock time.
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


# Number formats openpyxl would not choose by itself (it formats dates and times on its own).
_FORMATS = {"money": "#,##0.00"}


def write_xlsx_sheets(target: IO[bytes] | str, exporters: Iterable[ListExporter], progress=None) -> int:
    """Write each exporter to its own sheet; returns the number of data rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    thin = Side(style="thin", color="999999")
    header_border = Border(bottom=thin)
    total = 0
    for exporter in exporters:
        sheet = workbook.create_sheet(exporter.sheet_title[:31])
        sheet.freeze_panes = "A2"
        for index, column in enumerate(exporter.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        header = []
        for title in exporter.header():
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = header_font
            cell.fill = header_fill
            cell.border = header_border
            cell.alignment = Alignment(horizontal="center", vertical="center")
            header.append(cell)
        sheet.append(header)
        # openpyxl gives dates (yyyy-mm-dd) and times (yyyy-mm-dd h:mm:ss) a date format by itself; a styled
        # cell is made only where another format is wanted (money), which keeps the per-row cost at what
        # openpyxl needs for the bare values.
        formats = [_FORMATS.get(column.kind) for column in exporter.columns]
        styled = any(formats)
        for row in exporter.rows():
            if styled:
                values = []
                for value, number_format in zip(row, formats, strict=False):
                    if number_format and value is not None and value != "":
                        cell = WriteOnlyCell(sheet, value=_cell_value(value))
                        cell.number_format = number_format
                        values.append(cell)
                    else:
                        values.append(_cell_value(value))
                sheet.append(values)
            elif exporter.local_times:
                sheet.append(row)
            else:
                sheet.append([_cell_value(value) for value in row])
            total += 1
            if progress is not None and total % 1000 == 0:
                progress(total)
    workbook.save(target)
    return total


def write_xlsx(target: IO[bytes] | str, exporter: ListExporter, progress=None) -> int:
    return write_xlsx_sheets(target, [exporter], progress=progress)


def write_csv(target: IO[str], exporter: ListExporter) -> int:
    """UTF-8 CSV with a byte-order mark so that Excel on office PCs shows the Chinese; ISO dates."""
    target.write("\ufeff")
    writer = csv.writer(target)
    writer.writerow(exporter.header())
    count = 0
    for row in exporter.rows():
        writer.writerow([_csv_value(value) for value in row])
        count += 1
    return count


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _cell_value(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value
