"""The ledger export: one dataset for Excel and CSV, personal data masked (docs/domain.md, "个人信息")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models.choices import CaseStatus, CaseType, Channel
from complaints.selectors import LEDGER_ROW_VALUES, DaysLeft
from core.exporters import Column, ListExporter
from core.personal import mask_free_text, mask_name, mask_phone

EXPORT_CHUNK_SIZE = 2000


def petitioner_label(case_type: str, name: str, is_anonymous: bool) -> str:
    """The petitioner as lists and exports show them: masked, and never a reporter's identity."""
    if is_anonymous or not name:
        return _("匿名")
    if case_type == CaseType.REPORT:
        # A 举报 reporter's identity never leaves the case page (docs/domain.md, "个人信息"), not even masked.
        return _("举报人（保密）")
    return mask_name(name)


class LedgerExporter(ListExporter):
    sheet_title = "信访投诉台账"
    local_times = True
    columns = [
        Column("编号", 16),
        Column("接收时间", 17, "datetime"),
        Column("来源渠道", 12),
        Column("类型", 10),
        Column("信访人/投诉人", 14),
        Column("联系电话", 14),
        Column("涉及机构", 22),
        Column("事项摘要", 40),
        Column("A岗", 10),
        Column("B岗", 10),
        Column("状态", 14),
        Column("当前期限", 12, "date"),
        Column("期限暂定", 9),
        # Numbers stay numbers: an overdue case leaves the two "left" columns blank and counts its working days
        # past the due date in 超期工作日, as the page reads it ("超期 N 个工作日"; 0 = less than one working day).
        Column("剩余天数", 9, "int"),
        Column("剩余工作日", 10, "int"),
        Column("超期工作日", 10, "int"),
        Column("办结日期", 12, "date"),
    ]

    def __init__(self, queryset: QuerySet, *, days_left: DaysLeft, progress=None):
        self.queryset = queryset
        self.days_left = days_left
        self.progress = progress

    def rows(self) -> Iterator[list]:
        channels = {k: str(v) for k, v in Channel.choices}
        types = {k: str(v) for k, v in CaseType.choices}
        statuses = {k: str(v) for k, v in CaseStatus.choices}
        tz = timezone.get_current_timezone()
        days_left = self.days_left
        provisional_mark = _("暂定")
        for done, (
            _pk,
            number,
            received_at,
            channel,
            case_type,
            name,
            is_anonymous,
            institution,
            summary,
            owner_name,
            owner_username,
            backup_name,
            backup_username,
            status,
            due_on,
            closed_at,
            due_provisional,
            phone,  # the export shows a masked phone; the ledger page does not
        ) in enumerate(
            self.queryset.values_list(*LEDGER_ROW_VALUES, "phone").iterator(chunk_size=EXPORT_CHUNK_SIZE), start=1
        ):
            is_open = status != CaseStatus.CLOSED
            due = due_on if is_open else None
            hide_contact = is_anonymous or case_type == CaseType.REPORT
            yield [
                number,
                # Excel has no time zones: local wall-clock time.
                received_at.astimezone(tz).replace(tzinfo=None),
                channels.get(channel, channel),
                types.get(case_type, case_type),
                petitioner_label(case_type, name, is_anonymous),
                "" if hide_contact else mask_phone(phone),
                institution or "",
                mask_free_text(summary),
                owner_name or owner_username or "",
                backup_name or backup_username or "",
                statuses.get(status, status),
                due,
                provisional_mark if due and due_provisional else "",
                *_days_cells(days_left, due),
                closed_at.astimezone(tz).date() if closed_at else None,
            ]
            if self.progress is not None and done % 1000 == 0:
                self.progress(done)


def _days_cells(days_left: DaysLeft, due: dt.date | None) -> tuple[int | None, int | None, int | None]:
    """剩余天数, 剩余工作日, 超期工作日 of an open case's due date (all blank for a closed case)."""
    days = days_left.calendar_days(due)
    working = days_left.working_days(due)
    if days is None or days >= 0:
        return days, working, None
    return None, None, (max(-working, 0) if working is not None else None)


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
