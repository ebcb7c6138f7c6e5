"""Ledger import measurement for `python manage.py bench` (see laizhou_xiaobao/bench).

A 10,000-row workbook in the template's layout (so it maps itself): 9,000 historical rows (closed, no clocks) and
1,000 open 12378 items (registered, clocks from their receipt date), with valid ID numbers and phones and the
office's own institutions. Each run uploads it, checks every row and writes the cases inside a transaction that is
rolled back, so every run imports the same file into the same database. Target from issue 17: ≤ 60 s.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction

from laizhou_xiaobao.bench import register

ROWS = 10_000  # --import-rows changes it (the tests import a few dozen)
OPEN_EVERY = 10  # one row in ten is an open 12378 item
SUPERVISOR = "lz_supervisor"


def _valid_id(n: int) -> str:
    from core.personal import resident_id_check_digit

    first17 = f"370683{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + resident_id_check_digit(first17)


def build_workbook(rows: int, institutions: list[str], *, today: dt.date) -> bytes:
    """The template's headers, then `rows` rows: historical ones closed 20 days after receipt, every tenth open."""
    from openpyxl import Workbook

    from complaints.services.ledger_import import FIELDS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append([str(field.label) for field in FIELDS])
    kinds = ("转办投诉", "信访", "举报")
    for n in range(rows):
        is_open = n % OPEN_EVERY == 0
        received = today - dt.timedelta(days=(5 if is_open else 60 + n % 1500))
        case_type = "转办投诉" if is_open else kinds[n % 3]
        values = {
            "number": "" if is_open else f"LS-{n:06d}",
            "reference_no": f"12378-BENCH-{n:06d}" if is_open else "",
            "case_type": case_type,
            "petition_kind": "申诉求决" if case_type == "信访" else "",
            "channel": "12378热线" if is_open else ("走访", "电话", "书信")[n % 3],
            "received_at": received,
            "name": f"测试{n % 100:02d}号",
            "id_number": _valid_id(n),
            "phone": f"138{n:08d}",
            "institution": institutions[n % len(institutions)],
            "summary": ("信用卡分期手续费未告知", "理赔拖延", "理财产品亏损", "贷款利率争议")[n % 4],
            "content": "按原台账导入。",
            "closed_at": "" if is_open else received + dt.timedelta(days=20),
            "result": "" if is_open else "已答复",
        }
        # Cells left empty are absent, as Excel writes them.
        sheet.append([values.get(field.key) or None for field in FIELDS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _prepare(ctx):
    from django.utils import timezone

    from core.models import User
    from institutions.models import Institution

    actor = User.objects.get(username=SUPERVISOR)
    names = list(Institution.objects.filter(org=actor.org).values_list("full_name", flat=True)[:50])
    rows = ctx.options.get("import_rows") or ROWS
    return actor, build_workbook(rows, names, today=timezone.localdate())


def import_once(actor, content: bytes, *, keep: bool = False):
    """Upload, check and import the workbook as the pages do; rolled back unless `keep`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.models import LedgerImport
    from complaints.services.ledger_import import ledger_import_execute, ledger_import_upload

    with transaction.atomic():
        record = ledger_import_upload(actor=actor, org=actor.org, upload=SimpleUploadedFile("台账.xlsx", content))
        # What ledger_import_run hands to the background task for a file of this size.
        record.state, record.dry_run, record.run_by = LedgerImport.State.RUNNING, False, actor
        record.save(update_fields=["state", "dry_run", "run_by"])
        record = ledger_import_execute(import_id=record.pk)
        if record.state != LedgerImport.State.IMPORTED:
            raise RuntimeError(f"import refused: {record.result.get('problems', [])[:5]}")
        if not keep:
            transaction.set_rollback(True)
    return record


@register("ledger_import_10000", title="历史台账导入（10000行）", repeat=1, target="≤ 60 s", setup=_prepare, job=True)
def ledger_import_10000(ctx, prepared):
    actor, content = prepared
    record = import_once(actor, content)
    return f"历史件 {record.result['historical']}，新登记 {record.result['open']}"
