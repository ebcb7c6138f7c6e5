"""The pages' side of a report's generated PDF and Excel, as the statistics report and the quarterly list both keep
them (`pdf_file`/`pdf_sha256`, `xlsx_file`/`xlsx_sha256`, `generated_at`, the generation a core.BackgroundJob
targeting the report): the generate button, the files card with its poller, and the logged download
(core/services/report_files.py is the services' side; docs/architecture.md「The statistics report and the quarterly
list」)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exporters import XLSX_CONTENT_TYPE, file_response
from core.job_status import Download, job_status_context
from core.service_errors import show_error
from core.services.audit import log_action
from core.services.jobs import QUEUE_DOWN_MESSAGE, latest_job, waiting_for_queue

CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_CONTENT_TYPE}


def files_status(record, *, status_url: str, download_url: str) -> dict:
    """The files card (core/job_status.py): the latest generation and the two downloads. `status_url` and
    `download_url` are URL names taking the record's pk (and, for the download, the kind)."""
    job = latest_job(record)
    active = job is not None and job.is_active
    generated = record.generated_at
    return job_status_context(
        job,
        poll_url=reverse(status_url, args=[record.pk]),
        downloads=[
            Download(_("下载PDF"), reverse(download_url, args=[record.pk, "pdf"]), "fa-file-pdf", "pdf"),
            Download(_("下载Excel"), reverse(download_url, args=[record.pk, "xlsx"]), "fa-file-excel", "xlsx"),
        ],
        unit=_("步"),
        failed_text=_("文件生成失败，请重新生成或联系管理员。"),
        none_text=_("已生成（%(when)s）") % {"when": date_format(timezone.localtime(generated), "Y-m-d H:i")}
        if generated
        else _("未生成"),
        ready=bool(generated and record.pdf_file and record.xlsx_file) and not active,
    )


def start_generation(request, record, request_files, **record_kwarg) -> None:
    """The generate button: ask for the files (`request_files(actor=…, <record_kwarg>)`), say so, and warn when the
    queue is not taking work."""
    try:
        request_files(actor=request.user, **record_kwarg)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.info(request, _("已开始生成PDF和Excel文件。"))
        if waiting_for_queue(record):
            messages.warning(request, QUEUE_DOWN_MESSAGE)


def download_response(request, record, kind: str, *, action: str, title: str):
    """One of the two files, logged as `action`, named "<office><period><title>v<version>.<kind>"."""
    field = {"pdf": record.pdf_file, "xlsx": record.xlsx_file}.get(kind)
    if not field:
        raise Http404
    log_action(actor=request.user, action=action, target=record, kind=kind)
    org_name = record.org.short_name or record.org.code
    filename = f"{org_name}{record.period_label}{title}v{record.version}.{kind}"
    return file_response(field.open("rb"), filename, content_type=CONTENT_TYPES[kind])
