"""The one writer every spreadsheet goes through: print settings, number formats and formula neutralising."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.exporters import (
    HEADER_ROW,
    Column,
    ListExporter,
    content_disposition,
    is_formula_like,
    write_csv,
    write_xlsx,
)
from tests.helpers import FORMULA_PAYLOADS, assert_csv_payloads_neutralised, assert_payloads_are_text, csv_rows


class Sample(ListExporter):
    sheet_title = "样例"
    columns = [
        Column("文字", 30),
        Column("时间", 17, "datetime"),
        Column("日期", 12, "date"),
        Column("件数", 8, "int"),
        Column("金额", 12, "money"),
        Column("比值", 8, "decimal"),
    ]

    def __init__(self, texts):
        self.texts = texts

    def rows(self):
        for text in self.texts:
            yield [text, dt.datetime(2026, 3, 10, 9, 5), dt.date(2026, 3, 11), -3, Decimal("-1500.50"), Decimal("1.25")]


@pytest.mark.parametrize(
    "text",
    [*FORMULA_PAYLOADS, " =1", "\u3000+1", "\n-1", "＝1", "＋1", "－1", "＠A1", "-", "=", "@"],
)
def test_formula_like_text_is_recognised(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("text", ["", "王小明", "1+1", "TS-2026-0001", "a=b", " 普通", "电话 13812345678"])
def test_ordinary_text_is_left_alone(text):
    assert not is_formula_like(text)


def test_xlsx_keeps_payloads_as_text_and_numbers_as_numbers():
    buffer = io.BytesIO()
    write_xlsx(buffer, Sample([*FORMULA_PAYLOADS, "普通文字"]), title="样例表", caption="期间：2026年3月")
    assert_payloads_are_text(buffer.getvalue())
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["样例"]
    first = sheet[HEADER_ROW + 1]
    assert first[0].quotePrefix  # shown as typed, and kept as text if someone edits the cell
    assert first[1].value == dt.datetime(2026, 3, 10, 9, 5) and first[1].number_format == "yyyy-mm-dd hh:mm"
    assert first[2].number_format == "yyyy-mm-dd"
    assert first[3].value == -3 and first[3].data_type == "n"
    assert first[4].value == -1500.5 and first[4].number_format == "#,##0.00"
    assert first[5].value == 1.25 and first[5].number_format == "0.00"
    assert not sheet[HEADER_ROW + 7][0].quotePrefix  # 普通文字
    assert (sheet["A1"].value, sheet["A2"].value) == ("样例表", "期间：2026年3月")
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:F1", "A2:F2"}
    assert sheet.auto_filter.ref == "A3:F10"


def test_csv_neutralises_payloads_but_not_negative_numbers():
    text = io.StringIO()
    write_csv(text, Sample([*FORMULA_PAYLOADS, "普通文字"]))
    content = text.getvalue().encode("utf-8")
    assert_csv_payloads_neutralised(content)
    rows = csv_rows(content)
    assert rows[0] == ["文字", "时间", "日期", "件数", "金额", "比值"]
    assert rows[-1] == ["普通文字", "2026-03-10 09:05", "2026-03-11", "-3", "-1500.50", "1.25"]


def test_downloads_carry_the_chinese_name_and_an_ascii_fallback():
    assert content_disposition("信访投诉台账-20260310.xlsx") == (
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''"
        "%E4%BF%A1%E8%AE%BF%E6%8A%95%E8%AF%89%E5%8F%B0%E8%B4%A6-20260310.xlsx"
    )
    assert content_disposition("文书.pdf", inline=True).startswith('inline; filename="export.pdf"')
