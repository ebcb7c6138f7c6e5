"""Case statistics of the dashboard: closure rates, intake by month and channel, top institutions.

Each figure reads complaints.CaseMonthCount, the per-month summary kept with every case write (a few dozen rows per
office instead of every case of the year; docs/architecture.md「看板汇总表」). The `*_direct` versions aggregate the
cases themselves, as the dashboard did before the summary: the tests compare the two, and `bench` measures both.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from complaints.models import Case, CaseMonthCount
from complaints.models.choices import CaseStatus, Channel
from core.personal import mask_free_text
from institutions.models import Institution

from ..links import ledger_url

# --- Case statistics --------------------------------------------------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter_start(day: dt.date) -> dt.date:
    start = quarter_start(day)
    return quarter_start(start - dt.timedelta(days=1))


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _summary(org_ids: list[int], measure: str, since: dt.date, today: dt.date):
    """The summary rows of one measure from the month of `since` to the month of `today`.

    No case is received or closed later than now, so the months up to today's hold exactly the cases up to today.
    """
    months = (since.replace(day=1), today)
    return CaseMonthCount.objects.filter(org_id__in=org_ids, measure=measure, month__range=months).order_by()


def closure_rates(org_ids: list[int], today: dt.date) -> dict[int, dict]:
    """On-time closure rate (Case.closed_on_time) this quarter and this year, per office. One query."""
    q_start = quarter_start(today)
    rows = _summary(org_ids, CaseMonthCount.Measure.CLOSED, dt.date(today.year, 1, 1), today)
    result = _no_closures(org_ids)
    for org_id, month, on_time, count in rows.values_list("org_id", "month", "on_time", "count"):
        values = result[org_id]
        values["year_closed"] += count
        values["year_on_time"] += count if on_time else 0
        if month >= q_start:
            values["quarter_closed"] += count
            values["quarter_on_time"] += count if on_time else 0
    return _with_rates(result)


def closure_rates_direct(org_ids: list[int], today: dt.date) -> dict[int, dict]:
    """The same from the cases themselves (the control of the tests and of `bench`). One query."""
    year_start = _local_midnight(dt.date(today.year, 1, 1))
    q_start = _local_midnight(quarter_start(today))
    tomorrow = _local_midnight(today + dt.timedelta(days=1))
    rows = (
        Case.objects.filter(
            org_id__in=org_ids,
            status=CaseStatus.CLOSED,
            closed_at__gte=year_start,
            closed_at__lt=tomorrow,
            closed_on_time__isnull=False,
        )
        .order_by()
        .values("org_id")
        .annotate(
            year_closed=Count("closed_at"),
            year_on_time=Count("closed_at", filter=Q(closed_on_time=True)),
            quarter_closed=Count("closed_at", filter=Q(closed_at__gte=q_start)),
            quarter_on_time=Count("closed_at", filter=Q(closed_at__gte=q_start, closed_on_time=True)),
        )
    )
    result = _no_closures(org_ids)
    for row in rows:
        result[row["org_id"]].update({k: v for k, v in row.items() if k != "org_id"})
    return _with_rates(result)


def _no_closures(org_ids: list[int]) -> dict[int, dict]:
    return {
        org_id: {"year_closed": 0, "year_on_time": 0, "quarter_closed": 0, "quarter_on_time": 0} for org_id in org_ids
    }


def _with_rates(result: dict[int, dict]) -> dict[int, dict]:
    for values in result.values():
        values["year_rate"] = _rate(values["year_on_time"], values["year_closed"])
        values["quarter_rate"] = _rate(values["quarter_on_time"], values["quarter_closed"])
    return result


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def last_twelve_months(today: dt.date) -> list[dt.date]:
    months = []
    year, month = today.year, today.month
    for _i in range(12):
        months.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def intake_by_month(org_ids: list[int], today: dt.date) -> dict[int, dict]:
    """Cases received per month and channel over the last twelve months, per office. One query."""
    months = last_twelve_months(today)
    rows = _summary(org_ids, CaseMonthCount.Measure.RECEIVED, months[0], today)
    return _intake(org_ids, months, rows.values_list("org_id", "month", "channel", "count"))


def intake_by_month_direct(org_ids: list[int], today: dt.date) -> dict[int, dict]:
    """The same from the cases themselves (the control of the tests and of `bench`). One query."""
    months = last_twelve_months(today)
    rows = (
        Case.objects.filter(org_id__in=org_ids, received_on__gte=months[0], received_on__lte=today)
        .order_by()
        .values_list("org_id", "received_on", "channel")
        .annotate(n=Count("received_on"))
    )
    # Grouping by day (at most ~365 × channels rows) keeps the database on the index; months are summed here.
    return _intake(org_ids, months, rows)


def _intake(org_ids: list[int], months: list[dt.date], rows) -> dict[int, dict]:
    """Rows of (office, a day of the month, channel, count) as twelve monthly columns per channel and office."""
    grid = {org_id: defaultdict(lambda: [0] * 12) for org_id in org_ids}
    index = {m: i for i, m in enumerate(months)}
    for org_id, day, channel, count in rows:
        grid[org_id][channel][index[day.replace(day=1)]] += count
    labels = [f"{m:%Y-%m}" for m in months]
    channel_labels = dict(Channel.choices)
    result = {}
    for org_id, by_channel in grid.items():
        series = {str(channel_labels.get(c, c)): values for c, values in sorted(by_channel.items())}
        result[org_id] = {
            "months": labels,
            "series": series,
            "channels": [(str(channel_labels.get(c, c)), c, values) for c, values in sorted(by_channel.items())],
            "totals": [sum(col) for col in zip(*series.values(), strict=True)] if series else [0] * 12,
        }
    return result


def top_institutions(org_ids: list[int], today: dt.date, limit: int = 10) -> dict[int, list[dict]]:
    """Institutions with most cases received this quarter, with last quarter's figure. Two queries."""
    this_start = quarter_start(today)
    rows = _summary(org_ids, CaseMonthCount.Measure.INSTITUTION, previous_quarter_start(today), today)
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for org_id, institution_id, month, count in rows.values_list("org_id", "institution_id", "month", "count"):
        counts[org_id, institution_id][0 if month >= this_start else 1] += count
    return _ranking(org_ids, this_start, [(*key, *both) for key, both in counts.items()], limit)


def top_institutions_direct(org_ids: list[int], today: dt.date, limit: int = 10) -> dict[int, list[dict]]:
    """The same from the cases themselves (the control of the tests and of `bench`). Two queries."""
    this_start, last_start = quarter_start(today), previous_quarter_start(today)
    rows = list(
        Case.objects.filter(
            org_id__in=org_ids, institution__isnull=False, received_on__gte=last_start, received_on__lte=today
        )
        .order_by()
        .values_list("org_id", "institution_id")
        .annotate(
            this_quarter=Count("received_on", filter=Q(received_on__gte=this_start)),
            last_quarter=Count("received_on", filter=Q(received_on__lt=this_start)),
        )
    )
    return _ranking(org_ids, this_start, rows, limit)


def _ranking(org_ids: list[int], this_start: dt.date, rows: list[tuple], limit: int) -> dict[int, list[dict]]:
    """Rows of (office, institution, this quarter, last quarter) as each office's top `limit`, named (one query)."""
    names = dict(Institution.objects.filter(pk__in={row[1] for row in rows}).order_by().values_list("pk", "short_name"))
    result: dict[int, list[dict]] = {org_id: [] for org_id in org_ids}
    for org_id, institution_id, this_quarter, last_quarter in rows:
        result[org_id].append(
            {
                "id": institution_id,
                "name": names.get(institution_id, "—"),
                "this_quarter": this_quarter,
                "last_quarter": last_quarter,
                "change": this_quarter - last_quarter,
                "link": ledger_url(institution=institution_id, received_from=this_start.isoformat()),
            }
        )
    for org_id, items in result.items():
        items.sort(key=lambda r: (-r["this_quarter"], -r["last_quarter"], r["name"]))
        result[org_id] = items[:limit]
    return result


MAJOR_CASES_LIMIT = 50


def major_cases(org_ids) -> list:
    """Open 重大/群体性 cases of the offices, newest first, shown above everything else on the board (one query).

    The summary is masked as on the ledger: the board is read by branch reviewers too.
    """
    rows = list(
        Case.objects.open()
        .major()
        .filter(org_id__in=org_ids)
        .order_by("-received_at", "-id")
        .values("pk", "number", "summary", "group_size", "major_reason", "org__name")[:MAJOR_CASES_LIMIT]
    )
    for row in rows:
        row["summary"] = mask_free_text(row["summary"])
        row["org_name"] = row.pop("org__name")
    return rows
