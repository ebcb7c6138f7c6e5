"""The PDF and the workbook of a frozen-able report (the quarterly list, the statistics report): asking for them
(one job), storing both with their SHA-256 (saved once with history when both are stored, the job finished, the
files they replace deleted after commit) and checking them before submission (docs/architecture.md, "Job outbox";
the pages' side is core/report_file_views.py)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services.audit import log_action
from core.services.jobs import dispatch, job_finish, job_progress, latest_job

CHUNK = 1 << 16


def file_sha256(opened) -> str:
    """The SHA-256 of a stored file (a FieldFile) or a local path, read in chunks."""
    digest = hashlib.sha256()
    with opened.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _require_no_generation_running(report) -> None:
    job = latest_job(report)
    if job is not None and job.is_active:
        raise ValidationError(_("文件正在生成中，请稍候。"))


def queue_report_files(*, actor, report, task: str, action: str, frozen_message: str, steps: int):
    """Queue the generation of both files (the caller has checked who may, inside its transaction); the task, named
    `task`, starts once the transaction commits. The report itself is not written: the request is the audit entry
    `action`, the work is the job, which is returned."""
    if report.is_frozen:
        raise ValidationError(frozen_message)
    _require_no_generation_running(report)
    log_action(actor=actor, action=action, target=report)
    # By name: the task module imports the caller's (docs/architecture.md, "Job outbox").
    job = dispatch(task, report.pk, target=report)
    job_progress(job.pk, 0, total=steps)
    return job


def require_files_ready(report) -> None:
    """Before submission: no generation running, both files generated after the approval, and unchanged since
    (they still hash to what was recorded when they were made)."""
    _require_no_generation_running(report)
    if not report.generated_at or report.generated_at < report.approved_at:
        raise ValidationError(_("请先在批准后生成PDF和Excel文件，再报送分局。"))
    if (file_sha256(report.pdf_file), file_sha256(report.xlsx_file)) != (report.pdf_sha256, report.xlsx_sha256):
        raise ValidationError(_("导出文件与生成时的校验值不一致，请重新生成后再报送。"))


def store_report_files(model, pk: int, *, name: str, pdf: bytes, xlsx: bytes, job_id: int | None, steps: int):
    """`model` has pdf_file, xlsx_file, pdf_sha256, xlsx_sha256 and generated_at; returns the saved row."""
    with transaction.atomic():
        report = model.objects.select_for_update().get(pk=pk)
        old = [report.pdf_file.name, report.xlsx_file.name]
        report.pdf_file.save(f"{name}.pdf", ContentFile(pdf), save=False)
        report.xlsx_file.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
        report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        report.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
        report.generated_at = timezone.now()
        report._change_reason = _("生成PDF和Excel文件")
        report.save(update_fields=["pdf_file", "xlsx_file", "pdf_sha256", "xlsx_sha256", "generated_at"])
        if job_id is not None:
            job_progress(job_id, steps)
            job_finish(job_id)
        storage = report.pdf_file.storage
        for old_name in old:
            if old_name:
                transaction.on_commit(lambda n=old_name: storage.delete(n))
    return report
