"""The figures workbook: one sheet per breakdown plus the case list (applicant names masked)."""

from __future__ import annotations

from core.exporters import Column, ListExporter
from core.personal import mask_name

from .models import Outcome
from .selectors import Bucket, Figures

_BUCKET_COLUMNS = [
    Column("案件数", 8, "int"),
    Column("已结案", 8, "int"),
    Column("达成协议", 10, "int"),
    Column("调解不成", 10, "int"),
    Column("退回法院", 10, "int"),
    Column("撤回", 8, "int"),
    Column("终止", 8, "int"),
    Column("进行中", 8, "int"),
    Column("成功率（%）", 12, "percent"),
    Column("请求金额（元）", 16, "money"),
    Column("协议金额（元）", 16, "money"),
    Column("实际履行金额（元）", 18, "money"),
]


def _bucket_row(bucket: Bucket) -> list:
    return [
        bucket.total,
        bucket.concluded,
        bucket.agreements,
        bucket.outcome_count(Outcome.FAILURE),
        bucket.outcome_count(Outcome.RETURNED_TO_COURT),
        bucket.outcome_count(Outcome.WITHDRAWAL),
        bucket.outcome_count(Outcome.TERMINATION),
        bucket.open,
        bucket.success_rate,
        bucket.claimed,
        bucket.agreed,
        bucket.recovered,
    ]


class _BucketExporter(ListExporter):
    first_column = Column("分组", 24)

    def __init__(self, buckets: list[Bucket], totals: Bucket | None = None):
        self.buckets = buckets
        self.totals = totals
        self.columns = [self.first_column, *_BUCKET_COLUMNS]

    def rows(self):
        for bucket in self.buckets:
            yield [bucket.label, *_bucket_row(bucket)]
        if self.totals is not None:
            yield ["合计", *_bucket_row(self.totals)]


class SourceExporter(_BucketExporter):
    sheet_title = "按来源"
    first_column = Column("来源", 24)


class PartnerExporter(_BucketExporter):
    sheet_title = "按合作单位"
    first_column = Column("调解员所属单位", 24)


class InstitutionExporter(_BucketExporter):
    sheet_title = "按机构"
    first_column = Column("被申请机构", 24)


class CaseListExporter(ListExporter):
    sheet_title = "案件清单"
    columns = [
        Column("编号", 16),
        Column("来源", 18),
        Column("收案日期", 12, "date"),
        Column("申请人", 10),
        Column("被申请机构", 18),
        Column("调解员", 12),
        Column("合作单位", 18),
        Column("状态", 14),
        Column("结果", 14),
        Column("结案日期", 12, "date"),
        Column("请求金额（元）", 16, "money"),
        Column("协议金额（元）", 16, "money"),
        Column("实际履行金额（元）", 18, "money"),
    ]

    def __init__(self, queryset):
        self.queryset = queryset

    def rows(self):
        for case in self.queryset.for_list().order_by("received_on", "id").iterator(chunk_size=500):
            yield [
                case.number,
                case.get_source_display(),
                case.received_on,
                mask_name(case.applicant_name),
                case.institution.short_name,
                case.mediator.name if case.mediator_id else "",
                case.mediator.partner.name if case.mediator_id else "",
                case.get_status_display(),
                case.get_outcome_display(),
                case.concluded_on,
                case.amount_claimed,
                case.amount_agreed,
                case.amount_recovered,
            ]


def figures_exporters(figures: Figures, cases) -> list[ListExporter]:
    return [
        SourceExporter(figures.by_source, figures.totals),
        PartnerExporter(figures.by_partner),
        InstitutionExporter(figures.by_institution),
        CaseListExporter(cases),
    ]
