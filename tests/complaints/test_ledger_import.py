"""Bringing the office's old Excel ledgers in: upload, mapping, dry run, import, all or nothing, never twice
(docs/domain.md, "历史台账导入"). Everything is done through the pages, as an administrator or supervisor does it."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from complaints.models import Case, CaseEvent, CaseSearchText, LedgerImport, LedgerImportMapping
from core.models import AuditEntry, Deadline, Notification, NumberSequence
from core.roles import Role
from tests.factories import at, make_institution, make_user

# The office's own workbook, with its own headers (not the template's): the mapping ties them to the ledger.
HEADERS = [
    "序号",
    "台账编号",
    "工单号",
    "件别",
    "类别",
    "来源",
    "收件日期",
    "来访人",
    "证件号",
    "电话",
    "被投诉机构",
    "摘要",
    "结案日期",
    "结果",
    "按期",
]
MAPPING = {
    "number": "台账编号",
    "reference_no": "工单号",
    "case_type": "件别",
    "petition_kind": "类别",
    "channel": "来源",
    "received_at": "收件日期",
    "name": "来访人",
    "id_number": "证件号",
    "phone": "电话",
    "institution": "被投诉机构",
    "summary": "摘要",
    "closed_at": "结案日期",
    "result": "结果",
    "closed_on_time": "按期",
}
GOOD_ID = "370683199001011237"
HISTORICAL = [
    [
        1,
        "TS-2023-0007",
        "",
        "转办投诉",
        "",
        "走访",
        dt.datetime(2023, 3, 6),
        "王小明",
        GOOD_ID,
        "13812345678",
        "莱州农商银行",
        "信用卡分期手续费未告知",
        dt.datetime(2023, 3, 20),
        "已退费",
    ],
    [
        2,
        "莱信2022-15",
        "",
        "信访",
        "申诉求决",
        "书信",
        "2022/11/2",
        "李红",
        "",
        "0535-2212345",
        "",
        "反映理财产品亏损",
        "2022-12-30",
        "已答复",
        "否",
    ],
]
OPEN = [
    [
        3,
        "",
        "12378-2026-000123",
        "转办投诉",
        "",
        "12378热线",
        "2026-05-25",
        "赵强",
        "",
        "13900001111",
        "莱州农商",
        "理赔拖延",
        "",
        "",
    ],
]


def workbook(*rows, headers=HEADERS, name="旧台账.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def office(orgs, supervisor, clerk_a, private_files):
    bank = make_institution(org=orgs["laizhou"], short_name="莱州农商", full_name="莱州农商银行")
    return {"org": orgs["laizhou"], "bank": bank}


def upload(client, rows, **kwargs):
    response = client.post(
        reverse("complaints:import_start"), {"org": kwargs.pop("org_pk", None) or "", "file": workbook(*rows, **kwargs)}
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return LedgerImport.objects.latest("id")


def map_columns(client, record, mapping=MAPPING):
    response = client.post(reverse("complaints:import_mapping", args=[record.pk]), mapping)
    assert response.status_code == 302, response.context["form"].errors


def run(client, record, mode):
    response = client.post(reverse("complaints:import_run", args=[record.pk]), {"mode": mode}, follow=True)
    record.refresh_from_db()
    return response


def written():
    """Everything an import may write, counted."""
    return (
        Case.objects.count(),
        Case.history.count(),
        CaseEvent.objects.count(),
        Deadline.objects.count(),
        Notification.objects.count(),
    )


def start(client_for, user, office, rows):
    client = client_for(user)
    record = upload(client, rows, org_pk=office["org"].pk)
    map_columns(client, record)
    return client, record


def test_upload_mapping_preview_then_import(client_for, supervisor, office):
    with at("2026-06-01"):
        client, record = start(client_for, supervisor, office, HISTORICAL + OPEN)
        page = client.get(reverse("complaints:import_detail", args=[record.pk]))
        # The preview reads the first rows through the mapping: the office's columns under the ledger's names.
        preview = page.content.decode()
        assert "← 台账编号" in preview and "TS-2023-0007" in preview and "莱州农商银行" in preview
        # Personal data masked, as lists show it.
        assert "138****5678" in preview and "13812345678" not in preview and GOOD_ID not in preview
        assert LedgerImportMapping.objects.get(org=office["org"]).columns == MAPPING

        response = run(client, record, "import")
        _check_imported(client, response, record, office, supervisor)


def _check_imported(client, response, record, office, supervisor):
    assert "导入完成：新建历史件 2 件、新登记 1 件，跳过已导入的 0 行。" in response.content.decode()
    assert record.state == LedgerImport.State.IMPORTED and not record.file

    old = Case.objects.get(number="TS-2023-0007")
    assert (old.status, old.is_historical, old.closure) == ("closed", True, "resolved")
    assert old.received_on == dt.date(2023, 3, 6) and timezone.localdate(old.closed_at) == dt.date(2023, 3, 20)
    assert old.institution == office["bank"] and old.id_number == GOOD_ID and old.owner == supervisor
    # The old ledger said nothing of TS-2023-0007's timeliness (unknown); it said the petition was late.
    assert old.closed_on_time is None
    assert old.history.count() == 1 and old.history.first().history_change_reason == "历史导入"
    petition = Case.objects.get(number="莱信2022-15")
    assert (petition.case_type, petition.petition_kind, petition.received_on) == (
        "petition",
        "appeal",
        dt.date(2022, 11, 2),
    )
    assert petition.closed_on_time is False
    # The product's own numbering moves past the imported TS-2023-0007.
    assert NumberSequence.objects.get(org=office["org"], key="TS", year=2023).last_value == 7

    fresh = Case.objects.get(reference_no="12378-2026-000123")
    assert fresh.number == "TS-2026-0001" and fresh.status == "registered" and not fresh.is_historical
    assert fresh.institution == office["bank"]  # matched by the short name
    # The case page marks the historical case; the ledger filters on it.
    detail = client.get(reverse("complaints:case_detail", args=[old.pk])).content.decode()
    assert 'id="case-historical"' in detail
    ledger = client.get(reverse("complaints:index"), {"historical": "1"}).content.decode()
    assert "TS-2023-0007" in ledger and "莱信2022-15" in ledger and "TS-2026-0001" not in ledger
    assert '<span class="badge text-bg-secondary">历史导入</span>' in ledger
    # The search index is written with the cases.
    found = client.get(reverse("complaints:index"), {"q": "理财产品"}).content.decode()
    assert "莱信2022-15" in found and "TS-2023-0007" not in found
    # And the search text, each in its office (what a common word's count reads).
    texts = dict(CaseSearchText.objects.filter(case__in=[old, fresh]).values_list("case_id", "org_id"))
    assert texts == {old.pk: office["org"].pk, fresh.pk: office["org"].pk}
    assert AuditEntry.objects.filter(action="complaints.ledger_import.imported").count() == 1


def test_historical_rows_have_no_clocks_and_open_rows_run_from_their_receipt_date(client_for, supervisor, office):
    with at("2026-06-01"):
        client, record = start(client_for, supervisor, office, HISTORICAL + OPEN)
        run(client, record, "import")
    case_type = ContentType.objects.get_for_model(Case)
    historical = Case.objects.filter(is_historical=True).values_list("pk", flat=True)
    assert not Deadline.objects.filter(content_type=case_type, object_id__in=historical).exists()
    assert not Notification.objects.exists()
    fresh = Case.objects.get(reference_no="12378-2026-000123")
    clock = Deadline.objects.get(content_type=case_type, object_id=fresh.pk)
    # C-FWD: 7 working days from the receipt date (Monday 25 May 2026), not from the day of the import.
    assert (clock.rule.code, clock.started_on, clock.due_on) == ("C-FWD", dt.date(2026, 5, 25), dt.date(2026, 6, 3))
    assert fresh.due_on == dt.date(2026, 6, 3)


def test_a_workbook_with_bad_rows_writes_nothing_and_lists_every_problem(client_for, supervisor, office):
    bad = [
        HISTORICAL[0],
        [
            4,
            "TS-2023-0007",
            "",
            "转办投诉",
            "",
            "走访",
            "2023-04-01",
            "钱某",
            "370683199001011238",
            "12345",
            "不存在的银行",
            "重复的编号",
            "",
            "",
        ],
        [5, "X-1", "", "外星件", "", "飞鸽", "明天", "", "", "", "", "", "2020-01-01", ""],
        [6, "", "", "举报", "", "12378热线", "2026-07-01", "", "", "", "", "未来的件", "", ""],
    ]
    with at("2026-06-01"):
        client, record = start(client_for, supervisor, office, bad)
        before = written()
        response = run(client, record, "import")
    assert written() == before
    assert record.state == LedgerImport.State.REFUSED and record.file
    problems = {(p["row"], p["column"]) for p in record.result["problems"]}
    assert problems == {
        (3, "编号"),  # the same number as row 2
        (3, "身份证号"),  # wrong check digit
        (3, "联系电话"),
        (3, "涉及机构"),
        (4, "类型"),
        (4, "来源渠道"),
        (4, "接收时间"),
        (4, "事项摘要"),
        (4, "姓名"),
        (5, "编号"),  # neither a number nor a reference
        (5, "来文/工单编号"),  # required for 12378 items
        (5, "接收时间"),  # in the future
        (5, "姓名"),
    }
    assert record.result["unmatched"] == ["不存在的银行"]
    page = response.content.decode()
    assert "文件有 13 处问题，未导入任何数据。" in page and "不存在的银行" in page and 'id="import-problems"' in page


def test_the_same_workbook_twice_creates_nothing_twice(client_for, supervisor, office):
    with at("2026-06-01"):
        client, first = start(client_for, supervisor, office, HISTORICAL + OPEN)
        run(client, first, "import")
        before = written()
        second = upload(client, HISTORICAL + OPEN, org_pk=office["org"].pk)
        response = run(client, second, "import")
    assert written() == before
    assert second.state == LedgerImport.State.IMPORTED
    assert (second.result["historical"], second.result["open"], second.result["skipped_count"]) == (0, 0, 3)
    page = response.content.decode()
    assert "跳过已导入的 3 行" in page
    assert "第 4 行：来文/工单编号 12378-2026-000123 已在台账中" in page


def test_a_dry_run_writes_nothing_and_shows_what_would_be_created(client_for, supervisor, office):
    with at("2026-06-01"):
        client, record = start(client_for, supervisor, office, HISTORICAL + OPEN)
        before = written()
        response = run(client, record, "dry_run")
    assert written() == before
    assert record.state == LedgerImport.State.CHECKED and record.file
    page = response.content.decode()
    assert "试运行通过：将新建历史件 2 件、新登记 1 件" in page
    assert 'id="import-created"' in page and "TS-2023-0007" in page and "（自动编号）" in page
    # The preview of what would be created shows names masked.
    assert "王**" in page or "王*" in page


def test_template_workbook_maps_itself_and_imports(client_for, administrator, office):
    client = client_for(administrator)
    response = client.get(reverse("complaints:import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["台账", "填写说明"]
    with at("2026-06-02"):
        upload_response = client.post(
            reverse("complaints:import_start"),
            {"org": office["org"].pk, "file": SimpleUploadedFile("模板.xlsx", response.content)},
        )
        record = LedgerImport.objects.latest("id")
        assert upload_response.url == reverse("complaints:import_mapping", args=[record.pk])
        # The template's headers are the fields' names: the mapping page offers them already chosen.
        mapping_page = client.get(upload_response.url).content.decode()
        assert '<option value="编号" selected>' in mapping_page
        run(client, record, "dry_run")
    # The template's example institution is not in this office's register: listed as unmatched.
    assert record.state == LedgerImport.State.REFUSED and record.result["unmatched"] == ["示例银行"]


def test_clerks_may_not_import(client_for, clerk_a, office):
    client = client_for(clerk_a)
    assert client.get(reverse("complaints:import_start")).status_code == 403
    assert client.get(reverse("complaints:import_template")).status_code == 403
    response = client.post(reverse("complaints:import_start"), {"org": office["org"].pk, "file": workbook(*HISTORICAL)})
    assert response.status_code == 403 and not LedgerImport.objects.exists()


def test_another_office_sees_neither_the_import_nor_the_mapping(client_for, supervisor, office, orgs):
    with at("2026-06-01"):
        client, record = start(client_for, supervisor, office, HISTORICAL)
    other = make_user(org=orgs["zhaoyuan"], role=Role.SUPERVISOR, username="zy_supervisor", name="招远负责人")
    other_client = client_for(other)
    for name in ("complaints:import_detail", "complaints:import_mapping"):
        assert other_client.get(reverse(name, args=[record.pk])).status_code == 404
    assert other_client.post(reverse("complaints:import_run", args=[record.pk]), {"mode": "import"}).status_code == 404
    # Their own upload starts from their own office's mapping (none yet), not Laizhou's.
    own = upload(other_client, HISTORICAL, org_pk=orgs["zhaoyuan"].pk)
    assert own.org == orgs["zhaoyuan"]
    page = other_client.get(reverse("complaints:import_mapping", args=[own.pk])).content.decode()
    assert '<option value="台账编号" selected>' not in page
    # Nor can they upload for Laizhou.
    response = other_client.post(
        reverse("complaints:import_start"), {"org": office["org"].pk, "file": workbook(*HISTORICAL)}
    )
    assert response.status_code == 200 and LedgerImport.objects.filter(org=office["org"]).count() == 1


def test_a_mapping_without_the_required_columns_is_refused(client_for, supervisor, office):
    with at("2026-06-01"):
        client = client_for(supervisor)
        record = upload(client, HISTORICAL, org_pk=office["org"].pk)
        response = client.post(reverse("complaints:import_mapping", args=[record.pk]), {"summary": "摘要"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "请为“类型”选择一列。" in errors and "至少要对应一列" in errors
    assert not LedgerImportMapping.objects.exists()


def test_a_big_file_is_checked_and_imported_by_a_background_job(
    client_for, supervisor, office, settings, django_capture_on_commit_callbacks
):
    settings.LEDGER_IMPORT_ASYNC_ROWS = 2
    with at("2026-06-01"):
        client, record = start(client_for, supervisor, office, HISTORICAL + OPEN)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("complaints:import_run", args=[record.pk]), {"mode": "import"})
        record.refresh_from_db()
        page = client.get(reverse("complaints:import_detail", args=[record.pk])).content.decode()
    assert record.job is not None and record.job.task_name == "complaints.tasks.run_ledger_import"
    assert record.state == LedgerImport.State.IMPORTED and Case.objects.count() == 3
    assert record.job.progress_done == record.job.progress_total == 3
    assert "已导入" in page


def test_the_benchmark_workbook_imports_cleanly(supervisor, office):
    """The bench's generated workbook (laizhou_xiaobao/bench/ledger_import.py), at a small size."""
    from laizhou_xiaobao.bench.ledger_import import build_workbook, import_once

    with at("2026-06-01"):
        content = build_workbook(30, ["莱州农商银行"], today=dt.date(2026, 6, 1))
        record = import_once(supervisor, content, keep=True)
    assert (record.result["historical"], record.result["open"]) == (27, 3)
    assert Case.objects.filter(is_historical=True).count() == 27


def test_a_failure_part_way_writes_nothing_and_the_file_can_be_run_again(client_for, supervisor, office, monkeypatch):
    from complaints.services.ledger_import import run as import_run

    original = import_run.log_action

    def broken(**kwargs):
        if kwargs["action"] == "complaints.ledger_import.imported":
            raise RuntimeError("audit log unavailable")
        return original(**kwargs)

    with at("2026-06-01"):
        client, record = start(client_for, supervisor, office, HISTORICAL + OPEN)
        before = written()
        monkeypatch.setattr(import_run, "log_action", broken)
        client.raise_request_exception = False
        assert client.post(reverse("complaints:import_run", args=[record.pk]), {"mode": "import"}).status_code == 500
        assert written() == before
        record.refresh_from_db()
        assert record.state == LedgerImport.State.UPLOADED and record.file
        monkeypatch.setattr(import_run, "log_action", original)
        run(client, record, "import")
    assert record.state == LedgerImport.State.IMPORTED and Case.objects.count() == 3


def test_rows_written_by_another_import_meanwhile_refuse_this_one(client_for, supervisor, office, monkeypatch):
    """Between this import's check and its write, another one wrote the 12378 item (keyed by reference only)."""
    from complaints.services.ledger_import import run as import_run
    from tests.factories import make_case

    original = import_run.check_rows

    def check_then_someone_else_writes(*args, **kwargs):
        checked = original(*args, **kwargs)
        make_case(owner=supervisor, org=office["org"], reference_no="12378-2026-000123", channel="12378")
        return checked

    with at("2026-06-01"):
        client, record = start(client_for, supervisor, office, HISTORICAL + OPEN)
        monkeypatch.setattr(import_run, "check_rows", check_then_someone_else_writes)
        response = run(client, record, "import")
    assert "同一单位的另一次导入刚写入了其中的部分件" in response.content.decode()
    assert Case.objects.count() == 1 and record.state == LedgerImport.State.UPLOADED
