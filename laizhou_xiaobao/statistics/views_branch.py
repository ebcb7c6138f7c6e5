"""The branch's view of a period: every sub-bureau's submission side by side, which are missing or late, and the
branch's roll-up, exportable (docs/domain.md, "信访投诉统计")."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import within_org_q
from core.exporters import Column, ListExporter, export_caption, xlsx_bytes, xlsx_response
from core.models import OrgUnit
from core.roles import Role, has_role
from core.services.audit import log_action

from .exporters import number
from .forms import PeriodForm
from .models import YEAR, StatisticsReport, due_on, period_label

S = StatisticsReport.Status


@dataclass
class Submission:
    org: OrgUnit
    report: StatisticsReport | None
    late: bool

    @property
    def counted(self) -> bool:
        """In the roll-up: submitted and not returned for correction."""
        return self.report is not None and self.report.status == S.SUBMITTED


@dataclass
class Overview:
    year: int
    quarter: int
    due: object
    submissions: list[Submission]
    # [(table title, row label, [value per sub-bureau or None], roll-up)]
    lines: list[tuple] = field(default_factory=list)

    @property
    def missing(self) -> list[Submission]:
        return [s for s in self.submissions if s.report is None]

    @property
    def late(self) -> list[Submission]:
        return [s for s in self.submissions if s.late]


def branch_overview(branch: OrgUnit, year: int, quarter: int) -> Overview:
    """Two queries: the sub-bureaus below the branch, and their current submitted or returned reports."""
    units = list(OrgUnit.objects.filter(within_org_q(branch, ""), level=OrgUnit.Level.SUB_BUREAU).order_by("path"))
    reports = {
        report.org_id: report
        for report in StatisticsReport.objects.filter(
            org__in=units, year=year, quarter=quarter, status__in=(S.SUBMITTED, S.RETURNED)
        ).select_related("submitted_by", "returned_by")
    }
    due = due_on(year, quarter)
    today = timezone.localdate()
    submissions = []
    for unit in units:
        report = reports.get(unit.pk)
        late = (report.is_late) if report is not None else today > due
        submissions.append(Submission(org=unit, report=report, late=late))
    overview = Overview(year=year, quarter=quarter, due=due, submissions=submissions)
    overview.lines = _side_by_side(submissions)
    return overview


def _side_by_side(submissions: list[Submission]) -> list[tuple]:
    """Each table row of any submitted report, with every sub-bureau's figure and the branch's sum."""
    order: list[tuple[str, str]] = []
    values: dict[tuple[str, str], dict[int, object]] = {}
    for index, submission in enumerate(submissions):
        if submission.report is None:
            continue
        for table in submission.report.snapshot.get("figures", {}).get("tables", []):
            for row in table["rows"]:
                key = (table["title"], row["label"])
                if key not in values:
                    order.append(key)
                    values[key] = {}
                values[key][index] = number(row["values"][0])
    lines = []
    for key in order:
        per_unit = [values[key].get(i) for i in range(len(submissions))]
        counted = [v for s, v in zip(submissions, per_unit, strict=True) if s.counted and v is not None]
        total = sum(counted, Decimal(0)) if any(isinstance(v, Decimal) for v in counted) else sum(counted)
        lines.append((key[0], key[1], per_unit, total))
    return lines


class SideBySideExporter(ListExporter):
    sheet_title = "横向对比与汇总"

    def __init__(self, overview: Overview):
        self.overview = overview
        self.columns = (
            [Column("表", 24), Column("项目", 30)]
            + [Column(s.org.short_name or s.org.name, 12, "int") for s in overview.submissions]
            + [Column("分局汇总", 12, "int")]
        )

    def rows(self):
        for table, label, per_unit, total in self.overview.lines:
            yield [table, label, *per_unit, total]


class SubmissionsExporter(ListExporter):
    sheet_title = "报送情况"
    columns = [
        Column("单位", 30),
        Column("状态", 20),
        Column("版本", 8, "int"),
        Column("报送时间", 18, "datetime"),
        Column("逾期", 8),
        Column("退回原因", 40),
    ]

    def __init__(self, overview: Overview):
        self.overview = overview

    def rows(self):
        for s in self.overview.submissions:
            report = s.report
            yield [
                s.org.name,
                str(report.get_status_display()) if report else "未报送",
                report.version if report else None,
                report.submitted_at if report else None,
                "是" if s.late else "",
                report.return_reason if report else "",
            ]


def _require_branch(user) -> OrgUnit:
    org = user.org if user.org_id else None
    allowed = user.is_superuser or has_role(user, Role.REVIEWER, Role.SUPERVISOR)
    if org is None or org.level != OrgUnit.Level.BRANCH or not allowed:
        raise PermissionDenied(_("只有分局审阅人员可以查看各支局的统计报送情况。"))
    return org


@login_required
def branch(request):
    branch_org = _require_branch(request.user)
    today = timezone.localdate()
    default = f"{today.year}Q{(today.month - 1) // 3}" if today.month > 3 else f"{today.year - 1}Q4"
    form = PeriodForm(request.GET or {"period": default})
    if not form.is_valid():
        form = PeriodForm({"period": default})
        form.is_valid()
    year, quarter = form.cleaned_data["period"]
    overview = branch_overview(branch_org, year, quarter)
    if request.GET.get("format") == "xlsx":
        log_action(actor=request.user, action="statistics.branch.exported", target=branch_org, year=year, q=quarter)
        caption = export_caption(branch_org.name, period_label(year, quarter), label=_("导出时间"))
        content, _rows = xlsx_bytes(
            [SideBySideExporter(overview), SubmissionsExporter(overview)],
            title=_("信访投诉统计分局汇总"),
            caption=caption,
        )
        return xlsx_response(
            content, f"{branch_org.short_name or branch_org.name}{period_label(year, quarter)}信访投诉统计汇总.xlsx"
        )
    return render(
        request,
        "statistics/branch.html",
        {"overview": overview, "form": form, "period_label": period_label(year, quarter), "is_year": quarter == YEAR},
    )
