"""The quarterly list as Excel sheets: a summary, the positive items, the negative items. No personal data:
institutions, figures, element and description only."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from core.exporters import Column, ListExporter

from .models import ListItem, QuarterlyList
from .models.choices import Assessment, Polarity, RatingElement

ASSESSMENT_LABELS = dict(Assessment.choices)
ELEMENT_LABELS = dict(RatingElement.choices)


def list_rows(quarterly_list: QuarterlyList):
    """Rows with institution, type and accepted items, in name order (three queries)."""
    rows = list(
        quarterly_list.rows.select_related("institution", "institution__type")
        .prefetch_related("items")
        .order_by("institution__short_name", "institution_id")
    )
    for row in rows:
        accepted = [item for item in row.items.all() if item.state == ListItem.State.ACCEPTED]
        row.positive_items = [item for item in accepted if item.polarity == Polarity.POSITIVE]
        row.negative_items = [item for item in accepted if item.polarity == Polarity.NEGATIVE]
    return rows


def _evidence_text(item: ListItem) -> str:
    return "、".join(str(e.get("label") or "") for e in item.evidence if e.get("label"))


class SummaryExporter(ListExporter):
    sheet_title = "汇总"
    columns = [
        Column("序号", 6, "int"),
        Column("机构", 36),
        Column("机构类型", 20),
        Column("投诉件数", 10, "int"),
        Column("网点平均", 10, "decimal"),
        Column("上季度", 10, "int"),
        Column("环比变化", 10, "int"),
        Column("超期反馈", 10, "int"),
        Column("重复/群体", 10, "int"),
        Column("举报查实", 10, "int"),
        Column("正面事项", 10, "int"),
        Column("负面事项", 10, "int"),
        Column("总体评价", 10),
    ]

    def __init__(self, rows):
        self.list_rows = rows

    def rows(self):
        for number, row in enumerate(self.list_rows, start=1):
            f = row.figures
            yield [
                number,
                row.institution.full_name,
                row.institution.type.name,
                f.get("complaints", 0),
                _number(f.get("per_outlet")),
                f.get("previous", 0),
                f.get("change", 0),
                f.get("late_forwards", 0),
                f.get("repeat", 0) + f.get("group", 0),
                f.get("substantiated", 0),
                len(row.positive_items),
                len(row.negative_items),
                str(ASSESSMENT_LABELS.get(row.assessment, "")),
            ]


class ItemsExporter(ListExporter):
    columns = [
        Column("序号", 6, "int"),
        Column("机构", 36),
        Column("评价要素", 16),
        Column("事项描述", 60),
        Column("依据", 30),
    ]

    def __init__(self, rows, polarity: str):
        self.list_rows = rows
        self.polarity = polarity
        self.sheet_title = "正面清单" if polarity == Polarity.POSITIVE else "负面清单"

    def rows(self):
        number = 0
        for row in self.list_rows:
            items = row.positive_items if self.polarity == Polarity.POSITIVE else row.negative_items
            for item in items:
                number += 1
                yield [
                    number,
                    row.institution.full_name,
                    str(ELEMENT_LABELS.get(item.element, "")),
                    item.description,
                    _evidence_text(item),
                ]


def _number(value) -> Decimal:
    """The figures keep decimals as text (JSON); the workbook stores them as numbers."""
    try:
        return Decimal(str(value or 0))
    except InvalidOperation:
        return Decimal(0)
