"""The office's own summary of a period (docs/domain.md, "工作小结"): the page, the command and the tests read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from complaints.models import Case, Contact, Forwarding
from complaints.models.choices import CaseStatus, CaseType, Channel, Closure


@dataclass
class WorkSummary:
    start: dt.date
    end: dt.date
    closed_on_time: int  # 已按时办结信访举报件
    closed_total: int  # 办结的信访举报件（分母）
    visitors: int  # 接待来访群众（人次）
    visits: int  # 来访登记（批次）
    calls: int  # 接听群众来电（起）
    forwarded: int  # 转办投诉（件）
    received: int  # 期间登记的全部件数
    by_channel: list[tuple[str, int]]
    by_type: list[tuple[str, int]]
    by_institution: list[tuple[str, int, int]]  # name, cases received, complaints forwarded

    @property
    def on_time_rate(self) -> float | None:
        return None if not self.closed_total else self.closed_on_time / self.closed_total

    @property
    def sentence(self) -> str:
        return (
            f"已按时办结信访举报件{self.closed_on_time}件，接待来访群众{self.visitors}人次，"
            f"接听群众来电{self.calls}起，转办投诉{self.forwarded}件"
        )


def work_summary(*, cases: QuerySet, contacts: QuerySet, forwardings: QuerySet, start: dt.date, end: dt.date):
    """The office summary for the local dates start..end inclusive. What each figure counts:

    - 已按时办结信访举报件: 信访 and 举报 cases closed in the period (local date of closed_at), not closed as
      a duplicate (重复件 are counted once, on their first case), with closed_on_time true — or null, which
      means the case had no statutory clock (an anonymous 举报) and so cannot be late.
      The on-time rate divides it by all such cases closed in the period (duplicates left out).
    - 接待来访群众N人次: contact records of channel 走访 received in the period, summing the number of people
      of each visit (a group visit of 5 is 5 人次), whether answered on the spot or opened as a case.
    - 接听群众来电N起: contact records of channel 电话 received in the period (one per call).
    - 转办投诉N件: 转办投诉 cases forwarded to an institution in the period (Forwarding.forwarded_on).
    - by channel / by type: cases received in the period (received_on), duplicates included.
    - by institution: cases received in the period per institution, and complaints forwarded to it.
    """
    petitions_and_reports = cases.filter(case_type__in=[CaseType.PETITION, CaseType.REPORT], status=CaseStatus.CLOSED)
    closed = (
        petitions_and_reports.annotate(closed_day=TruncDate("closed_at"))
        .filter(closed_day__gte=start, closed_day__lte=end)
        .exclude(closure=Closure.DUPLICATE)
    )
    closed_figures = closed.aggregate(total=Count("pk"), on_time=Count("pk", filter=~Q(closed_on_time=False)))
    period_contacts = contacts.filter(received_at__date__gte=start, received_at__date__lte=end)
    visit_figures = period_contacts.filter(channel=Channel.VISIT).aggregate(
        visits=Count("pk"), visitors=Sum("group_size")
    )
    calls = period_contacts.filter(channel=Channel.PHONE).count()
    period_forwardings = forwardings.filter(forwarded_on__gte=start, forwarded_on__lte=end)
    forwarded = period_forwardings.count()
    received = cases.received_between(start, end)
    channel_labels = dict(Channel.choices)
    type_labels = dict(CaseType.choices)
    by_channel_counts = dict(received.order_by().values_list("channel").annotate(n=Count("pk")))
    by_type_counts = dict(received.order_by().values_list("case_type").annotate(n=Count("pk")))
    by_institution = {
        name: [n, 0]
        for name, n in received.filter(institution__isnull=False)
        .order_by()
        .values_list("institution__short_name")
        .annotate(n=Count("pk"))
    }
    for name, n in period_forwardings.order_by().values_list("institution__short_name").annotate(n=Count("pk")):
        by_institution.setdefault(name, [0, 0])[1] = n
    return WorkSummary(
        start=start,
        end=end,
        closed_on_time=closed_figures["on_time"],
        closed_total=closed_figures["total"],
        visitors=visit_figures["visitors"] or 0,
        visits=visit_figures["visits"],
        calls=calls,
        forwarded=forwarded,
        received=sum(by_channel_counts.values()),
        by_channel=[(str(channel_labels[c]), by_channel_counts.get(c, 0)) for c in Channel.values],
        by_type=[(str(type_labels[t]), by_type_counts.get(t, 0)) for t in CaseType.values],
        by_institution=sorted(
            ((name, n, f) for name, (n, f) in by_institution.items()), key=lambda row: (-row[1], -row[2], row[0])
        ),
    )


def work_summary_for_orgs(*, org_ids: list[int] | None, start: dt.date, end: dt.date) -> WorkSummary:
    """The summary over the given units (None: every unit)."""
    cases, contacts, forwardings = Case.objects.all(), Contact.objects.all(), Forwarding.objects.all()
    if org_ids is not None:
        cases = cases.filter(org_id__in=org_ids)
        contacts = contacts.filter(org_id__in=org_ids)
        forwardings = forwardings.filter(case__org_id__in=org_ids)
    return work_summary(cases=cases, contacts=contacts, forwardings=forwardings, start=start, end=end)
