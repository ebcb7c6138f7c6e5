"""The figures workbook: one sheet of events, then the breakdowns shown on the figures page."""

from __future__ import annotations

from django.db.models import Prefetch

from core.exporters import Column, ListExporter
from institutions.models import Institution

from .models import TargetGroup, Topic
from .selectors import Figures


class EventExporter(ListExporter):
    sheet_title = "宣传活动明细"
    columns = [
        Column("活动日期", 12, "date"),
        Column("活动名称", 30),
        Column("活动类别", 22),
        Column("集中宣传", 8),
        Column("镇街", 12),
        Column("村/社区", 14),
        Column("网格员", 10),
        Column("场所类型", 10),
        Column("活动地点", 20),
        Column("承办机构", 24),
        Column("参与机构", 24),
        Column("其他合作方", 20),
        Column("宣传对象", 20),
        Column("宣传主题", 30),
        Column("现场参与人数", 10, "int"),
        Column("线上覆盖人次", 10, "int"),
        Column("覆盖人数合计", 10, "int"),
        Column("发放资料", 10, "int"),
        Column("解答咨询", 10, "int"),
        Column("照片数", 8, "int"),
    ]

    def __init__(self, events):
        self.events = events

    def rows(self):
        # Six queries whatever the number of events: the events and five prefetches.
        institutions = Institution.objects.only("short_name")
        events = (
            self.events.select_related("campaign", "grid_cell__parent", "venue_type")
            .prefetch_related(
                Prefetch("organisers", queryset=institutions),
                Prefetch("partners", queryset=institutions),
                Prefetch("target_groups", queryset=TargetGroup.objects.all()),
                Prefetch("topics", queryset=Topic.objects.all()),
                "photos",
            )
            .order_by("held_on", "id")
        )
        for event in events:
            cell = event.grid_cell
            yield [
                event.held_on,
                event.title,
                event.campaign.name,
                "是" if event.is_major else "否",
                cell.parent.name if cell.parent_id else cell.name,
                cell.name if cell.parent_id else "",
                event.grid_officer,
                event.venue_type.name,
                event.venue,
                "、".join(i.short_name for i in event.organisers.all()),
                "、".join(i.short_name for i in event.partners.all()),
                event.other_partners,
                "、".join(g.name for g in event.target_groups.all()),
                "、".join(t.name for t in event.topics.all()),
                event.participants,
                event.online_reach,
                event.people_reached,
                event.materials_handed_out,
                event.questions_answered,
                len(event.photos.all()),
            ]


class BreakdownExporter(ListExporter):
    """The figures page's tables as one sheet: dimension, item, events, people reached."""

    sheet_title = "分类统计"
    columns = [Column("统计维度", 12), Column("项目", 30), Column("活动次数", 10, "int"), Column("覆盖人数", 12, "int")]

    def __init__(self, figures: Figures):
        self.figures = figures

    def rows(self):
        f = self.figures
        totals = f.totals
        yield ["合计", f.sentence, totals["events"], totals["people_reached"]]
        for label, rows, key in (
            ("活动类别", f.by_campaign, "name"),
            ("镇街", f.by_town, "town"),
            ("网格", [{**row, "label": _cell_label(row)} for row in f.by_cell], "label"),
            ("宣传对象", f.by_target_group, "name"),
            ("宣传主题", f.by_topic, "name"),
        ):
            for row in rows:
                yield [label, row[key], row["events"], row["people"]]


def _cell_label(row) -> str:
    return row["town"] if row["is_town"] else f"{row['town']}·{row['cell']}"


class CoverageExporter(ListExporter):
    columns = [Column("镇街", 14), Column("村/社区", 16), Column("网格员", 10), Column("活动次数", 10, "int")]

    def __init__(self, figures: Figures):
        self.figures = figures
        self.sheet_title = f"{figures.coverage_year}年网格覆盖"

    def rows(self):
        for town in self.figures.coverage:
            yield [town["cell"].name, "（镇街合计）", town["cell"].officer, town["events"]]
            for cell in town["children"]:
                yield [town["cell"].name, cell.name, cell.officer, cell.events_this_year]


class ParticipationExporter(ListExporter):
    sheet_title = "机构参与"
    columns = [Column("金融机构", 24), Column("参与活动及培训次数", 16, "int")]

    def __init__(self, figures: Figures):
        self.figures = figures

    def rows(self):
        for row in self.figures.participation:
            yield [row["name"], row["count"]]
