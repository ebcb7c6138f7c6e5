"""The statistics report as an Excel workbook: a sheet for the summary, then one sheet per table (numbers as
numbers; the print set-up — title rows, the header repeated, landscape A4 fitted to the width — comes from
core.exporters). No personal data: counts and amounts only."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from core.exporters import Column, ListExporter


def number(value):
    """Counts are integers; amounts are kept as text in the JSON and written as numbers."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


class SummaryExporter(ListExporter):
    sheet_title = "概况"
    columns = [Column("项目", 24), Column("内容", 90)]

    def __init__(self, report):
        self.report = report

    def rows(self):
        report = self.report
        yield ["单位", report.org.full_name or report.org.name]
        yield ["统计期间", f"{report.period_label}（{report.figures.get('start')} 至 {report.figures.get('end')}）"]
        yield ["版本", f"第 {report.version} 版（{report.get_status_display()}）"]
        yield ["工作小结", report.summary]
        if report.supersede_reason:
            yield ["更正原因", report.supersede_reason]


class TableExporter(ListExporter):
    """One table of the report: the item, then its figures."""

    def __init__(self, table: dict, number_in_book: int):
        self.table = table
        # Sheet names must be unique and at most 31 characters; the number keeps them apart.
        self.sheet_title = f"{number_in_book}.{table['title']}"[:31]
        self.title = table["title"]
        self.columns = [Column("项目", 36)] + [Column(title, 14, "int") for title in table["columns"]]

    def rows(self):
        for row in self.table["rows"]:
            yield [row["label"], *(number(value) for value in row["values"])]
        if self.table.get("note"):
            yield [self.table["note"]]


def workbook_exporters(report) -> list[ListExporter]:
    tables = report.figures.get("tables", [])
    return [SummaryExporter(report)] + [TableExporter(table, n) for n, table in enumerate(tables, start=1)]
