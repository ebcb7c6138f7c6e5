"""Read-side queries of the dashboard, my-work and reminders.

Every figure is one aggregating query over core.Deadline (or complaints.Case), grouped by the office so
that a branch reviewer's side-by-side view costs the same number of queries as one office. Counts use a
conditional Count over `due_on`, the column of the partial index on open deadlines, so PostgreSQL can
answer from the index instead of the table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import visible_orgs
from core.models import Absence, Deadline, OrgUnit, User
from core.roles import GROUP_NAMES, Role, has_role
from core.services.deadlines import DUE_SOON_WORKING_DAYS
from core.workcalendar import WorkCalendar, get_calendar

from .links import ledger_url

BUCKETS = ("overdue", "today", "soon", "on_time")
BUCKET_LABELS = {
    "overdue": _("已超期"),
    "today": _("今日到期"),
    "soon": _("即将到期"),
    "on_time": _("正常"),
}
TASK_KIND = "core.task"


def soon_working_days() -> int:
    return int(getattr(settings, "DUE_SOON_WORKING_DAYS", DUE_SOON_WORKING_DAYS))


@dataclass(frozen=True)
class Horizon:
    """The dates that split open deadlines into buckets on `today`."""

    today: dt.date
    soon_days: int
    # The last day counted as "due soon": `soon_days` working days after today.
    soon_end: dt.date

    def bucket_of(self, due_on: dt.date) -> str:
        if due_on < self.today:
            return "overdue"
        if due_on == self.today:
            return "today"
        if due_on <= self.soon_end:
            return "soon"
        return "on_time"

    def ledger_params(self, bucket: str) -> dict:
        """The ledger filter (see the Team map contract) that lists one bucket's cases."""
        day = dt.timedelta(days=1)
        return {
            "overdue": {"overdue": 1},
            "today": {"due_from": self.today.isoformat(), "due_to": self.today.isoformat()},
            "soon": {"due_from": (self.today + day).isoformat(), "due_to": self.soon_end.isoformat()},
            "on_time": {"due_from": (self.soon_end + day).isoformat()},
            "total": {"status": "open"},
        }[bucket]


def make_horizon(today: dt.date, soon_days: int | None = None, calendar: WorkCalendar | None = None) -> Horizon:
    """Raises CalendarMissingError when the due-soon window reaches a year without calendar data."""
    soon_days = soon_working_days() if soon_days is None else soon_days
    calendar = calendar or get_calendar()
    return Horizon(today=today, soon_days=soon_days, soon_end=calendar.add_days(today, soon_days, "working"))


def bucket_aggregates(horizon: Horizon, prefix: str = "") -> dict:
    """Conditional counts of running deadlines per bucket, plus paused ones, over the indexed `due_on`."""
    running = Q(paused_since__isnull=True)
    return {
        f"{prefix}overdue": Count("due_on", filter=running & Q(due_on__lt=horizon.today)),
        f"{prefix}today": Count("due_on", filter=running & Q(due_on=horizon.today)),
        f"{prefix}soon": Count("due_on", filter=running & Q(due_on__gt=horizon.today, due_on__lte=horizon.soon_end)),
        f"{prefix}on_time": Count("due_on", filter=running & Q(due_on__gt=horizon.soon_end)),
        f"{prefix}paused": Count("due_on", filter=Q(paused_since__isnull=False)),
    }


# --- Which offices a user's dashboard shows ----------------------------------------------------------


def can_see_dashboard(user) -> bool:
    return user.is_superuser or has_role(user, Role.SUPERVISOR, Role.REVIEWER, Role.ADMINISTRATOR)


def dashboard_orgs(user) -> list[OrgUnit]:
    """A sub-bureau's own office, or for a branch (reviewer, administrator) each sub-bureau below it."""
    if user.org_id and user.org.level == OrgUnit.Level.SUB_BUREAU:
        return [user.org]
    return list(visible_orgs(user).filter(level=OrgUnit.Level.SUB_BUREAU).order_by("path"))


# --- Item kinds -------------------------------------------------------------------------------------

ITEM_KIND_LABELS = {
    "case:petition": _("信访"),
    "case:report": _("举报"),
    "case:complaint": _("转办投诉"),
    TASK_KIND: _("工作任务"),
}


def register_item_kind(kind: str, label) -> None:
    """Apps that open deadlines with their own item_kind give it a readable name here."""
    ITEM_KIND_LABELS[kind] = label


def item_kind_label(kind: str) -> str:
    return str(ITEM_KIND_LABELS.get(kind, kind))


# --- Deadline breakdowns ----------------------------------------------------------------------------


@dataclass
class Counts:
    overdue: int = 0
    today: int = 0
    soon: int = 0
    on_time: int = 0
    paused: int = 0
    links: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.soon + self.on_time + self.paused

    def add(self, row: dict) -> None:
        for name in (*BUCKETS, "paused"):
            setattr(self, name, getattr(self, name) + row.get(name, 0))

    def cells(self):
        """(bucket, count, link) for the template, in column order."""
        return [(b, getattr(self, b), self.links.get(b, "")) for b in (*BUCKETS, "paused", "total")]


@dataclass
class Row:
    key: object
    label: str
    counts: Counts
    note: str = ""

    @property
    def slug(self) -> str:
        return str(self.key) if self.key else "none"


@dataclass
class OfficeFigures:
    org: OrgUnit
    totals: Counts
    by_handler: list[Row]
    by_institution: list[Row]
    by_type: list[Row]


def _links(horizon: Horizon, base: dict, *, ledger: bool = True, url: str = "") -> dict:
    if not ledger:
        return dict.fromkeys((*BUCKETS, "total"), url) if url else {}
    return {b: ledger_url(**base, **horizon.ledger_params(b)) for b in (*BUCKETS, "total")}


def _acting_map(pairs, on: dt.date, org_ids) -> tuple[dict, set[int]]:
    """For each (owner, backup) pair: (acting user id, note). Two queries: absences today, supervisors."""
    user_ids = {uid for pair in pairs for uid in pair if uid}
    absent = set(
        Absence.objects.filter(user_id__in=user_ids, start_on__lte=on, end_on__gte=on).values_list("user_id", flat=True)
    )
    supervisors: dict[int, int] = {}
    for user_id, org_id in (
        User.objects.filter(org_id__in=org_ids, is_active=True, groups__name=GROUP_NAMES[Role.SUPERVISOR])
        .order_by("id")
        .values_list("id", "org_id")
    ):
        supervisors.setdefault(org_id, user_id)
    return supervisors, absent


def acting_for(owner_id, backup_id, org_id, absent: set[int], supervisors: dict[int, int]) -> tuple[int | None, str]:
    """(acting user id, why): A when present, B when A is absent, the supervisor when both are."""
    if owner_id and owner_id not in absent:
        return owner_id, ""
    if backup_id and backup_id not in absent:
        return backup_id, "covering"
    return supervisors.get(org_id), "both_absent"


def _sum_groups(groups: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """Re-group the rows of the one grouped query by `keys`, summing the bucket counts."""
    summed: dict[tuple, dict] = {}
    for group in groups:
        identity = tuple(group[k] for k in keys)
        row = summed.setdefault(identity, {**dict(zip(keys, identity, strict=True)), **dict.fromkeys(_COUNTED, 0)})
        for name in _COUNTED:
            row[name] += group[name]
    return list(summed.values())


_COUNTED = (*BUCKETS, "paused")


def deadline_figures(orgs: list[OrgUnit], horizon: Horizon) -> dict[int, OfficeFigures]:
    """Open-deadline buckets of each office, by acting handler, by institution and by item kind.

    Queries: ONE grouped query over the open deadlines (by office, A, B, institution and kind: a few
    hundred groups, summed here into the three breakdowns), absences, supervisors, handler names and
    institution names: five in all, whatever the data. One scan of the covering partial index instead of
    one per breakdown.
    """
    from institutions.models import Institution

    org_ids = [org.pk for org in orgs]
    groups = list(
        Deadline.objects.open()
        .filter(org_id__in=org_ids)
        .order_by()
        .values("org_id", "owner_id", "backup_id", "institution_id", "item_kind")
        .annotate(**bucket_aggregates(horizon))
    )
    by_pair = _sum_groups(groups, ("org_id", "owner_id", "backup_id"))
    by_institution = _sum_groups(groups, ("org_id", "institution_id"))
    by_kind = _sum_groups(groups, ("org_id", "item_kind"))

    supervisors, absent = _acting_map([(r["owner_id"], r["backup_id"]) for r in by_pair], horizon.today, org_ids)
    handler_counts: dict[tuple[int, int | None], Counts] = {}
    handler_notes: dict[tuple[int, int | None], set] = defaultdict(set)
    for row in by_pair:
        acting_id, why = acting_for(row["owner_id"], row["backup_id"], row["org_id"], absent, supervisors)
        key = (row["org_id"], acting_id)
        handler_counts.setdefault(key, Counts()).add(row)
        if why:
            handler_notes[key].add(why)
    names = {
        pk: name or username
        for pk, name, username in User.objects.filter(pk__in={uid for _org, uid in handler_counts if uid})
        .order_by()
        .values_list("pk", "name", "username")
    }
    institution_names = dict(
        Institution.objects.filter(pk__in={r["institution_id"] for r in by_institution if r["institution_id"]})
        .order_by()
        .values_list("pk", "short_name")
    )

    figures = {org.pk: OfficeFigures(org, Counts(), [], [], []) for org in orgs}
    for (org_id, acting_id), counts in handler_counts.items():
        notes = handler_notes[(org_id, acting_id)]
        note = ""
        if "both_absent" in notes:
            note = str(_("含A、B岗均不在岗、由负责人督办的事项"))
        elif "covering" in notes:
            note = str(_("含代缺岗A岗办理的事项"))
        label = names.get(acting_id) or str(_("未指定承办人"))
        counts.links = _links(horizon, {"acting": acting_id}) if acting_id else {}
        figures[org_id].by_handler.append(Row(acting_id, label, counts, note))
    for row in by_institution:
        counts = Counts()
        counts.add(row)
        institution_id = row["institution_id"]
        if institution_id:
            counts.links = _links(horizon, {"institution": institution_id})
        label = institution_names.get(institution_id, str(_("未涉及机构")))
        figures[row["org_id"]].by_institution.append(Row(institution_id, label, counts))
    for row in by_kind:
        counts = Counts()
        counts.add(row)
        kind = row["item_kind"]
        figures[row["org_id"]].totals.add(row)
        if kind.startswith("case:"):
            counts.links = _links(horizon, {"type": kind.removeprefix("case:")})
        elif kind == TASK_KIND:
            from django.urls import reverse

            counts.links = _links(horizon, {}, ledger=False, url=reverse("dashboard:task_list"))
        figures[row["org_id"]].by_type.append(Row(kind, item_kind_label(kind), counts))
    for office in figures.values():
        office.by_handler.sort(key=lambda r: (-r.counts.overdue, -r.counts.today, -r.counts.soon, r.label))
        office.by_institution.sort(key=lambda r: (-r.counts.overdue, -r.counts.total, r.label))
        office.by_type.sort(key=lambda r: (-r.counts.total, r.label))
        office.totals.links = _links(horizon, {})
    return figures


# --- Case statistics --------------------------------------------------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter_start(day: dt.date) -> dt.date:
    start = quarter_start(day)
    return quarter_start(start - dt.timedelta(days=1))


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def closure_rates(org_ids: list[int], today: dt.date) -> dict[int, dict]:
    """On-time closure rate (Case.closed_on_time) this quarter and this year, per office. One query."""
    from complaints.models import Case
    from complaints.models.choices import CaseStatus

    year_start = _local_midnight(dt.date(today.year, 1, 1))
    q_start = _local_midnight(quarter_start(today))
    rows = (
        Case.objects.filter(
            org_id__in=org_ids, status=CaseStatus.CLOSED, closed_at__gte=year_start, closed_on_time__isnull=False
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
    result = {
        org_id: {"year_closed": 0, "year_on_time": 0, "quarter_closed": 0, "quarter_on_time": 0} for org_id in org_ids
    }
    for row in rows:
        result[row["org_id"]].update({k: v for k, v in row.items() if k != "org_id"})
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
    from complaints.models import Case
    from complaints.models.choices import Channel

    months = last_twelve_months(today)
    rows = (
        Case.objects.filter(org_id__in=org_ids, received_on__gte=months[0], received_on__lte=today)
        .order_by()
        .values("org_id", "received_on", "channel")
        .annotate(n=Count("received_on"))
    )
    grid = {org_id: defaultdict(lambda: [0] * 12) for org_id in org_ids}
    index = {m: i for i, m in enumerate(months)}
    # Grouping by day (at most ~365 × channels rows) keeps the database on the index; months are summed here.
    for row in rows:
        grid[row["org_id"]][row["channel"]][index[row["received_on"].replace(day=1)]] += row["n"]
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
    from complaints.models import Case
    from institutions.models import Institution

    this_start, last_start = quarter_start(today), previous_quarter_start(today)
    rows = list(
        Case.objects.filter(
            org_id__in=org_ids, institution__isnull=False, received_on__gte=last_start, received_on__lte=today
        )
        .order_by()
        .values("org_id", "institution_id")
        .annotate(
            this_quarter=Count("received_on", filter=Q(received_on__gte=this_start)),
            last_quarter=Count("received_on", filter=Q(received_on__lt=this_start)),
        )
    )
    names = dict(
        Institution.objects.filter(pk__in={r["institution_id"] for r in rows})
        .order_by()
        .values_list("pk", "short_name")
    )
    result: dict[int, list[dict]] = {org_id: [] for org_id in org_ids}
    for row in rows:
        result[row["org_id"]].append(
            {
                "id": row["institution_id"],
                "name": names.get(row["institution_id"], "—"),
                "this_quarter": row["this_quarter"],
                "last_quarter": row["last_quarter"],
                "change": row["this_quarter"] - row["last_quarter"],
                "link": ledger_url(institution=row["institution_id"], received_from=this_start.isoformat()),
            }
        )
    for org_id, items in result.items():
        items.sort(key=lambda r: (-r["this_quarter"], -r["last_quarter"], r["name"]))
        result[org_id] = items[:limit]
    return result


# --- My work ----------------------------------------------------------------------------------------

ROLE_LABELS = {
    "owner": _("A岗"),
    "covering": _("代A岗（A岗不在岗）"),
    "supervising": _("督办（A、B岗均不在岗）"),
}

_WORK_FIELDS = (
    "id",
    "label",
    "due_on",
    "paused_since",
    "item_kind",
    "object_id",
    "content_type__app_label",
    "content_type__model",
    "owner__name",
    "owner__username",
)


@dataclass
class WorkItem:
    deadline_id: int
    label: str
    kind_label: str
    due_on: dt.date
    state: object  # core.services.deadlines.DeadlineState
    link: str
    role: str
    role_label: str
    owner_name: str

    @property
    def sort_key(self):
        return (self.state.is_paused, not self.state.is_overdue, self.due_on, self.deadline_id)


def _work_items(rows, role: str, today: dt.date, calendar) -> list[WorkItem]:
    from core.services.deadlines import deadline_state

    from .links import item_link

    items = []
    for row in rows:
        state = deadline_state(
            row["due_on"],
            today,
            paused=row["paused_since"] is not None,
            calendar=calendar,
            soon_working_days=soon_working_days(),
        )
        items.append(
            WorkItem(
                deadline_id=row["id"],
                label=row["label"],
                kind_label=item_kind_label(row["item_kind"]),
                due_on=row["due_on"],
                state=state,
                link=item_link(f"{row['content_type__app_label']}.{row['content_type__model']}", row["object_id"]),
                role=role,
                role_label=str(ROLE_LABELS[role]),
                owner_name=row["owner__name"] or row["owner__username"] or "",
            )
        )
    return items


def absent_today_ids(today: dt.date):
    """A subquery of the users absent on `today`."""
    return Absence.objects.filter(start_on__lte=today, end_on__gte=today).values("user_id")


MY_WORK_LIMIT = 200


def my_work(user, today: dt.date, calendar: WorkCalendar) -> dict:
    """The items the user acts on today, overdue first, then by due date (paused ones last).

    Each list is cut at MY_WORK_LIMIT rows (read in due-date order from the partial owner index); the
    counts come from one aggregate over all of them. Queries: own items, items covered for an absent A,
    (supervisors) items whose A and B are both away, the counts, (supervisors) pending extension requests,
    the user's office tasks: six at most.
    """
    from core.access import scope
    from core.models import Task
    from core.workcalendar import CalendarMissingError

    from .links import item_link

    is_supervisor = has_role(user, Role.SUPERVISOR)
    absent = absent_today_ids(today)
    mine = Q(owner=user)
    covering = Q(backup=user, owner_id__in=absent)
    orphaned = (
        Q(org_id=user.org_id)
        & (Q(owner__isnull=True) | Q(owner_id__in=absent))
        & (Q(backup__isnull=True) | Q(backup_id__in=absent))
    )
    open_deadlines = Deadline.objects.open()

    def first_rows(condition):
        return open_deadlines.filter(condition).order_by("due_on", "id").values(*_WORK_FIELDS)[:MY_WORK_LIMIT]

    items = _work_items(first_rows(mine), "owner", today, calendar)
    items += _work_items(first_rows(covering), "covering", today, calendar)
    everything = mine | covering
    if is_supervisor and user.org_id:
        items += _work_items(first_rows(orphaned), "supervising", today, calendar)
        everything |= orphaned
    items.sort(key=lambda item: item.sort_key)
    items = items[:MY_WORK_LIMIT]

    try:
        horizon = make_horizon(today, calendar=calendar)
    except CalendarMissingError as exc:
        counts, calendar_error = None, str(exc)
    else:
        counts, calendar_error = Counts(), ""
        counts.add(open_deadlines.filter(everything).order_by().aggregate(**bucket_aggregates(horizon)))

    approvals = []
    if is_supervisor:
        from complaints.models import ExtensionRequest

        approvals = list(
            scope(ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING), user, field="case__org")
            .select_related("case", "requested_by")
            .order_by("requested_at")[:MY_WORK_LIMIT]
        )
        for approval in approvals:
            approval.case_link = item_link("complaints.case", approval.case_id)
    tasks = list(
        Task.objects.open()
        .filter(Q(owner=user) | Q(backup=user))
        .select_related("owner", "backup")
        .order_by("due_on", "id")[:MY_WORK_LIMIT]
    )
    return {
        "items": items,
        "counts": counts,
        "calendar_error": calendar_error,
        "overdue_count": counts.overdue if counts else sum(1 for i in items if i.state.is_overdue),
        "soon_count": counts.today + counts.soon if counts else sum(1 for i in items if i.state.is_due_soon),
        "truncated": counts is not None and counts.total > len(items),
        "ledger_link": ledger_url(acting=user.pk),
        "limit": MY_WORK_LIMIT,
        "approvals": approvals,
        "tasks": tasks,
        "is_supervisor": is_supervisor,
    }
