"""Fuzzing the institution import with hypothesis: any bytes, any CSV text, any workbook.

The page never fails: either the file is imported, or it is refused with a Chinese message (and each
problem by row and column in Chinese) and no institution is created or changed. Each example runs in a
savepoint that is rolled back; the administrator and the reference data are shared fixtures.
"""

from __future__ import annotations

import io
import os
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from institutions.models import Institution
from institutions.services.importer import COLUMNS
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

URL = reverse("institutions:import")
CJK = re.compile(r"[\u4e00-\u9fff]")
HEADER = [header for header, _field, _required in COLUMNS]
FUZZ = settings(
    # FUZZ_EXAMPLES=1000 fuzzes longer; the suite keeps 50 examples per test so that it stays fast.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a workbook can hold: openpyxl refuses control characters and lone surrogates.
cell_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
GOOD_ROW = [
    "山东莱州农村商业银行股份有限公司",
    "莱州农商行",
    "BANK-RURAL",
    "法人机构",
    "",
    "laizhou",
    24,
    40,
    "莱州市文化东路",
    "办公室",
    "0535-2211111",
    "是",
]
CELL = {
    "全称": cell_text,
    "简称": cell_text,
    "机构类型": st.one_of(st.sampled_from(["BANK-RURAL", "农商行/农村中小金融机构", "INS-LIFE", "x"]), cell_text),
    "法人/分支": st.one_of(st.sampled_from(["法人机构", "分支机构"]), cell_text),
    "上级机构全称": cell_text,
    "监管单位代码": st.one_of(st.sampled_from(["laizhou", "zhaoyuan", "yantai", "LAIZHOU"]), cell_text),
    "网点数": st.one_of(st.integers(-10, 10**9), st.floats(allow_nan=False, allow_infinity=False), cell_text),
    "客户数（万户）": st.one_of(st.integers(-10, 10**9), st.floats(allow_nan=False, allow_infinity=False), cell_text),
    "地址": st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=220),
    "联系人": cell_text,
    "联系电话": st.one_of(st.from_regex(r"\A0[0-9]{2,3}-[0-9]{7,8}\Z"), st.from_regex(r"\A1[0-9]{10}\Z"), cell_text),
    "有效": st.one_of(st.sampled_from(["是", "否", "Y", "N", "1", "0"]), st.booleans(), cell_text),
}
any_cell = st.one_of(cell_text, st.integers(), st.booleans(), st.none(), st.dates(), st.datetimes())


@st.composite
def workbook_rows(draw):
    """Up to four rows: each the good example with up to four cells replaced, or any cells at all."""
    rows = []
    for _n in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            row = list(GOOD_ROW)
            for column in draw(st.sets(st.sampled_from(HEADER), max_size=4)):
                row[HEADER.index(column)] = draw(CELL[column])
        else:
            row = draw(st.lists(any_cell, max_size=14))
        rows.append(row)
    return rows


@st.composite
def workbooks(draw) -> bytes:
    book = Workbook()
    sheet = book.active
    header = list(HEADER)
    if draw(st.booleans()):  # sometimes a header with columns missing, renamed or moved
        header = draw(st.permutations(HEADER))[: draw(st.integers(0, len(HEADER)))]
        header += draw(st.lists(cell_text, max_size=2))
    sheet.append(header)
    for row in draw(workbook_rows()):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


csv_text = st.lists(st.lists(cell_text.map(lambda t: t.replace(",", "，")), max_size=12), max_size=5).map(
    lambda rows: "\n".join(",".join(row) for row in [HEADER, *rows])
)
not_workbooks = st.one_of(
    st.tuples(st.sampled_from(["机构.xlsx", "机构.csv", "机构", "机构.xls"]), st.binary(max_size=3000)),
    st.tuples(st.just("机构.csv"), csv_text.map(lambda text: text.encode("utf-8"))),
    st.tuples(st.just("机构.csv"), csv_text.map(lambda text: text.encode("gb18030"))),
)


def _snapshot():
    return list(Institution.objects.order_by("pk").values_list("pk", "full_name", "short_name", "outlets", "org_id"))


def _post(administrator, name: str, content: bytes):
    """Post one file; returns (imported, every message shown) after checking the page did not fail."""
    client = Client()
    sign_in(client, administrator)
    response = client.post(URL, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200, response.status_code
    notices = [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]
    problems = response.context["problems"] or []
    form_errors = [m for errors in response.context["form"].errors.values() for m in errors]
    if response.context["result"] is not None:
        assert not problems and any(level == "success" for level, _text in notices)
        return True, []
    messages = [text for _level, text in notices] + [p.message for p in problems] + form_errors
    assert messages, "refused without a message"
    assert all(CJK.search(message) for message in messages), messages
    return False, messages


@FUZZ
@given(upload=not_workbooks)
def test_anything_but_a_workbook_is_refused_in_chinese_without_writing(administrator, rules, upload):
    with transaction.atomic():
        before = _snapshot()
        imported, _messages = _post(administrator, *upload)
        assert not imported and _snapshot() == before
        transaction.set_rollback(True)


@FUZZ
@given(name=st.sampled_from(["机构.xlsx", "机构导入.xlsx"]), content=workbooks())
def test_any_workbook_is_imported_or_refused_in_chinese_without_writing(administrator, rules, name, content):
    with transaction.atomic():
        before = _snapshot()
        imported, _messages = _post(administrator, name, content)
        event("imported" if imported else "refused")
        if not imported:
            assert _snapshot() == before
        transaction.set_rollback(True)


def test_a_fuzzed_good_row_still_imports(client_for, administrator, rules):
    """The generator's baseline is importable, so the examples above do reach the import itself."""
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(GOOD_ROW)
    buffer = io.BytesIO()
    book.save(buffer)
    response = client_for(administrator).post(URL, {"file": SimpleUploadedFile("机构.xlsx", buffer.getvalue())})
    assert response.status_code == 200 and response.context["result"].created == 1
    assert Institution.objects.filter(short_name="莱州农商行", org__code="laizhou").exists()
