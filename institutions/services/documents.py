"""Generating the list's PDF and Excel files (run by a Celery task; progress is shown on the page)."""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import SANS, bar_chart
from core.exporters import export_caption, write_xlsx_sheets
from core.pdf import chosen_family, render_pdf
from core.services.jobs import job_progress
from core.services.report_files import queue_report_files, store_report_files

from ..exporters import ItemsExporter, SummaryExporter, list_rows
from ..models import QuarterlyList
from ..models.choices import Assessment, Polarity
from .common import require_staff

logger = logging.getLogger(__name__)


def summary_chart(rows, *, width: int = 900, height: int = 280, horizontal: bool = True, font_family: str = SANS):
    """Complaints, negative and positive items of the 15 most complained-about institutions.

    The page draws horizontal bars (long names); the landscape PDF draws vertical ones, which keep the chart
    low enough to share the first page with the heading and the counts.
    """
    top = sorted(rows, key=lambda r: (-r.figures.get("complaints", 0), r.institution.short_name))[:15]
    return bar_chart(
        [row.institution.short_name for row in top],
        {
            _("投诉件数"): [row.figures.get("complaints", 0) for row in top],
            _("负面事项"): [len(row.negative_items) for row in top],
            _("正面事项"): [len(row.positive_items) for row in top],
        },
        title=_("投诉较多机构及清单事项"),
        width=width,
        height=height,
        horizontal=horizontal,
        font_family=font_family,
    )


def pdf_context(quarterly_list: QuarterlyList, rows) -> dict:
    counts = {value: 0 for value in Assessment.values}
    for row in rows:
        counts[row.assessment] += 1
    return {
        "list": quarterly_list,
        "rows": rows,
        "issuer": quarterly_list.org.official_name,
        # Signed on the day the supervisor approved it; a draft leaves the date blank.
        "signed_on": timezone.localdate(quarterly_list.approved_at) if quarterly_list.approved_at else None,
        # In the document's own serif face, like the text around it.
        "chart": summary_chart(
            rows,
            width=1000,
            height=220,
            horizontal=False,
            font_family=f"{chosen_family(settings.PDF_BODY_FONT_FAMILY)}, serif",
        ),
        "counts": [(label, counts[value]) for value, label in Assessment.choices],
        "generated_on": timezone.localdate(),
    }


def build_pdf(quarterly_list: QuarterlyList, rows=None) -> bytes:
    rows = rows if rows is not None else list_rows(quarterly_list)
    return render_pdf("institutions/pdf_quarterly_list.html", pdf_context(quarterly_list, rows))


def build_xlsx(quarterly_list: QuarterlyList, rows=None) -> bytes:
    rows = rows if rows is not None else list_rows(quarterly_list)
    buffer = io.BytesIO()
    org = quarterly_list.org
    caption = export_caption(
        org.full_name or org.name,
        _("%(period)s（第 %(version)s 版）")
        % {"period": quarterly_list.period_label, "version": quarterly_list.version},
        str(quarterly_list.get_status_display()),
        label=_("生成时间"),
    )
    write_xlsx_sheets(
        buffer,
        [SummaryExporter(rows), ItemsExporter(rows, Polarity.POSITIVE), ItemsExporter(rows, Polarity.NEGATIVE)],
        title=_("县域金融机构消费者权益保护正负面清单"),
        caption=caption,
    )
    return buffer.getvalue()


GENERATE_TASK = "institutions.tasks.generate_list_files"
STEPS = 3  # the rows, the PDF, the workbook


@transaction.atomic
def list_request_files(*, actor, quarterly_list: QuarterlyList):
    """Queue the generation of both files; the task starts once this transaction commits. Returns the job.

    The list itself is not written: the request is the audit entry, the work is the job (core.BackgroundJob).
    """
    require_staff(actor, quarterly_list.org)
    return queue_report_files(
        actor=actor,
        report=quarterly_list,
        task=GENERATE_TASK,
        action="institutions.list.files_requested",
        frozen_message=_("清单已报送分局并锁定，文件不能重新生成。"),
        steps=STEPS,
    )


def list_generate_files(list_id: int, *, job_id: int | None = None) -> QuarterlyList:
    """Build the PDF and the Excel workbook, store them in the file storage with their SHA-256.

    Progress goes to the job (`job_id`, none when run from the command line); the list is saved once, with its
    history, when both files are stored. A failure is recorded on the job by the worker's signal.
    """

    def step(done: int) -> None:
        if job_id is not None:
            job_progress(job_id, done)

    quarterly_list = QuarterlyList.objects.select_related("org").get(pk=list_id)
    if quarterly_list.is_frozen:
        return quarterly_list
    try:
        rows = list_rows(quarterly_list)
        step(1)
        pdf = build_pdf(quarterly_list, rows)
        step(2)
        xlsx = build_xlsx(quarterly_list, rows)
    except Exception:
        logger.exception("quarterly list %s: file generation failed", list_id)
        raise
    name = f"{quarterly_list.org.code}-{quarterly_list.period_code}-v{quarterly_list.version}"
    return store_report_files(QuarterlyList, list_id, name=name, pdf=pdf, xlsx=xlsx, job_id=job_id, steps=STEPS)
