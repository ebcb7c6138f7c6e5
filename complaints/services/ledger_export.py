"""Exporting the filtered ledger: small exports at once, large ones by a task writing a private file.

Owned by the ledger (not part of the case workflow); kept here so that every write goes through services.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.exporters import LedgerExporter
from complaints.models import LedgerExport
from complaints.selectors import DaysLeft, count_rows
from core import crypto
from core.exporters import export_caption, write_csv, write_xlsx
from core.personal import mask_search_terms
from core.replica import replica_reads
from core.roles import Role, has_role
from core.services.audit import log_action
from core.services.jobs import dispatch, job_progress, job_store_file
from core.workcalendar import get_calendar

FORMATS = ("xlsx", "csv")


def async_threshold() -> int:
    """Exports above this many rows run as a task (settings.LEDGER_EXPORT_ASYNC_ROWS)."""
    return settings.LEDGER_EXPORT_ASYNC_ROWS


def export_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.LEDGER_EXPORT_KEEP_HOURS)


def days_left_for(today: dt.date) -> DaysLeft:
    return DaysLeft(get_calendar(), today)


def ledger_caption(*, org=None, filterset=None, filters_text: str = "", actor=None, when=None) -> str:
    """The caption row of the ledger workbook: the unit, the filters in words, when and by whom."""
    unit = (org.full_name or org.name) if org is not None else ""
    if filterset is not None:
        filters_text = filterset.describe()
    filters = _("筛选条件：%(filters)s") % {"filters": filters_text or _("全部")}
    return export_caption(unit, filters, when=when, by=str(actor) if actor is not None else "")


def write_ledger(target, queryset, *, file_format: str, today: dt.date, caption: str = "", progress=None) -> int:
    """Write the rows of `queryset` as Excel (a binary target) or CSV (a text target); returns the row count.

    `caption` is the workbook's second row (unit, filters, export time); a CSV has no title rows.
    """
    exporter = LedgerExporter(queryset, days_left=days_left_for(today), progress=progress)
    if file_format == "xlsx":
        return write_xlsx(target, exporter, title=_("信访投诉台账"), caption=caption)
    return write_csv(target, exporter)


def can_download(user, export: LedgerExport) -> bool:
    """The person who asked for it, supervisors of its unit (the caller scopes by unit) and superusers."""
    return user.is_superuser or export.requested_by_id == user.pk or has_role(user, Role.SUPERVISOR)


BUILD_TASK = "complaints.tasks.build_ledger_export"


# The search terms of an export (`q`) may be a name or a phone number: the export record keeps them encrypted, for
# the task that builds a large export, and the audit log and the export's page show them masked (docs/domain.md,
# "个人信息": never in URLs or logs).
SEARCH_KEY = "q"


def stored_filters(filters: dict) -> dict:
    if not filters.get(SEARCH_KEY):
        return dict(filters)
    return {**filters, SEARCH_KEY: crypto.encrypt(filters[SEARCH_KEY])}


def query_filters(stored: dict) -> dict:
    """The filters to run again (the export task): the search terms decrypted."""
    if not stored.get(SEARCH_KEY):
        return dict(stored)
    return {**stored, SEARCH_KEY: crypto.decrypt(stored[SEARCH_KEY])}


def shown_filters(stored: dict) -> dict:
    """The filters as the audit log and the export's page show them: the search terms masked."""
    if not stored.get(SEARCH_KEY):
        return dict(stored)
    return {**stored, SEARCH_KEY: mask_search_terms(crypto.decrypt(stored[SEARCH_KEY]))}


@transaction.atomic
def ledger_export_request(
    *, actor, queryset, filters: dict, file_format: str, org, today: dt.date | None = None, caption: str = ""
):
    """Log an export of the filtered ledger and either write it now or queue it.

    Returns (export, content): `content` holds the file's bytes for a small export written at once, and is
    None when a task will build the file (the caller shows the export's status page, which follows its job).
    """
    if file_format not in FORMATS:
        raise PermissionDenied(_("不支持的导出格式。"))
    today = today or timezone.localdate()
    estimated, exact = count_rows(queryset)
    export = LedgerExport.objects.create(
        org=org, requested_by=actor, file_format=file_format, filters=stored_filters(filters)
    )
    if exact and estimated <= async_threshold():
        content, export.row_count = _write_to_memory(queryset, file_format=file_format, today=today, caption=caption)
        export.save(update_fields=["row_count"])
        _log(actor, export)
        return export, content
    # By name: the task module imports this one (docs/architecture.md, "Job outbox").
    export.job = dispatch(BUILD_TASK, export.pk, target=export)
    export.save(update_fields=["job"])
    job_progress(export.job.pk, 0, total=estimated)
    log_action(
        actor=actor,
        action="complaints.ledger.export_queued",
        target=export,
        filters=shown_filters(export.filters),
        estimated_rows=estimated,
    )
    return export, None


def _write_to_memory(queryset, *, file_format: str, today: dt.date, caption: str) -> tuple[bytes, int]:
    if file_format == "xlsx":
        buffer = io.BytesIO()
        rows = write_ledger(buffer, queryset, file_format="xlsx", today=today, caption=caption)
        return buffer.getvalue(), rows
    text = io.StringIO()
    rows = write_ledger(text, queryset, file_format="csv", today=today)
    return text.getvalue().encode("utf-8"), rows


def _log(actor, export: LedgerExport) -> None:
    log_action(
        actor=actor,
        action="complaints.ledger.exported",
        target=export,
        filters=shown_filters(export.filters),
        file_format=export.file_format,
        row_count=export.row_count,
    )


def ledger_export_build(*, export_id: int) -> LedgerExport:
    """Build a queued export's file (called by the task; safe to run again, see core.services.jobs.job_store_file).

    A run that finds the file already stored (a redelivered message) returns at once.
    """
    from complaints.filters import LedgerFilter
    from complaints.selectors import ledger_scope

    export = LedgerExport.objects.select_related("requested_by", "org", "job").get(pk=export_id)
    job = export.job
    if job is None or job.file:
        return export
    job_progress(job.pk, 0)
    today = timezone.localdate(export.requested_at)
    scope = ledger_scope(export.requested_by)
    filterset = LedgerFilter(query_filters(export.filters), scope=scope, calendar_getter=get_calendar, today=today)
    caption = ledger_caption(org=export.org, filterset=filterset, actor=export.requested_by, when=export.requested_at)

    def write(target) -> int:
        # The rows are the long read: the replica's (core/replica.py); the progress is written to the primary.
        with replica_reads():
            return write_ledger(
                target,
                filterset.qs,
                file_format=export.file_format,
                today=today,
                caption=caption,
                progress=lambda done: job_progress(job.pk, done),
            )

    def finish(_job, rows: int) -> None:
        export.row_count = rows
        export.save(update_fields=["row_count"])
        job_progress(job.pk, rows, total=rows)
        _log(export.requested_by, export)

    job_store_file(
        job.pk,
        folder=f"exports/{export.org_id}",
        stem=str(export.pk),
        suffix=export.file_format,
        write=write,
        binary=export.file_format == "xlsx",
        lifetime=export_lifetime(),
        on_done=finish,
    )
    return export
