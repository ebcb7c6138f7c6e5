"""Upload, mapping, dry run and import: the services the pages and the background task call."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import visible_orgs
from core.models import OrgUnit, User
from core.personal import mask_address, mask_id, mask_name, mask_phone
from core.roles import Role, has_role
from core.services.audit import log_action
from core.services.jobs import dispatch, job_progress
from core.uploads import sha256_of, validate_upload

from ...models import LedgerImport, LedgerImportMapping
from ...models.choices import CaseType, Channel
from .checks import Problem, check_rows, existing_keys, load_lookups
from .columns import (
    LABELS,
    PREVIEW_ROWS,
    UnreadableWorkbook,
    cell_text,
    guess_mapping,
    mapped_rows,
    mapping_problems,
    read_header,
    read_workbook,
)
from .write import write_rows

RUN_TASK = "complaints.tasks.run_ledger_import"
MAX_LISTED_SKIPPED = 500


def can_import(user) -> bool:
    """Administrators and supervisors bring ledgers in; clerks do not."""
    return bool(user.is_authenticated and (user.is_superuser or has_role(user, Role.SUPERVISOR, Role.ADMINISTRATOR)))


def import_offices(user):
    """The sub-bureaus the user may import for: a supervisor their own, an administrator those they see."""
    if not can_import(user):
        return OrgUnit.objects.none()
    if has_role(user, Role.SUPERVISOR) and not user.is_superuser:
        return OrgUnit.objects.filter(pk=user.org_id)
    return visible_orgs(user).filter(level=OrgUnit.Level.SUB_BUREAU)


def _require(actor, org) -> None:
    if not can_import(actor) or not import_offices(actor).filter(pk=org.pk).exists():
        raise PermissionDenied(_("只有系统管理员或支局负责人可以导入台账。"))


def mapping_for(org) -> dict:
    saved = LedgerImportMapping.objects.filter(org=org).values_list("columns", flat=True).first()
    return saved or {}


@transaction.atomic
def ledger_import_upload(*, actor, org, upload) -> LedgerImport:
    """Keep the workbook (checked by content) and read its header; the office's saved mapping is applied later."""
    _require(actor, org)
    validate_upload(upload, allowed=("xlsx",), max_bytes=settings.LEDGER_IMPORT_MAX_BYTES)
    try:
        headers, count = read_header(upload)
    except UnreadableWorkbook as exc:
        raise ValidationError(_("无法读取文件，请上传Excel工作簿（.xlsx）。"), code="unreadable") from exc
    if not [h for h in headers if h]:
        raise ValidationError(_("第一个工作表的第1行应为表头。"), code="no_header")
    if not count:
        raise ValidationError(_("文件中没有数据行。"), code="empty")
    upload.seek(0)
    record = LedgerImport(
        org=org,
        uploaded_by=actor,
        file_name=upload.name[:200],
        sha256=sha256_of(upload),
        headers=headers,
        row_count=count,
    )
    record.file.save(f"{org.code}.xlsx", upload, save=False)
    record.save()
    log_action(actor=actor, action="complaints.ledger_import.uploaded", target=record, org=org, rows=count)
    return record


@transaction.atomic
def ledger_import_save_mapping(*, actor, record: LedgerImport, columns: dict) -> LedgerImportMapping:
    """Save which column feeds which field, for this office's later workbooks too."""
    _require(actor, record.org)
    columns = {key: header for key, header in columns.items() if key in LABELS and header}
    problems = mapping_problems(columns, record.headers)
    if problems:
        raise ValidationError(problems)
    mapping, _created = LedgerImportMapping.objects.update_or_create(
        org=record.org, defaults={"columns": columns, "updated_by": actor}
    )
    log_action(actor=actor, action="complaints.ledger_import.mapped", target=mapping, org=record.org)
    return mapping


def _rows(record: LedgerImport, limit: int | None = None) -> list[tuple[int, dict]]:
    mapping = guess_mapping(record.headers, mapping_for(record.org))
    with record.file.open("rb") as source:
        headers, body = read_workbook(source, limit=limit)
    return mapped_rows(headers, body, mapping)


# The preview shows personal data as lists do (docs/domain.md, "个人信息").
_PREVIEW_MASKS = {"name": mask_name, "id_number": mask_id, "phone": mask_phone, "address": mask_address}


def preview_rows(record: LedgerImport, limit: int = PREVIEW_ROWS) -> tuple[list[tuple[str, str]], list[dict]]:
    """The mapped fields as (field name, workbook header), and the first rows as the mapping reads them:
    {"row": n, "cells": [text per mapped field]}, personal data masked."""
    mapping = guess_mapping(record.headers, mapping_for(record.org))
    keys = [key for key in LABELS if mapping.get(key)]
    rows = []
    for number, values in _rows(record, limit):
        cells = [cell_text(values.get(key)) for key in keys]
        cells = [_PREVIEW_MASKS.get(key, str)(text) for key, text in zip(keys, cells, strict=True)]
        rows.append({"row": number, "cells": cells})
    return [(LABELS[key], mapping[key]) for key in keys], rows


def may_run(record: LedgerImport) -> bool:
    """Not imported yet, the file still there, and not being worked on (a failed background job may be rerun)."""
    if record.state == LedgerImport.State.IMPORTED or not record.file:
        return False
    return record.state != LedgerImport.State.RUNNING or (record.job is not None and not record.job.is_active)


def ledger_import_run(*, actor, record: LedgerImport, dry_run: bool) -> LedgerImport:
    """Check (dry run) or import the workbook: at once for a small file, as a background job for a big one."""
    _require(actor, record.org)
    problems = mapping_problems(guess_mapping(record.headers, mapping_for(record.org)), record.headers)
    if problems:
        raise ValidationError(problems)
    if not may_run(record):
        raise ValidationError(_("该文件正在处理或已经导入。"), code="state")
    with transaction.atomic():
        record = LedgerImport.objects.select_for_update().get(pk=record.pk)
        record.state, record.dry_run, record.run_by, record.result = LedgerImport.State.RUNNING, dry_run, actor, {}
        if record.row_count > settings.LEDGER_IMPORT_ASYNC_ROWS:
            record.job = dispatch(RUN_TASK, record.pk, target=record)
        record.save(update_fields=["state", "dry_run", "run_by", "result", "job"])
    if record.job_id is None:
        return ledger_import_execute(import_id=record.pk)
    return record


def _preview(created: list[dict]) -> list[dict]:
    return [
        {
            "row": row["_row"],
            "number": row["number"] or _("（自动编号）"),
            "kind": _("历史件（已办结）") if row["historical"] else _("新登记"),
            "case_type": str(CaseType(row["case_type"]).label) if row["case_type"] else "",
            "channel": str(Channel(row["channel"]).label) if row["channel"] else "",
            "received_on": timezone.localdate(row["received_at"]).isoformat() if row["received_at"] else "",
            "closed_on": timezone.localdate(row["closed_at"]).isoformat() if row["closed_at"] else "",
            "name": mask_name(row["name"]),
            "institution": row["institution"].short_name if row["institution"] else "",
            "summary": row["summary"],
        }
        for row in created[:PREVIEW_ROWS]
    ]


def _lock_and_recheck(org, rows: list[dict]) -> None:
    """One import per office at a time (a row lock on the office); rows another import wrote since the check
    refuse this one, so that nothing keyed only by its 12378 reference is created twice."""
    OrgUnit.objects.select_for_update().get(pk=org.pk)
    numbers = existing_keys("number", org, {row["number"] for row in rows})
    references = existing_keys("reference_no", org, {row["reference_no"] for row in rows})
    if numbers or references:
        raise ValidationError(_("同一单位的另一次导入刚写入了其中的部分件，请重新试运行后再导入。"), code="raced")


def _write(record: LedgerImport, rows: list[dict], result: dict, *, actor, progress) -> None:
    """All the cases or none: a failure part-way rolls every row back and leaves the file ready to run again."""
    try:
        with transaction.atomic():
            _lock_and_recheck(record.org, rows)
            write_rows(rows, org=record.org, actor=actor, file_name=record.file_name, progress=progress)
            log_action(
                actor=actor,
                action="complaints.ledger_import.imported",
                target=record,
                org=record.org,
                historical=result["historical"],
                opened=result["open"],
                skipped=result["skipped_count"],
            )
    except Exception:
        LedgerImport.objects.filter(pk=record.pk).update(state=LedgerImport.State.UPLOADED)
        raise


def ledger_import_execute(*, import_id: int) -> LedgerImport:
    """Check every row; refuse the whole file on any problem; otherwise (unless a dry run) create the cases."""
    record = LedgerImport.objects.select_related("org", "run_by").get(pk=import_id)
    actor = record.run_by or User.objects.get(pk=record.uploaded_by_id)
    rows = _rows(record)
    if len(rows) != record.row_count:
        record.row_count = len(rows)
        record.save(update_fields=["row_count"])
    progress = (lambda done: job_progress(record.job_id, done, total=len(rows))) if record.job_id else None
    checked = check_rows(rows, load_lookups(org=record.org, actor=actor, rows=rows))
    if not rows:
        checked.problems.append(Problem(0, "", _("文件中没有数据行。")))
    result = {
        "problems": [p.as_dict() for p in checked.problems],
        "unmatched": sorted(checked.unmatched),
        "skipped": checked.skipped[:MAX_LISTED_SKIPPED],
        "skipped_count": len(checked.skipped),
        "historical": sum(1 for row in checked.cleaned if row["historical"]),
        "open": sum(1 for row in checked.cleaned if not row["historical"]),
        "preview": _preview(checked.cleaned),
    }
    state = LedgerImport.State.CHECKED
    if checked.problems:
        state = LedgerImport.State.REFUSED
    elif not record.dry_run:
        _write(record, checked.cleaned, result, actor=actor, progress=progress)
        state = LedgerImport.State.IMPORTED
    record.state, record.result, record.finished_at = state, result, timezone.now()
    record.save(update_fields=["state", "result", "finished_at"])
    if state == LedgerImport.State.IMPORTED:
        # The workbook holds personal data; the cases now hold it, encrypted.
        record.file.delete(save=True)
    return record
