"""The ledger export: one dataset for Excel and CSV, personal data masked (docs/domain.md, "个人信息")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.ledger_columns import LedgerLine, export_columns, export_row_builder, petitioner_label
from complaints.models.choices import CaseType
from complaints.selectors import LEDGER_EXPORT_VALUES, DaysLeft, LedgerRow
from core.exporters import Column, ListExporter
from core.personal import mask_free_text

EXPORT_CHUNK_SIZE = 2000


class LedgerExporter(ListExporter):
    """The ledger's rows as the page lists them, with the columns of complaints/ledger_columns.py."""

    sheet_title = "信访投诉台账"
    local_times = True

    def __init__(self, queryset: QuerySet, *, days_left: DaysLeft, progress=None):
        self.columns = export_columns()
        self.queryset = queryset
        self.days_left = days_left
        self.progress = progress

    def rows(self) -> Iterator[list]:
        tz = timezone.get_current_timezone()
        days_left = self.days_left
        cells = export_row_builder()
        values = self.queryset.values_list(*LEDGER_EXPORT_VALUES).iterator(chunk_size=EXPORT_CHUNK_SIZE)
        for done, row in enumerate(values, start=1):
            yield cells(LedgerLine.of(LedgerRow.from_values(row), days_left=days_left, tz=tz))
            if self.progress is not None and done % 1000 == 0:
                self.progress(done)


def export_filename(file_format: str, when: dt.datetime | None = None) -> str:
    when = timezone.localtime(when or timezone.now())
    return f"信访投诉台账-{when:%Y%m%d-%H%M%S}.{file_format}"


class ArchiveListExporter(ListExporter):
    """归档目录: the cases an office filed in a year, in filing order (docs/domain.md, "归档")."""

    sheet_title = "归档目录"
    local_times = True
    columns = [
        Column("序号", 6, "int"),
        Column("归档号", 30),
        Column("案件编号", 16),
        Column("类型", 10),
        Column("信访人/投诉人", 14),
        Column("涉及机构", 22),
        Column("事项摘要", 36),
        Column("接收日期", 12, "date"),
        Column("办结日期", 12, "date"),
        Column("归档日期", 12, "date"),
        Column("保管期限（年）", 10, "int"),
        Column("保管期限", 18),
        Column("卷宗页数", 9, "int"),
        Column("附件数", 8, "int"),
        Column("补充材料", 8, "int"),
        Column("状态", 10),
    ]

    def __init__(self, archives):
        # One query: the archives with their case and institution, the counts as annotations.
        self.archives = archives

    def rows(self) -> Iterator[list]:
        for number, archive in enumerate(self.archives, start=1):
            case = archive.case
            yield [
                number,
                archive.archive_number,
                case.number,
                str(CaseType(case.case_type).label),
                petitioner_label(case.case_type, case.name, case.is_anonymous),
                case.institution.short_name if case.institution_id else "",
                mask_free_text(case.summary),
                case.received_on,
                timezone.localdate(case.closed_at) if case.closed_at else None,
                archive.filed_on,
                archive.retention_years,
                _("永久") if archive.is_permanent else _("至%(until)s") % {"until": archive.retention_until},
                archive.bundle_pages,
                archive.attachment_count,
                archive.supplement_count,
                _("已销毁") if archive.destroyed_at else _("在库"),
            ]
