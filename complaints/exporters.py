"""The ledger export: one dataset for Excel and CSV, personal data masked (docs/domain.md, "个人信息")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from complaints.ledger_columns import LedgerLine, export_columns, export_row_builder
from complaints.selectors import LEDGER_EXPORT_VALUES, DaysLeft, LedgerRow
from core.exporters import ListExporter

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
