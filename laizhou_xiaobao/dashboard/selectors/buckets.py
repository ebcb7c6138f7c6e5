"""Deadline buckets of open items per office, handler, institution and kind (one grouped query)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.access import visible_orgs
from core.models import Absence, Deadline, DeadlineDayCount, OrgUnit, User
from core.roles import GROUP_NAMES, Role, has_role
from core.services.deadlines import due_soon_working_days
from core.workcalendar import WorkCalendar, get_calendar
from institutions.models import Institution

from ..links import deadline_list_urls

BUCKETS = ("overdue", "today", "soon", "on_time")
BUCKET_LABELS = {
    "overdue": _("已超期"),
    "today": _("今日到期"),
    "soon": _("即将到期"),
    "on_time": _("正常"),
}
TASK_KIND = "core.task"


def soon_working_days() -> int:
    return due_soon_working_days()


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
            "paused": {"paused": 1},
            "total": {"status": "open"},
        }[bucket]


def make_horizon(today: dt.date, soon_days: int | None = None, calendar: WorkCalendar | None = None) -> Horizon:
    """The bucket boundaries; a due-soon window reaching a year not yet verified is counted over its draft."""
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
        # Counted in their bucket like any other; this says how many of them are provisional (暂定).
        f"{prefix}provisional": Count("due_on", filter=~Q(provisional_years="")),
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

# The readable name of every `Deadline.item_kind` the apps open (a kind missing here shows as its code).
ITEM_KIND_LABELS = {
    "case:petition": _("信访"),
    "case:report": _("举报"),
    "case:complaint": _("转办投诉"),
    "case:step": _("闭环环节"),
    "mediation": _("纠纷调解"),
    "institutions.interview.self_inspection": _("约谈：机构自查"),
    "institutions.rectification": _("约谈：整改事项"),
    "institutions.survey_follow_up": _("专项调研：整改反馈"),
    TASK_KIND: _("工作任务"),
}


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
    provisional: int = 0  # of all the above: computed over a calendar year not yet verified
    links: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.soon + self.on_time + self.paused

    def add(self, row: dict) -> None:
        for name in (*BUCKETS, "paused", "provisional"):
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


def _links(horizon: Horizon, base: dict) -> dict:
    """Each bucket's number links to 期限清单 with the same filters: exactly the deadlines it counts, of every kind
    (the case ledger lists cases by their current deadline only, so its numbers could differ)."""
    within = horizon.soon_days if horizon.soon_days != soon_working_days() else None
    return deadline_list_urls(base, (*BUCKETS, "paused", "total", "provisional"), within=within)


@dataclass
class _People:
    """Who is away today, each office's supervisor on duty, and the names the board shows (`_people`)."""

    absent: set[int]
    supervisors: dict[int, int]  # office id → the first supervisor by id
    names: dict[int, str]  # user id → name (or username) of every user asked about and of the supervisors
    institutions: dict[int, str]  # institution id → short name


def _ids(values) -> list[int]:
    return sorted({int(value) for value in values if value})


def _people(user_ids, on: dt.date, org_ids, institution_ids=()) -> _People:
    """Absences today of `user_ids`, the offices' supervisors, the names of both and of `institution_ids`: ONE query.

    The board read these as four small ORM queries after its grouped sum; building and compiling them cost more
    than the database's work (docs/performance.md「2026-12-06 第七轮」). The SQL is written out: every value is a
    parameter, every name a model's table or column."""
    quote = connection.ops.quote_name
    day = connection.ops.adapt_datefield_value(on)
    user_ids, org_ids, institution_ids = _ids(user_ids), _ids(org_ids), _ids(institution_ids)
    user, membership = quote(User._meta.db_table), quote(User.groups.through._meta.db_table)
    no_org = "CAST(NULL AS BIGINT)"  # typed, for PostgreSQL's UNION

    def marks(values) -> str:
        return ", ".join(["%s"] * len(values))

    branches, params = [], []
    if user_ids:
        branches.append(
            f"SELECT 'absent', user_id, {no_org}, NULL, NULL FROM {quote(Absence._meta.db_table)} "  # nosec B608
            f"WHERE user_id IN ({marks(user_ids)}) AND start_on <= %s AND end_on >= %s"
        )
        params += [*user_ids, day, day]
        branches.append(f"SELECT 'user', id, {no_org}, name, username FROM {user} WHERE id IN ({marks(user_ids)})")  # nosec B608
        params += user_ids
    if org_ids:
        branches.append(
            f"SELECT 'supervisor', u.id, u.org_id, u.name, u.username FROM {user} u "  # nosec B608
            f"JOIN {membership} m ON m.user_id = u.id JOIN {quote(Group._meta.db_table)} g ON g.id = m.group_id "
            f"WHERE u.org_id IN ({marks(org_ids)}) AND u.is_active AND g.name = %s"
        )
        params += [*org_ids, GROUP_NAMES[Role.SUPERVISOR]]
    if institution_ids:
        branches.append(
            f"SELECT 'institution', id, {no_org}, short_name, NULL FROM {quote(Institution._meta.db_table)} "  # nosec B608
            f"WHERE id IN ({marks(institution_ids)})"
        )
        params += institution_ids
    people = _People(set(), {}, {}, {})
    if not branches:
        return people
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1]))
    for kind, pk, org_id, name, username in rows:
        if kind == "absent":
            people.absent.add(pk)
        elif kind == "institution":
            people.institutions[pk] = name
        else:
            people.names[pk] = name or username
            if kind == "supervisor":
                people.supervisors.setdefault(org_id, pk)
    return people


def office_supervisors(org_ids, on: dt.date) -> dict[int, int]:
    """Each office's supervisor on duty, as the board picks them (the first active one by id): office id → user id."""
    return _people((), on, org_ids).supervisors


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


_COUNTED = (*BUCKETS, "paused", "provisional")
_GROUPED_BY = ("org_id", "owner_id", "backup_id", "institution_id", "item_kind")


# The buckets of `bucket_aggregates`, summed over the summary's rows. Spelled in SQL: for a few hundred rows the
# ORM's six filtered sums took longer to compile than the query takes to run. Booleans read the same on SQLite (0/1)
# and PostgreSQL; every value is a parameter.
_SUMMARY_SQL = """
SELECT org_id, owner_id, backup_id, institution_id, item_kind,
       SUM(CASE WHEN NOT paused AND due_on < %s THEN {count} ELSE 0 END),
       SUM(CASE WHEN NOT paused AND due_on = %s THEN {count} ELSE 0 END),
       SUM(CASE WHEN NOT paused AND due_on > %s AND due_on <= %s THEN {count} ELSE 0 END),
       SUM(CASE WHEN NOT paused AND due_on > %s THEN {count} ELSE 0 END),
       SUM(CASE WHEN paused THEN {count} ELSE 0 END),
       SUM(CASE WHEN provisional THEN {count} ELSE 0 END)
  FROM {table}
 WHERE org_id IN ({org_ids})
 GROUP BY org_id, owner_id, backup_id, institution_id, item_kind
"""


def deadline_groups(org_ids: list[int], horizon: Horizon) -> list[dict]:
    """The offices' open deadlines by A, B, institution and kind, counted per bucket: ONE grouped query over the
    summary table core.DeadlineDayCount (docs/architecture.md「看板汇总表」), a few hundred rows per office."""
    if not org_ids:
        return []
    sql = _SUMMARY_SQL.format(
        count=connection.ops.quote_name("count"),
        table=connection.ops.quote_name(DeadlineDayCount._meta.db_table),
        org_ids=", ".join(["%s"] * len(org_ids)),
    )
    day = connection.ops.adapt_datefield_value
    today, soon_end = day(horizon.today), day(horizon.soon_end)
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, today, today, soon_end, soon_end, *org_ids])
        rows = cursor.fetchall()
    groups = []
    for org_id, owner_id, backup_id, institution_id, item_kind, *counts in rows:
        if any(counts):
            # The summary stores 0 for "none"; the figures (and the reference below) say None.
            group = {
                "org_id": org_id,
                "owner_id": owner_id or None,
                "backup_id": backup_id or None,
                "institution_id": institution_id or None,
                "item_kind": item_kind,
            }
            groups.append(group | dict(zip(_COUNTED, map(int, counts), strict=True)))
    return groups


def deadline_groups_direct(org_ids: list[int], horizon: Horizon) -> list[dict]:
    """The same groups aggregated over every open core.Deadline: the reference the summary is tested against (and
    the path the dashboard took before the summary; the bench times both)."""
    return list(
        Deadline.objects.open()
        .filter(org_id__in=org_ids)
        .order_by()
        .values(*_GROUPED_BY)
        .annotate(**bucket_aggregates(horizon))
    )


def deadline_figures(orgs: list[OrgUnit], horizon: Horizon, *, link_org: bool = False) -> dict[int, OfficeFigures]:
    """Open-deadline buckets of each office, by acting handler, by institution and by item kind.

    `link_org`: the viewer sees several offices (a branch), so each office's links carry `org=ID`; without it
    the ledger would list the cases of every office under one office's number.

    Queries: ONE grouped query over the summary of open deadlines (`deadline_groups`: by office, A, B,
    institution and kind, summed here into the three breakdowns) and ONE for absences, supervisors, handler names
    and institution names (`_people`): two in all, whatever the data.
    """
    org_ids = [org.pk for org in orgs]
    groups = deadline_groups(org_ids, horizon)
    by_pair = _sum_groups(groups, ("org_id", "owner_id", "backup_id"))
    by_institution = _sum_groups(groups, ("org_id", "institution_id"))
    by_kind = _sum_groups(groups, ("org_id", "item_kind"))

    people = _people(
        [uid for row in by_pair for uid in (row["owner_id"], row["backup_id"])],
        horizon.today,
        org_ids,
        [row["institution_id"] for row in by_institution],
    )
    supervisors, absent, names = people.supervisors, people.absent, people.names
    handler_counts: dict[tuple[int, int | None], Counts] = {}
    handler_notes: dict[tuple[int, int | None], set] = defaultdict(set)
    for row in by_pair:
        acting_id, why = acting_for(row["owner_id"], row["backup_id"], row["org_id"], absent, supervisors)
        key = (row["org_id"], acting_id)
        handler_counts.setdefault(key, Counts()).add(row)
        if why:
            handler_notes[key].add(why)
    institution_names = people.institutions

    figures = {org.pk: OfficeFigures(org, Counts(), [], [], []) for org in orgs}

    def office(org_id: int) -> dict:
        return {"org": org_id} if link_org else {}

    for (org_id, acting_id), counts in handler_counts.items():
        notes = handler_notes[(org_id, acting_id)]
        note = ""
        if "both_absent" in notes:
            note = str(_("含A、B岗均不在岗、由负责人督办的事项"))
        elif "covering" in notes:
            note = str(_("含代缺岗A岗办理的事项"))
        label = names.get(acting_id) or str(_("未指定承办人"))
        counts.links = _links(horizon, {**office(org_id), "acting": acting_id}) if acting_id else {}
        figures[org_id].by_handler.append(Row(acting_id, label, counts, note))
    for row in by_institution:
        counts = Counts()
        counts.add(row)
        institution_id = row["institution_id"]
        # 0 lists the deadlines that concern no institution.
        counts.links = _links(horizon, {**office(row["org_id"]), "institution": institution_id or 0})
        label = institution_names.get(institution_id, str(_("未涉及机构")))
        figures[row["org_id"]].by_institution.append(Row(institution_id, label, counts))
    for row in by_kind:
        counts = Counts()
        counts.add(row)
        kind = row["item_kind"]
        figures[row["org_id"]].totals.add(row)
        counts.links = _links(horizon, {**office(row["org_id"]), "kind": kind})
        figures[row["org_id"]].by_type.append(Row(kind, item_kind_label(kind), counts))
    for office_figures in figures.values():
        office_figures.by_handler.sort(key=lambda r: (-r.counts.overdue, -r.counts.today, -r.counts.soon, r.label))
        office_figures.by_institution.sort(key=lambda r: (-r.counts.overdue, -r.counts.total, r.label))
        office_figures.by_type.sort(key=lambda r: (-r.counts.total, r.label))
        base = office(office_figures.org.pk)
        office_figures.totals.links = _links(horizon, base)
    return figures
