"""Exporting the filtered ledger: small exports at once, large ones by a task writing a private file.

Owned by the ledger (not part of the case workflow); kept here so that every write goes through services.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
from pathlib import Path

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
from core.roles import Role, has_role
from core.services.audit import log_action
from core.services.jobs import dispatch
from core.workcalendar import get_calendar

FORMATS = ("xlsx", "csv")


def async_threshold() -> int:
    """Exports above this many rows run as a task (settings.LEDGER_EXPORT_ASYNC_ROWS, default 5,000)."""
    return getattr(settings, "LEDGER_EXPORT_ASYNC_ROWS", 5000)


def export_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "LEDGER_EXPORT_KEEP_HOURS", 72))


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
    return user.is_superuser or export.requested_by_id == user.pk or has_role(user, Role.SUPERVISOR)


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
    None when a task will build the file (the caller shows the export's status page).
    """
    if file_format not in FORMATS:
        raise PermissionDenied(_("不支持的导出格式。"))
    today = today or timezone.localdate()
    estimated, exact = count_rows(queryset)
    export = LedgerExport.objects.create(
        org=org,
        requested_by=actor,
        file_format=file_format,
        filters=stored_filters(filters),
        state=LedgerExport.State.PENDING,
    )
    if exact and estimated <= async_threshold():
        content = _write_to_memory(queryset, file_format=file_format, today=today, caption=caption)
        export.state = LedgerExport.State.DONE
        export.row_count = export.rows_done = content[1]
        export.finished_at = timezone.now()
        export.save(update_fields=["state", "row_count", "rows_done", "finished_at"])
        _log(actor, export)
        return export, content[0]
    from complaints.tasks import build_ledger_export

    dispatch(build_ledger_export, export.pk, target=export)
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
    """Build a queued export's file under PRIVATE_FILES_ROOT (called by the task; safe to run again).

    The file is written under a temporary name (`….part`) and renamed when complete, so a half-written file is
    never served; a retried task (its worker was killed) removes the dead run's part file and starts again.
    The export is finished once: the rename and the DONE state happen under a row lock, and a run that finds
    the export already done (a redelivered message) throws its own file away.
    """
    from complaints.filters import LedgerFilter
    from complaints.selectors import ledger_scope

    export = LedgerExport.objects.select_related("requested_by", "org").get(pk=export_id)
    if export.state == LedgerExport.State.DONE:
        return export
    LedgerExport.objects.filter(pk=export.pk).exclude(state=LedgerExport.State.DONE).update(
        state=LedgerExport.State.RUNNING, rows_done=0, error=""
    )
    today = timezone.localdate(export.requested_at)
    scope = ledger_scope(export.requested_by)
    filterset = LedgerFilter(query_filters(export.filters), scope=scope, calendar_getter=get_calendar, today=today)
    queryset = filterset.qs
    caption = ledger_caption(org=export.org, filterset=filterset, actor=export.requested_by, when=export.requested_at)
    folder = Path("exports") / str(export.org_id)
    relative = folder / f"{export.pk}-{uuid.uuid4().hex}.{export.file_format}"
    final_path = Path(settings.PRIVATE_FILES_ROOT) / relative
    final_path.parent.mkdir(parents=True, exist_ok=True)
    for dead in final_path.parent.glob(f"{export.pk}-*.part"):
        dead.unlink(missing_ok=True)  # left by a run whose worker was killed
    partial_path = final_path.with_suffix(final_path.suffix + ".part")

    def progress(done: int) -> None:
        LedgerExport.objects.filter(pk=export.pk).update(rows_done=done)

    try:
        if export.file_format == "xlsx":
            with open(partial_path, "wb") as target:
                rows = write_ledger(
                    target, queryset, file_format="xlsx", today=today, caption=caption, progress=progress
                )
        else:
            with open(partial_path, "w", encoding="utf-8", newline="") as target:
                rows = write_ledger(target, queryset, file_format="csv", today=today, progress=progress)
        with open(partial_path, "rb") as written:
            os.fsync(written.fileno())  # on disk before the rename makes it visible
    except Exception as exc:
        partial_path.unlink(missing_ok=True)
        LedgerExport.objects.filter(pk=export.pk).update(state=LedgerExport.State.FAILED, error=str(exc)[:500])
        raise
    with transaction.atomic():
        export = LedgerExport.objects.select_for_update().get(pk=export_id)
        if export.state == LedgerExport.State.DONE or not partial_path.exists():
            # Another run finished first, or a newer run (a redelivered message) took over and cleared this one.
            partial_path.unlink(missing_ok=True)
            return export
        os.replace(partial_path, final_path)
        export.file.name = str(relative)
        export.state = LedgerExport.State.DONE
        export.row_count = export.rows_done = rows
        export.finished_at = timezone.now()
        export.expires_at = export.finished_at + export_lifetime()
        export.error = ""
        export.save(update_fields=["file", "state", "row_count", "rows_done", "finished_at", "expires_at", "error"])
        _log(export.requested_by, export)
    return export


def ledger_export_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the files of expired exports (the log rows stay); returns how many files were removed."""
    now = now or timezone.now()
    removed = 0
    for export in LedgerExport.objects.filter(expires_at__lt=now).exclude(file=""):
        export.file.delete(save=False)
        export.file = ""
        export.save(update_fields=["file"])
        removed += 1
    return removed
