"""Reads shared by the ledger page, its exports, the office summary and the benchmarks."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from complaints.models import Case, CaseMonthCount, Contact
from complaints.models.choices import CaseStatus
from core.models import Absence, OrgUnit, User
from core.roles import prime_user_caches
from core.workcalendar import CalendarMissingError, WorkCalendar

LEDGER_PAGE_SIZES = (20, 50, 100, 200)
LEDGER_DEFAULT_PAGE_SIZE = 50


def exact_count_limit() -> int:
    """Up to this many rows the ledger counts exactly; above it PostgreSQL shows the planner's estimate."""
    return settings.LEDGER_EXACT_COUNT_LIMIT


# --- Who may see what, and the filter choices, in one query ------------------------------------------------


@dataclass
class LedgerScope:
    """The units whose cases a user may see, and the institutions and staff offered as filter choices."""

    user: User
    all_orgs: bool  # superuser: no organisation filter at all
    org_ids: list[int] = field(default_factory=list)
    orgs: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # id -> (name, short name, path)
    institutions: list[tuple[int, str]] = field(default_factory=list)
    staff: list[tuple[int, str]] = field(default_factory=list)

    def cases(self) -> QuerySet:
        """Every case the user may see: the same set as Case.objects.for_user(user).

        Filtering on the unit ids (one id for a sub-bureau clerk) rather than on the joined unit path lets
        PostgreSQL walk the (org, received_at) index for the ledger's first page instead of sorting.
        """
        if self.all_orgs:
            return Case.objects.all()
        return Case.objects.filter(org_id__in=self.org_ids)

    def case_total(self) -> QuerySet:
        """The number of those cases, as a one-value queryset over the case month summary (complaints.CaseMonthCount,
        kept in the transaction of every case write; cases are never deleted): every case is counted once under
        "received", so the unfiltered ledger's exact total is a sum over a few hundred rows instead of a COUNT of
        every case (docs/performance.md「台账的总数」)."""
        received = CaseMonthCount.objects.filter(measure=CaseMonthCount.Measure.RECEIVED)
        if not self.all_orgs:
            received = received.filter(org_id__in=self.org_ids)
        return received.order_by().values("measure").annotate(total=Sum("count")).values_list("total", flat=True)


# The ledger's scope in one round trip, written out once: built with the ORM (a four-part UNION with
# subqueries) its compilation alone cost ~4 ms of every ledger page. Runs unchanged on PostgreSQL and SQLite.
_SCOPE_SQL = """
WITH visible AS (
  SELECT id FROM core_orgunit
  WHERE %(all)s OR path LIKE (
    SELECT replace(replace(replace(path, '!', '!!'), '%%', '!%%'), '_', '!_') FROM core_orgunit WHERE id = %(org)s
  ) || '%%' ESCAPE '!'
)
SELECT 'org', id, name, short_name, path FROM core_orgunit WHERE id IN (SELECT id FROM visible)
UNION ALL
SELECT 'institution', id, short_name, full_name, '' FROM institutions_institution
WHERE is_active AND org_id IN (SELECT id FROM visible)
UNION ALL
SELECT 'user', id, name, username, '' FROM core_user WHERE is_active AND org_id IN (SELECT id FROM visible)
UNION ALL
SELECT 'role', g.id, g.name, '', '' FROM auth_group g JOIN core_user_groups ug ON ug.group_id = g.id
WHERE ug.user_id = %(user)s
"""


def ledger_scope(user) -> LedgerScope:
    """One query: the visible units (the user's own among them, which also serves the navigation bar),
    their institutions and their active staff, and the user's roles."""
    if not user.is_superuser and user.org_id is None:
        return LedgerScope(user=user, all_orgs=False)
    with connection.cursor() as cursor:
        cursor.execute(_SCOPE_SQL, {"all": bool(user.is_superuser), "org": user.org_id or 0, "user": user.pk})
        union = cursor.fetchall()
    scope = LedgerScope(user=user, all_orgs=user.is_superuser)
    role_names: list[str] = []
    for kind, pk, a, b, c in union:
        if kind == "org":
            scope.org_ids.append(pk)
            scope.orgs[pk] = (a, b, c)
            if pk == user.org_id:
                # The user's own unit came with the rows: cache it so the navigation bar needs no query.
                org = OrgUnit.from_db(connection.alias, ["id", "name", "short_name", "path"], [pk, a, b, c])
                prime_user_caches(user, org=org)
        elif kind == "institution":
            scope.institutions.append((pk, a))
        elif kind == "role":
            role_names.append(a)
        else:
            scope.staff.append((pk, a or b))
    prime_user_caches(user, group_names=role_names)
    scope.org_ids.sort()
    scope.institutions.sort(key=lambda row: row[1])
    scope.staff.sort(key=lambda row: row[1])
    return scope


# --- Filters (used by complaints.filters.LedgerFilter and the export command) -----------------------------


def absent_today(today: dt.date):
    return Absence.objects.filter(start_on__lte=today, end_on__gte=today).values("user_id")


def filter_acting(queryset: QuerySet, user_id: int, today: dt.date) -> QuerySet:
    """Cases `user_id` acts on today: as A when present, or as B covering an absent A (docs/domain.md, "AB岗")."""
    absent = absent_today(today)
    return queryset.filter(
        (Q(owner_id=user_id) & ~Q(owner_id__in=absent)) | (Q(backup_id=user_id) & Q(owner_id__in=absent))
    )


def filter_repeat(queryset: QuerySet) -> QuerySet:
    """Repeats (重复件): cases marked as a repeat of another, cases others were marked repeats of, and cases
    that absorbed a repeated visit or call."""
    has_duplicates = Case.objects.filter(duplicate_of=OuterRef("pk"))
    repeated_contact = Contact.objects.filter(case=OuterRef("pk"), outcome=Contact.Outcome.REPEAT)
    return queryset.filter(Q(duplicate_of__isnull=False) | Exists(has_duplicates) | Exists(repeated_contact))


LEDGER_SORTS = {
    "-received": ("-received_at", "-id"),
    "received": ("received_at", "id"),
    "-number": ("-number", "-id"),
    "number": ("number", "id"),
    "due": (F("due_on").asc(nulls_last=True), "id"),
    "-due": (F("due_on").desc(nulls_last=True), "-id"),
    "-closed": (F("closed_at").desc(nulls_last=True), "-id"),
    "closed": (F("closed_at").asc(nulls_last=True), "id"),
    "status": ("status", "-received_at", "-id"),
}
DEFAULT_SORT = "-received"


# --- One page of the ledger with its count, in one query --------------------------------------------------


# What a ledger row shows (the page and the export), fetched as plain values: building a Case, its institution
# and two users for each of 50 rows cost ~4 ms a page.
LEDGER_ROW_VALUES = (
    "pk",
    "number",
    "received_at",
    "channel",
    "case_type",
    "name",
    "is_anonymous",
    "institution__short_name",
    "summary",
    "owner__name",
    "owner__username",
    "backup__name",
    "backup__username",
    "status",
    "due_on",
    "closed_at",
    "due_provisional",
    "clock_paused",
    "is_major",
    "is_historical",
)
# The export also shows the phone (masked); the page does not read it.
LEDGER_EXPORT_VALUES = (*LEDGER_ROW_VALUES, "phone")


@dataclass(slots=True)
class LedgerRow:
    pk: int
    number: str
    received_at: dt.datetime
    channel: str
    case_type: str
    name: str
    is_anonymous: bool
    institution: str | None  # short name
    summary: str
    owner: str
    backup: str | None
    status: str
    due_on: dt.date | None
    closed_at: dt.datetime | None
    due_provisional: bool  # 暂定: computed over a calendar year not yet verified
    clock_paused: bool = False  # 暂停: never counted overdue
    is_major: bool = False  # 重大/群体性
    is_historical: bool = False  # 历史导入: brought in from the office's old Excel ledger
    phone: str = ""  # read by the export only (LEDGER_EXPORT_VALUES), which shows it masked

    @classmethod
    def from_values(cls, values) -> LedgerRow:
        (pk, number, received_at, channel, case_type, name, is_anonymous, institution, summary, owner_name,
         owner_username, backup_name, backup_username, status, due_on, closed_at, due_provisional,
         clock_paused, is_major, is_historical, *phone) = values  # fmt: skip
        return cls(
            pk, number, received_at, channel, case_type, name, is_anonymous, institution, summary,
            owner_name or owner_username or "", (backup_name or backup_username) if backup_username else None,
            status, due_on, closed_at, due_provisional, clock_paused, is_major, is_historical,
            phone[0] if phone else "",
        )  # fmt: skip

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


@dataclass
class LedgerPage:
    rows: list[LedgerRow]
    number: int
    per_page: int
    total: int
    total_is_exact: bool
    has_next: bool
    # A broad search is counted only up to a limit: `total` is then "at least" (超过 N 件), not an estimate.
    total_is_lower_bound: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)


def count_expression(queryset: QuerySet, exact_limit: int | None = None) -> RawSQL:
    """The row count of `queryset` as a scalar subquery, evaluated once (an InitPlan on PostgreSQL).

    PostgreSQL: complaints_ledger_count() (migration 0002) counts exactly up to exact_count_limit() rows and
    above that returns the planner's estimate negated — the exact COUNT of a million rows was the ledger's
    bottleneck (issue 8: 28 pages/s exact against 172/s estimated). With `exact_limit` (a page that shows
    "超过 N 件" above it) complaints_bounded_count() (migration 0024) counts up to the limit and returns
    -(limit + 1) above it, without planning the query again for an estimate nobody reads. SQLite: an exact COUNT,
    or with `exact_limit` one up to that limit (negated above it, as on PostgreSQL).
    """
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        count = "SELECT complaints_bounded_count(%s, %s)" if exact_limit else "SELECT complaints_ledger_count(%s, %s)"
        arguments = [connection.ops.compose_sql(sql, params), exact_limit or exact_count_limit()]
        return RawSQL(count, arguments)  # noqa: S611  # nosec B611 # one of two fixed statements, values as params
    # sql is compiled by Django's query compiler from the queryset; every value stays in params.
    if exact_limit:
        # Counted up to the limit, as on PostgreSQL: above it the count is negated (not exact).
        subquery = f"({sql} LIMIT %s) AS ledger_rows"
        query = f"SELECT CASE WHEN COUNT(*) > %s THEN -COUNT(*) ELSE COUNT(*) END FROM {subquery}"  # nosec B608
        return RawSQL(query, [exact_limit, *params, exact_limit + 1])  # noqa: S611  # nosec B611
    subquery = f"({sql}) AS ledger_rows"
    query = f"SELECT COUNT(*) FROM {subquery}"  # nosec B608 # Django-compiled SQL
    return RawSQL(query, params)  # noqa: S611  # nosec B611 # Django-compiled SQL


def count_rows(queryset: QuerySet, exact_limit: int | None = None) -> tuple[int, bool]:
    """(count, exact) of a queryset in one query: exact when small; when large, the planner's estimate, or with
    `exact_limit` limit + 1 (the caller shows "超过 N 件")."""
    if queryset.query.is_empty():
        return 0, True
    expression = count_expression(queryset, exact_limit)
    with connection.cursor() as cursor:
        cursor.execute(expression.sql, expression.params)
        value = cursor.fetchone()[0]
    return abs(value), value >= 0


def ledger_page(
    queryset: QuerySet,
    *,
    page: int = 1,
    per_page: int = LEDGER_DEFAULT_PAGE_SIZE,
    count_limit: int | None = None,
    total: QuerySet | None = None,
    count_queryset: QuerySet | None = None,
) -> LedgerPage:
    """The rows of `page` and the total in one query whatever the page size.

    One extra row is fetched to know whether a next page exists without trusting an estimated count. Only a
    page past the end (no rows) needs a second query, to report the total. With `count_limit` (a broad search,
    whose planner estimate means nothing) the total is exact up to that limit and otherwise "at least" it. With
    `total` (a one-value queryset known to equal the queryset's count: LedgerScope.case_total for the
    unfiltered ledger) nothing is counted; with `count_queryset` (as many rows as the queryset, cheaper to count:
    LedgerFilter.search_count) that is counted instead.
    """
    page = max(int(page), 1)
    if queryset.query.is_empty():
        return LedgerPage(rows=[], number=page, per_page=per_page, total=0, total_is_exact=True, has_next=False)
    offset = (page - 1) * per_page
    counting = queryset if count_queryset is None else count_queryset
    counted = Coalesce(Subquery(total), 0) if total is not None else count_expression(counting, count_limit)
    fetched = _page_values(queryset, offset, per_page + 1, counted)
    rows = [LedgerRow.from_values(values[:-1]) for values in fetched]
    if fetched:
        value = fetched[0][-1]
        count, exact = abs(value), value >= 0
    elif page == 1:
        count, exact = 0, True
    elif total is not None:
        count, exact = next(iter(total), 0), True
    else:
        count, exact = count_rows(counting, count_limit)
    lower_bound = count_limit is not None and not exact
    if lower_bound:
        count = count_limit
    return LedgerPage(
        rows=rows[:per_page],
        number=page,
        per_page=per_page,
        total=count,
        total_is_exact=exact,
        has_next=len(rows) > per_page,
        total_is_lower_bound=lower_bound,
    )


def _page_values(queryset: QuerySet, offset: int, limit: int, counted) -> list[tuple]:
    """The page's row values, found first by id alone and then read (a deferred join).

    The ids of the page come from the ledger's order over the filtered cases, which an index covering the order
    and the filter columns answers without reading the cases themselves (the 已超期 filter passes over some 16,000
    open cases not yet due before its first 51 at a million cases: 8 ms reading each case, 2 ms in the index);
    only the page's rows are then read, with their institution and handlers (docs/performance.md「台账的页」)."""
    ordering = queryset.query.order_by or (queryset.model._meta.ordering if queryset.query.default_ordering else ())
    window = queryset.values("pk")[offset : offset + limit]
    rows = queryset.model.objects.filter(pk__in=Subquery(window)).order_by(*ordering)
    return list(rows.annotate(ledger_total=counted).values_list(*LEDGER_ROW_VALUES, "ledger_total"))


class DaysLeft:
    """Calendar and working days left for open cases, memoised per due date (many rows share one)."""

    def __init__(self, calendar: WorkCalendar | None, today: dt.date):
        self.calendar = calendar
        self.today = today
        self._working: dict[dt.date, int | None] = {}

    def calendar_days(self, due_on: dt.date | None) -> int | None:
        return None if due_on is None else (due_on - self.today).days

    def working_days(self, due_on: dt.date | None) -> int | None:
        if due_on is None or self.calendar is None:
            return None
        if due_on not in self._working:
            try:
                self._working[due_on] = self.calendar.working_days_between(self.today, due_on)
            except CalendarMissingError:
                self._working[due_on] = None
        return self._working[due_on]


def office_staff(org_id):
    """The active staff of an office: whom a case's forms may name (负责人, A岗, B岗)."""
    return User.objects.filter(org_id=org_id, is_active=True)


def choose_office_staff(field, org_id) -> None:
    """A form field choosing a person of the case's office: `office_staff_of` tells the case page it may draw the
    options from the staff rows it has already read (complaints/views/case_rows.py, `staff_choices_from`)."""
    field.queryset = office_staff(org_id)
    field.office_staff_of = org_id
