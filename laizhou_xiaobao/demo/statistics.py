"""Demo statistics reports: the quarter before last submitted by Laizhou and Zhaoyuan (so the branch's page has
something side by side), the last quarter submitted by Zhaoyuan (the branch's page opens on it, with Laizhou's
still missing) and drafted by Laizhou (whose staff can check, approve and submit it). "Last quarter" is the last
complete one before the day of seeding. Idempotent: each is created only when missing."""

from __future__ import annotations

from django.utils import timezone

from core.models import User
from laizhou_xiaobao.statistics.documents import report_generate_files
from laizhou_xiaobao.statistics.models import StatisticsReport
from laizhou_xiaobao.statistics.services import report_approve, report_check, report_draft, report_submit


def _previous(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def _submitted(org, clerk, supervisor, year: int, quarter: int) -> None:
    report = report_draft(actor=clerk, org=org, year=year, quarter=quarter)
    report_check(actor=clerk, report=report)
    report_approve(actor=supervisor, report=report)
    report_generate_files(report.pk)
    report_submit(actor=supervisor, report=StatisticsReport.objects.get(pk=report.pk))


def seed(*, orgs, cases=None, stdout=None):
    today = timezone.localdate()
    last = _previous(today.year, (today.month - 1) // 3 + 1)
    before = _previous(*last)
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["lz_clerk_a", "lz_supervisor", "zy_clerk", "zy_supervisor"])
    }
    if len(people) < 4:
        return
    current = StatisticsReport.objects.current()
    for code, clerk, supervisor in (
        ("laizhou", "lz_clerk_a", "lz_supervisor"),
        ("zhaoyuan", "zy_clerk", "zy_supervisor"),
    ):
        if not current.filter(org=orgs[code], year=before[0], quarter=before[1]).exists():
            _submitted(orgs[code], people[clerk], people[supervisor], *before)
    if not current.filter(org=orgs["zhaoyuan"], year=last[0], quarter=last[1]).exists():
        _submitted(orgs["zhaoyuan"], people["zy_clerk"], people["zy_supervisor"], *last)
    if not current.filter(org=orgs["laizhou"], year=last[0], quarter=last[1]).exists():
        report_draft(actor=people["lz_clerk_a"], org=orgs["laizhou"], year=last[0], quarter=last[1])
