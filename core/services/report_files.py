"""Storing the PDF and the workbook of a frozen-able report (the quarterly list, the statistics report): both
files with their SHA-256, saved once with history when both are stored, the job finished, the files they replace
deleted after commit (docs/architecture.md, "Job outbox")."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services.jobs import job_finish, job_progress


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
