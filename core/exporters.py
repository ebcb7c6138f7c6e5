"""One dataset definition feeds every format (pretix's ListExporter pattern), and one writer writes every file.

An exporter yields a header row and then data rows; `write_xlsx_sheets` and `write_csv` stream them without a row
cap (openpyxl's write-only mode keeps memory flat however many rows there are). Every spreadsheet the product
writes goes through this module, so that each of them is ready to print (a title row with the period and the
filters, the header repeated on every printed page, landscape A4 fitted to the page width, an autofilter, date-times
as `yyyy-mm-dd hh:mm`, numbers as numbers) and none of them carries a live formula (see `is_formula_like`).
Downloads are answered by `xlsx_response` / `csv_response` / `file_response` with a Chinese file name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# Rows above the table in every sheet: the title, then the period / filters / export time; the header follows.
TITLE_ROW, CAPTION_ROW, HEADER_ROW = 1, 2, 3


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14
    kind: str = "text"  # text | date | datetime | int | decimal | money | percent


class ListExporter:
    """Subclasses set `columns` and implement `rows()`; `sheet_title` names the Excel sheet.

    `title` heads the sheet (its first row); it defaults to the sheet's name.
    """

    columns: list[Column] = []
    sheet_title = "数据"
    title = ""
    # True when rows() already yields times as local wall-clock (naive) values, ready for Excel.
    local_times = False

    def rows(self) -> Iterator[list[Any]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def header(self) -> list[str]:
        return [column.title for column in self.columns]


# --- Formula injection ---------------------------------------------------------------------------------
# A cell whose text starts with one of these is taken by Excel, WPS or LibreOffice for a formula (a CSV cell
# always, an xlsx cell as soon as someone edits it), e.g. =HYPERLINK("http://evil.example/x","点此"). Full-width
# forms count too: a Chinese input method may turn them into the ASCII ones. Leading white space (a tab, a CR)
# does not protect: spreadsheet programs skip it.
FORMULA_STARTS = frozenset("=+-@＝＋－＠")
_LEADING_SPACE = " \t\r\n\u3000"


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet program would read as a formula."""
    if not text:
        return False
    first = text[0]
    if first in FORMULA_STARTS:
        return True
    return first in _LEADING_SPACE and text.lstrip(_LEADING_SPACE)[:1] in FORMULA_STARTS


def neutralise_csv(value):
    """A CSV cell: text that looks like a formula gets a leading apostrophe (numbers are left alone)."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def _text_cell(sheet, text: str):
    """An xlsx cell holding `text` as text: never a formula, and kept as text when edited (quote prefix).

    The text itself is unchanged, so the cell shows exactly what was typed.
    """
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


# --- Excel ---------------------------------------------------------------------------------------------
# Number formats by column kind. Dates keep openpyxl's own yyyy-mm-dd.
_FORMATS = {
    "datetime": "yyyy-mm-dd hh:mm",
    "money": "#,##0.00",
    "decimal": "0.00",
    "percent": "0.0",
}


def _cell_value(value):
    if type(value) is dt.datetime and value.tzinfo is not None:
        # Excel has no time zones: write local wall-clock time.
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


class _SheetWriter:
    """Writes one exporter to one write-only sheet: print settings, title rows, header, rows, autofilter."""

    def __init__(self, workbook, exporter: ListExporter, *, title: str, caption: str, styles):
        from openpyxl.cell import WriteOnlyCell

        self.exporter = exporter
        self.sheet = workbook.create_sheet(exporter.sheet_title[:31])
        self.width = max(len(exporter.columns), 1)
        self.styles = styles
        self._page_setup()
        # One styled cell per formatted column, reused row after row: the row is written as soon as it is
        # appended, so the cell is free again for the next row (no new cell object, no style lookup per row).
        self.formatted = []
        for index, column in enumerate(exporter.columns):
            number_format = _FORMATS.get(column.kind)
            if number_format:
                cell = WriteOnlyCell(self.sheet)
                cell.number_format = number_format
                self.formatted.append((index, cell))
        self.text_columns = [index for index, column in enumerate(exporter.columns) if column.kind == "text"]
        self._write_heading(title, caption)

    def _page_setup(self) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        sheet = self.sheet
        for index, column in enumerate(self.exporter.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.row_dimensions[TITLE_ROW].height = 24
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        # Landscape A4, all columns on the page width, as many pages down as needed, the header on each page.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.6
        sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")
        sheet.oddFooter.center.size = 9

    def _write_heading(self, title: str, caption: str) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.cell_range import CellRange

        sheet, styles = self.sheet, self.styles
        last = get_column_letter(self.width)
        # The caption wraps inside the table's width; Excel does not grow a merged row by itself.
        table_width = sum(column.width for column in self.exporter.columns) or 14
        sheet.row_dimensions[CAPTION_ROW].height = 15 * max(1, -(-_display_width(caption) // table_width))
        for row, text, font in ((TITLE_ROW, title, styles["title_font"]), (CAPTION_ROW, caption, None)):
            cell = _text_cell(sheet, text) if is_formula_like(text) else WriteOnlyCell(sheet, value=text)
            if font is not None:
                cell.font = font
            cell.alignment = styles["wrap"]
            sheet.append([cell])
            # Merged across the table so that the text prints inside the page width.
            sheet.merged_cells.add(CellRange(f"A{row}:{last}{row}"))
        header = []
        for title_text in self.exporter.header():
            cell = WriteOnlyCell(sheet, value=title_text)
            cell.font = styles["header_font"]
            cell.fill = styles["header_fill"]
            cell.border = styles["header_border"]
            cell.alignment = styles["header_alignment"]
            header.append(cell)
        sheet.append(header)

    def write_rows(self, progress=None, done: int = 0) -> int:
        sheet = self.sheet
        formatted, text_columns = self.formatted, self.text_columns
        convert = not self.exporter.local_times
        count = 0
        for row in self.exporter.rows():
            values = [_cell_value(value) for value in row] if convert else list(row)
            for index in text_columns:
                if index >= len(values):
                    break
                value = values[index]
                if value.__class__ is str and is_formula_like(value):
                    values[index] = _text_cell(sheet, value)
            for index, cell in formatted:
                value = values[index]
                if value is not None and value != "":
                    cell.value = value
                    values[index] = cell
            sheet.append(values)
            count += 1
            if progress is not None and (done + count) % 1000 == 0:
                progress(done + count)
        self._finish(count)
        return count

    def _finish(self, count: int) -> None:
        from openpyxl.utils import get_column_letter

        # The autofilter covers the header and the rows (the sheet's tail is written when the workbook is saved).
        self.sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(self.width)}{HEADER_ROW + max(count, 1)}"


def _display_width(text: str) -> int:
    """Width in Excel's column units: a Chinese character takes about two."""
    return sum(1 if ord(char) < 0x2E80 else 2 for char in text)


def _styles() -> dict:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    return {
        "title_font": Font(bold=True, size=14),
        "header_font": Font(bold=True, color="FFFFFF"),
        "header_fill": PatternFill("solid", fgColor="1F4E79"),
        "header_border": Border(bottom=Side(style="thin", color="999999")),
        "header_alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(horizontal="left", vertical="center", wrap_text=True),
    }


def write_xlsx_sheets(
    target: IO[bytes] | str,
    exporters: Iterable[ListExporter],
    *,
    title: str = "",
    caption: str = "",
    progress=None,
) -> int:
    """Write each exporter to its own sheet; returns the number of data rows written.

    Each sheet starts with a title row (`title`, or the sheet's own title; both when a workbook has several
    sheets) and a caption row (`caption`: the period, the filters and when it was exported).
    """
    from openpyxl import Workbook

    exporters = list(exporters)
    workbook = Workbook(write_only=True)
    styles = _styles()
    total = 0
    for exporter in exporters:
        own = exporter.title or exporter.sheet_title
        if title and len(exporters) > 1:
            heading = _("%(title)s——%(sheet)s") % {"title": title, "sheet": own}
        else:
            heading = title or own
        writer = _SheetWriter(workbook, exporter, title=heading, caption=caption, styles=styles)
        total += writer.write_rows(progress, done=total)
    workbook.save(target)
    return total


def write_xlsx(target: IO[bytes] | str, exporter: ListExporter, *, title: str = "", caption: str = "", progress=None):
    return write_xlsx_sheets(target, [exporter], title=title, caption=caption, progress=progress)


def xlsx_bytes(exporters: Iterable[ListExporter], *, title: str = "", caption: str = "") -> tuple[bytes, int]:
    """The workbook as bytes, and the number of data rows (for small exports answered at once)."""
    buffer = io.BytesIO()
    rows = write_xlsx_sheets(buffer, exporters, title=title, caption=caption)
    return buffer.getvalue(), rows


# --- CSV -----------------------------------------------------------------------------------------------


def write_csv(target: IO[str], exporter: ListExporter) -> int:
    """UTF-8 CSV with a byte-order mark so that Excel on office PCs shows the Chinese; ISO dates.

    A CSV is data for other programs: the header is its first line (no title rows, no print settings).
    """
    target.write("\ufeff")
    writer = csv.writer(target)
    writer.writerow([neutralise_csv(title) for title in exporter.header()])
    count = 0
    for row in exporter.rows():
        writer.writerow([_csv_value(value) for value in row])
        count += 1
    return count


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_csv(value)
    if isinstance(value, dt.datetime):
        return _cell_value(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


# --- Downloads -----------------------------------------------------------------------------------------


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="export.xlsx"; filename*=UTF-8''…`: the Chinese name (RFC 6266), with an ASCII
    fallback for old clients."""
    kind = "inline" if inline else "attachment"
    extension = filename.rsplit(".", 1)[-1] if "." in filename else ""
    fallback = f"export.{extension}" if extension.isascii() and extension.isalnum() else "export"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def file_response(content, filename: str, *, content_type: str, inline: bool = False) -> HttpResponse:
    """Answer a download: `content` is bytes or an open binary file (streamed)."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(content, filename: str) -> HttpResponse:
    return file_response(content, filename, content_type=XLSX_CONTENT_TYPE)


def csv_response(content, filename: str) -> HttpResponse:
    return file_response(content, filename, content_type=CSV_CONTENT_TYPE)


def export_response(content, filename: str, file_format: str) -> HttpResponse:
    """An Excel or CSV download (a ListExporter's two formats), by format name."""
    return {"xlsx": xlsx_response, "csv": csv_response}[file_format](content, filename)


def period_figures_response(
    *, actor, exporters: Iterable[ListExporter], title: str, name: str, start: dt.date, end: dt.date, action: str
) -> HttpResponse:
    """The one path of a period's figures workbook (mediation, outreach; the statistics reports plug in here):
    the sheets under a title and the period caption, the audit entry `action` with the row count, and the download
    named `<name>-YYYYMMDD-YYYYMMDD.xlsx`."""
    from core.services.audit import log_action

    content, rows = xlsx_bytes(exporters, title=title, caption=period_caption(actor, start, end))
    log_action(actor=actor, action=action, org=actor.org, start=start.isoformat(), end=end.isoformat(), rows=rows)
    return xlsx_response(content, f"{name}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


def export_caption(*parts: str, when: dt.datetime | None = None, by: str = "", label: str = "") -> str:
    """The caption row: the parts (unit, period, filters) and when (and by whom) the file was exported."""
    from django.utils import timezone

    when = timezone.localtime(when or timezone.now())
    stamp = _("%(label)s：%(when)s") % {"label": label or _("导出时间"), "when": f"{when:%Y-%m-%d %H:%M}"}
    if by:
        stamp += _("（%(by)s）") % {"by": by}
    return "　".join([*(part for part in parts if part), stamp])


def period_caption(user, start: dt.date, end: dt.date) -> str:
    """The caption of a figures workbook: the user's unit, the period, when and by whom."""
    org = user.org if user.org_id else None
    unit = (org.full_name or org.name) if org is not None else ""
    period = _("统计期间：%(start)s 至 %(end)s") % {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    return export_caption(unit, period, by=str(user))
