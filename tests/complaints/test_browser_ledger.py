"""The ledger's own form in the browser: log in, open the ledger from the menu, search, apply every filter by
choosing a value in the real form and pressing 筛选, then export the filtered view and read the workbook back.

The expected cases are computed here from the database with plain ORM conditions (not through the ledger's
filter code), so a filter that silently filters on something else — issue 13: the selects without a blank
option filtered on the first institution and handler — fails.
"""

import datetime as dt
import io
import itertools
import re
import zoneinfo
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
import time_machine
from django.db.models import Exists, OuterRef, Q
from playwright.sync_api import expect

from complaints.models import Case, Contact, Forwarding
from core.models import Absence, OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_case, make_institution, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Monday: three working days later is Thursday 2026-06-04 (no holiday in between).
SERVER_NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
TODAY = SERVER_NOW.date()
DUE_WITHIN_3 = dt.date(2026, 6, 4)
CASES = 24

TYPES = ("complaint", "petition", "report")
PREFIX = {"complaint": "TS", "petition": "XF", "report": "JB"}
OPEN_STATUS = {"complaint": "forwarded", "petition": "accepted", "report": "accepted"}
CHANNELS = ("visit", "phone", "letter", "online", "12378")
SUMMARIES = ("保险理赔拖延", "信用卡分期手续费争议", "贷款利率争议", "理财产品风险提示不足")
FINDINGS = ("substantiated", "partly", "not_substantiated", "")


@pytest.fixture
def office(live_base_data):
    with time_machine.travel(SERVER_NOW, tick=True):
        laizhou = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
        clerk_b = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_b", name="周明远")
        clerk_a = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_a", name="林晓岚", backup=clerk_b)
        supervisor = make_user(org=laizhou, role=Role.SUPERVISOR, username="lz_supervisor", name="孙海涛")
        bank = make_institution(org=laizhou, short_name="莱州农商银行")
        insurer = make_institution(org=laizhou, short_name="泰和人寿", type_code="INS-LIFE")
        # Clerk A is away today: B acts on A's cases, which tells 今日实际办理人 from 承办人 apart.
        Absence.objects.create(user=clerk_a, start_on=TODAY, end_on=TODAY, kind="leave")
        # B is the backup of a present supervisor too: handler B and acting B are then different sets.
        owners = itertools.cycle(
            [(clerk_a, clerk_b), (clerk_b, clerk_a), (supervisor, clerk_b), (clerk_b, None), (supervisor, None)]
        )
        numbers = dict.fromkeys(TYPES, 0)
        cases = []
        for i in range(CASES):
            case_type = TYPES[i % 3]
            numbers[case_type] += 1
            owner, backup = next(owners)
            closed = i % 5 == 0
            fields = {
                "case_type": case_type,
                "number": f"{PREFIX[case_type]}-2026-{numbers[case_type]:04d}",
                "channel": CHANNELS[i % len(CHANNELS)],
                "received_on": dt.date(2026, 5, 1) + dt.timedelta(days=i),
                "summary": SUMMARIES[i % len(SUMMARIES)],
                "institution": None if i % 7 == 3 else (bank if i % 2 == 0 else insurer),
                "status": "closed" if closed else OPEN_STATUS[case_type],
                "due_on": None if closed else TODAY + dt.timedelta(days=i % 9 - 3),
                # A few deadlines computed over a calendar year not yet verified (暂定).
                "due_provisional": not closed and i % 6 == 1,
                # Some closed cases brought in from the office's old Excel ledger (历史导入).
                "is_historical": closed and i % 10 == 0,
                # A few clocks paused (暂停): never overdue nor due, listed by the 暂停计时 filter.
                "clock_paused": not closed and i % 8 == 2,
                "backup": backup,
            }
            if case_type == "report":
                fields["finding"] = FINDINGS[(i // 3) % 4]
            case = make_case(org=laizhou, owner=owner, **fields)
            if case_type == "complaint":
                Forwarding.objects.create(
                    case=case,
                    institution=case.institution or bank,
                    slip_number=f"ZB-2026-{i:04d}",
                    forwarded_on=case.received_on + dt.timedelta(days=2),
                    forwarded_by=owner,
                    replied_late=i % 2 == 1,
                )
            cases.append(case)
        # Repeats: a case marked as a repeat of an earlier one, and a repeated call joined to another case.
        cases[7].duplicate_of = cases[1]
        cases[7].save(update_fields=["duplicate_of"])
        Contact.objects.create(
            org=laizhou,
            channel="phone",
            received_at=SERVER_NOW - dt.timedelta(days=1),
            summary="再次来电催问",
            outcome=Contact.Outcome.REPEAT,
            case=cases[10],
            received_by=clerk_a,
        )
        yield {"clerk_a": clerk_a, "clerk_b": clerk_b, "bank": bank, "insurer": insurer}


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    submit_login(page, username)
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def listed(page) -> list[str]:
    return page.get_by_test_id("ledger-table").locator("tbody tr td:first-child a").all_inner_texts()


def numbers(queryset) -> list[str]:
    return sorted(queryset.values_list("number", flat=True))


def submit(page, param: str, value: str) -> None:
    """Press the form's own button and wait for the page it submitted to."""
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query, keep_blank_values=True).get(param) == [value])
    expect(page.get_by_test_id("ledger-total")).to_be_visible()


def clear(page) -> None:
    page.get_by_role("link", name="清除").click()
    page.wait_for_url(lambda url: urlparse(url).query == "")


def read_export(download) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    # The data follow the header row (a title row may come first); empty rows are not data.
    header = next(index for index, row in enumerate(rows) if row and row[0] == "编号")
    return [row for row in rows[header + 1 :] if any(cell not in (None, "") for cell in row)]


def test_search_every_filter_and_export_through_the_ledger_form(live_server, office, page):
    insurer, clerk_a, clerk_b = office["insurer"], office["clerk_a"], office["clerk_b"]
    everything = Case.objects.all()
    open_cases = everything.exclude(status="closed")
    running = open_cases.filter(clock_paused=False)
    a_absent = Absence.objects.filter(user=clerk_a, start_on__lte=TODAY, end_on__gte=TODAY).exists()
    assert a_absent

    log_in(page, live_server, "lz_clerk_a")
    page.get_by_role("button", name="信访投诉").click()
    page.get_by_role("link", name="信访投诉台账").click()
    expect(page.get_by_role("heading", name="信访投诉台账")).to_be_visible()
    expect(page.get_by_test_id("ledger-total")).to_contain_text(f"共 {CASES} 件")

    # The search box and the button.
    page.get_by_label("检索").fill("理赔")
    submit(page, "q", "理赔")
    expected = numbers(everything.filter(Q(summary__contains="理赔") | Q(content__contains="理赔")))
    assert len(expected) == CASES // len(SUMMARIES)
    assert sorted(listed(page)) == expected
    expect(page.get_by_test_id("ledger-total")).to_contain_text(f"共 {len(expected)} 件")

    repeated = Exists(Case.objects.filter(duplicate_of=OuterRef("pk"))) | Exists(
        Contact.objects.filter(case=OuterRef("pk"), outcome="repeat")
    )
    # (label in the form, how to choose, the parameter and value submitted, the cases expected)
    select_filters = [
        ("类型", "信访", "type", "petition", everything.filter(case_type="petition")),
        ("来源渠道", "电话", "channel", "phone", everything.filter(channel="phone")),
        ("状态", "未办结（全部）", "status", "open", open_cases),
        ("状态", "已办结", "status", "closed", everything.filter(status="closed")),
        ("涉及机构", "泰和人寿", "institution", str(insurer.pk), everything.filter(institution=insurer)),
        (
            "承办人（A/B岗）",
            "周明远",
            "handler",
            str(clerk_b.pk),
            everything.filter(Q(owner=clerk_b) | Q(backup=clerk_b)),
        ),
        (
            "今日实际办理人",
            "周明远",
            "acting",
            str(clerk_b.pk),
            everything.filter(Q(owner=clerk_b) | Q(owner=clerk_a, backup=clerk_b)),
        ),
        ("已超期", "是", "overdue", "1", running.filter(due_on__lt=TODAY)),
        ("暂停计时", "是", "paused", "1", open_cases.filter(clock_paused=True)),
        ("期限暂定", "是", "provisional", "1", open_cases.filter(due_provisional=True)),
        ("重复件", "是", "repeat", "1", everything.filter(Q(duplicate_of__isnull=False) | repeated)),
        ("转办机构", "泰和人寿", "forwarded_to", str(insurer.pk), everything.filter(forwarding__institution=insurer)),
        ("机构超期反馈", "是", "replied_late", "1", everything.filter(forwarding__replied_late=True)),
        ("历史导入", "是", "historical", "1", everything.filter(is_historical=True)),
        (
            "举报查实情况",
            "查实或部分查实",
            "finding",
            "substantiated_any",
            everything.filter(finding__in=["substantiated", "partly"]),
        ),
        ("举报查实情况", "未查实", "finding", "not_substantiated", everything.filter(finding="not_substantiated")),
    ]
    typed_filters = [
        (
            "接收日期自",
            "2026-05-20",
            "received_from",
            everything.filter(received_on__gte=dt.date(2026, 5, 20)),
        ),
        ("接收日期至", "2026-05-05", "received_to", everything.filter(received_on__lte=dt.date(2026, 5, 5))),
        ("N个工作日内到期", "3", "due_within", running.filter(due_on__lte=DUE_WITHIN_3)),
        ("期限自", "2026-06-03", "due_from", running.filter(due_on__gte=dt.date(2026, 6, 3))),
        ("期限至", "2026-05-30", "due_to", running.filter(due_on__lte=dt.date(2026, 5, 30))),
    ]
    checked = set()
    for label, option, param, value, expected_cases in select_filters:
        clear(page)
        page.get_by_label(label, exact=True).select_option(label=option)
        submit(page, param, value)
        expected = numbers(expected_cases)
        # Each filter keeps some cases and drops others: a filter that filtered nothing would pass unnoticed.
        assert 0 < len(expected) < CASES, (param, value)
        assert sorted(listed(page)) == expected, (param, value)
        checked.add(param)
    for label, text, param, expected_cases in typed_filters:
        clear(page)
        page.get_by_label(label, exact=True).fill(text)
        submit(page, param, text)
        expected = numbers(expected_cases)
        assert 0 < len(expected) < CASES, param
        assert sorted(listed(page)) == expected, param
        checked.add(param)

    # The order and the page size.
    clear(page)
    page.get_by_label("排序", exact=True).select_option(label="编号（升序）")
    submit(page, "sort", "number")
    assert listed(page) == numbers(everything)
    clear(page)
    page.get_by_label("每页", exact=True).select_option("20")
    submit(page, "per_page", "20")
    assert len(listed(page)) == 20
    expect(page.get_by_test_id("ledger-total")).to_contain_text(re.compile(rf"共 {CASES} 件\s*，显示第 1–20 件"))
    checked |= {"sort", "per_page"}
    # Every control of the form was used.
    # The statistics links' filters are hidden inputs (complaints/filters_statistics.py), not controls.
    form_names = set(
        page.locator("form[role=search] [name]:not([type=hidden])").evaluate_all("els => els.map(e => e.name)")
    )
    assert form_names == checked | {"q"}

    # Two filters together, then the export of exactly that view through the export button.
    clear(page)
    page.get_by_label("类型", exact=True).select_option(label="转办投诉")
    page.get_by_label("状态", exact=True).select_option(label="未办结（全部）")
    submit(page, "type", "complaint")
    expected = numbers(open_cases.filter(case_type="complaint"))
    assert 0 < len(expected) < CASES
    assert sorted(listed(page)) == expected
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    rows = read_export(download)
    assert sorted(row[0] for row in rows) == expected
    # Personal data masked in the workbook too.
    assert not any("王小明" in str(cell) for row in rows for cell in row)
