"""The report's PDF (with server-rendered SVG charts) and Excel workbook, built in the background with progress,
as the quarterly list's files are (institutions/services/documents.py)."""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import bar_chart
from core.exporters import export_caption, write_xlsx_sheets
from core.pdf import chosen_family, render_pdf
from core.services.jobs import job_progress
from core.services.report_files import queue_report_files, store_report_files
from institutions.services.common import require_staff

from .exporters import number, workbook_exporters
from .models import StatisticsReport

logger = logging.getLogger(__name__)

GENERATE_TASK = "statistics.tasks.generate_report_files"
STEPS = 2  # the PDF, the workbook
# The tables drawn as charts, in this order.
CHARTED = ("channel", "type", "closing", "satisfaction")


def report_charts(report: StatisticsReport, *, width: int = 460, font_family: str | None = None) -> list:
    """One bar chart per charted table (its first column); totals rows are left out."""
    charts = []
    for table in report.figures.get("tables", []):
        if table["key"] not in CHARTED:
            continue
        rows = [row for row in table["rows"] if row["label"] != _("合计")]
        options = {"font_family": font_family} if font_family else {}
        charts.append(
            bar_chart(
                [row["label"] for row in rows],
                {table["columns"][0]: [float(number(row["values"][0])) for row in rows]},
                title=table["title"],
                width=width,
                height=260,
                **options,
            )
        )
    return charts


def build_pdf(report: StatisticsReport) -> bytes:
    family = f"{chosen_family(settings.PDF_BODY_FONT_FAMILY)}, serif"
    return render_pdf(
        "statistics/pdf_report.html",
        {
            "report": report,
            "issuer": report.org.official_name,
            "tables": report.figures.get("tables", []),
            "charts": report_charts(report, font_family=family),
            "signed_on": timezone.localdate(report.approved_at) if report.approved_at else None,
        },
    )


def build_xlsx(report: StatisticsReport) -> bytes:
    buffer = io.BytesIO()
    org = report.org
    caption = export_caption(
        org.full_name or org.name,
        _("%(period)s（第 %(version)s 版）") % {"period": report.period_label, "version": report.version},
        str(report.get_status_display()),
        label=_("生成时间"),
    )
    write_xlsx_sheets(buffer, workbook_exporters(report), title=_("信访投诉统计"), caption=caption)
    return buffer.getvalue()


@transaction.atomic
def report_request_files(*, actor, report: StatisticsReport):
    """Queue the generation of both files; the task starts once this transaction commits. Returns the job."""
    require_staff(actor, report.org)
    return queue_report_files(
        actor=actor,
        report=report,
        task=GENERATE_TASK,
        action="statistics.report.files_requested",
        frozen_message=_("报表已报送分局并锁定，文件不能重新生成。"),
        steps=STEPS,
    )


def report_generate_files(report_id: int, *, job_id: int | None = None) -> StatisticsReport:
    """Build the PDF and the workbook and store them with their SHA-256; the report is saved once, with its
    history, when both are stored. A failure is recorded on the job by the worker's signal."""
    report = StatisticsReport.objects.select_related("org").get(pk=report_id)
    if report.is_frozen:
        return report
    try:
        pdf = build_pdf(report)
        if job_id is not None:
            job_progress(job_id, 1)
        xlsx = build_xlsx(report)
    except Exception:
        logger.exception("statistics report %s: file generation failed", report_id)
        raise
    name = f"{report.org.code}-{report.period_code}-v{report.version}"
    return store_report_files(StatisticsReport, report_id, name=name, pdf=pdf, xlsx=xlsx, job_id=job_id, steps=STEPS)
