"""My work (我的待办): the items a user acts on today."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models import Case, ExtensionRequest
from core.access import scope
from core.models import Absence, Deadline, DeadlineDayCount, Task
from core.roles import Role, has_role
from core.services.deadlines import deadline_state
from core.workcalendar import WorkCalendar
from mediation.models import MediationCase
from mediation.models.choices import Status

from ..links import item_link, ledger_url
from .buckets import BUCKETS, Counts, bucket_aggregates, item_kind_label, make_horizon, soon_working_days

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
    "provisional_years",
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
    is_overdue: bool
    role: str
    role_label: str
    owner_name: str
    paused: bool
    provisional: bool
    model_label: str  # the item's content type, "app_label.model"
    object_id: int
    case_id: int | None = None  # the ledger case, when the item is one
    is_major: bool = False  # 重大/群体性: listed first (docs/domain.md「重大、群体性事项」)
    # Worked out only for the items on the page shown (`finish_items`): the days left over the calendar and the link.
    state: object = None  # core.services.deadlines.DeadlineState
    link: str = ""

    @property
    def sort_key(self):
        return (self.paused, not self.is_major, not self.is_overdue, self.due_on, self.deadline_id)


def _work_items(rows, role: str, today: dt.date) -> list[WorkItem]:
    items = []
    role_label = str(ROLE_LABELS[role])
    kind_labels: dict[str, str] = {}  # up to MY_WORK_LIMIT rows, a handful of kinds: each label translated once
    for row in rows:
        model_label = f"{row['content_type__app_label']}.{row['content_type__model']}"
        kind = row["item_kind"]
        if kind not in kind_labels:
            kind_labels[kind] = item_kind_label(kind)
        items.append(
            WorkItem(
                deadline_id=row["id"],
                label=row["label"],
                kind_label=kind_labels[kind],
                due_on=row["due_on"],
                is_overdue=row["due_on"] < today,
                role=role,
                role_label=role_label,
                owner_name=row["owner__name"] or row["owner__username"] or "",
                paused=row["paused_since"] is not None,
                provisional=bool(row["provisional_years"]),
                model_label=model_label,
                object_id=row["object_id"],
                case_id=row["object_id"] if model_label == "complaints.case" else None,
            )
        )
    return items


def finish_items(items: list[WorkItem], today: dt.date, calendar: WorkCalendar) -> list[WorkItem]:
    """The days left and the link of the items shown: the working-day count walks the calendar, so it is done for
    one page (MY_WORK_PAGE) rather than for every item read (docs/performance.md「我的待办」)."""
    soon = soon_working_days()
    states: dict[tuple, object] = {}  # items share due dates: each date's working days counted once
    for item in items:
        key = (item.due_on, item.paused, item.provisional)
        if key not in states:
            states[key] = deadline_state(
                item.due_on, today, paused=item.paused, provisional=item.provisional, calendar=calendar,
                soon_working_days=soon,
            )  # fmt: skip
        item.state = states[key]
        item.link = item_link(item.model_label, item.object_id)
    return items


def _mark_major(items: list[WorkItem]) -> None:
    """Flag the items of major cases: one query, only when there are case items."""
    case_ids = {item.case_id for item in items if item.case_id}
    if not case_ids:
        return
    major = set(Case.objects.filter(pk__in=case_ids, is_major=True).values_list("pk", flat=True))
    for item in items:
        item.is_major = item.case_id in major


def absent_today_ids(today: dt.date):
    """A subquery of the users absent on `today`."""
    return Absence.objects.filter(start_on__lte=today, end_on__gte=today).values("user_id")


MY_WORK_LIMIT = 200
# Items shown per page of my work; the others of the first MY_WORK_LIMIT are on the next pages.
MY_WORK_PAGE = 50


def my_work(user, today: dt.date, calendar: WorkCalendar, page_number=None) -> dict:
    """The items the user acts on today, overdue first, then by due date (paused ones last).

    Each list is cut at MY_WORK_LIMIT rows (read in due-date order from the partial owner index) and shown
    MY_WORK_PAGE at a time (`page_number`); the counts cover all of them (the open-deadline summary). Major
    (重大/群体性) cases come first among the running items.
    Queries: own items, items covered for an absent A, (supervisors) items whose A and B are both away, (when
    there are case items) which cases are major, the counts, (supervisors) pending extension requests,
    the user's office tasks, (mediators) the recusal declarations they owe: eight at most.
    """
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

    items = _work_items(first_rows(mine), "owner", today)
    items += _work_items(first_rows(covering), "covering", today)
    everything = mine | covering
    if is_supervisor and user.org_id:
        items += _work_items(first_rows(orphaned), "supervising", today)
        everything |= orphaned
    _mark_major(items)
    items.sort(key=lambda item: item.sort_key)
    page = Paginator(items[:MY_WORK_LIMIT], MY_WORK_PAGE).get_page(page_number)
    finish_items(page.object_list, today, calendar)

    horizon = make_horizon(today, calendar=calendar)
    counts = my_counts(user, horizon, supervising=is_supervisor and bool(user.org_id))

    approvals = []
    if is_supervisor:
        approvals = list(
            scope(ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING), user, field="case__org")
            .select_related("case", "requested_by")
            .order_by("requested_at")[:MY_WORK_LIMIT]
        )
        for approval in approvals:
            approval.case_link = item_link("complaints.case", approval.case_id)
    recusals = pending_recusals(user) if has_role(user, Role.MEDIATOR) else []
    tasks = list(
        Task.objects.open()
        .filter(Q(owner=user) | Q(backup=user))
        .select_related("owner", "backup")
        .order_by("due_on", "id")[:MY_WORK_LIMIT]
    )
    return {
        "items": page.object_list,
        "page": page,
        "counts": counts,
        "overdue_count": counts.overdue,
        "soon_count": counts.today + counts.soon,
        "truncated": counts.total > page.paginator.count,
        "ledger_link": ledger_url(acting=user.pk),
        "limit": MY_WORK_LIMIT,
        "approvals": approvals,
        "recusals": recusals,
        "tasks": tasks,
        "is_supervisor": is_supervisor,
    }


def _acting_conditions(user, absent, *, supervising: bool, none) -> Q:
    """The deadlines `user` acts on: as A, as B for an absent A, and (a supervisor) those whose A and B are both
    away or missing. `none` is how "no A岗/B岗" is stored: NULL on core.Deadline, 0 on the summary table."""
    condition = Q(owner_id=user.pk) | Q(backup_id=user.pk, owner_id__in=absent)
    if supervising:
        condition |= (
            Q(org_id=user.org_id)
            & (Q(owner_id=none) | Q(owner_id__in=absent))
            & (Q(backup_id=none) | Q(backup_id__in=absent))
        )
    return condition


def my_counts(user, horizon, *, supervising: bool) -> Counts:
    """The buckets of everything `user` acts on, from the summary of open deadlines (core.DeadlineDayCount): one
    query over the summary rows of a few hundred due days instead of an aggregate over every open deadline (the
    clerk's home page at 1,000,000 cases: 45 → 2 ms for this query; docs/performance.md「我的待办」)."""
    condition = _acting_conditions(user, absent_today_ids(horizon.today), supervising=supervising, none=0)
    rows = (
        DeadlineDayCount.objects.filter(condition)
        .order_by()
        .values_list("due_on", "paused", "provisional")
        .annotate(n=Sum("count"))
    )
    totals = dict.fromkeys((*BUCKETS, "paused", "provisional"), 0)
    for due_on, paused, provisional, n in rows:
        totals["paused" if paused else horizon.bucket_of(due_on)] += n
        totals["provisional"] += n if provisional else 0
    counts = Counts()
    counts.add(totals)
    return counts


def my_counts_direct(user, horizon, *, supervising: bool) -> Counts:
    """The same aggregated over every open core.Deadline: the reference the tests compare `my_counts` with."""
    absent = absent_today_ids(horizon.today)
    condition = _acting_conditions(user, absent, supervising=supervising, none=None)
    counts = Counts()
    counts.add(Deadline.objects.open().filter(condition).order_by().aggregate(**bucket_aggregates(horizon)))
    return counts


def pending_recusals(user) -> list:
    """Mediation cases assigned to the mediator whose 回避声明 they have not yet made: until they declare, the
    file stays closed to them and (for a court referral) the mediation clock does not start. One query."""
    cases = list(
        MediationCase.objects.filter(mediator__user=user, status=Status.ASSIGNED, recusal_declared_at__isnull=True)
        .only("pk", "number", "assigned_on", "source")
        .order_by("assigned_on", "id")[:MY_WORK_LIMIT]
    )
    for case in cases:
        case.recusal_link = reverse("mediation:recusal", args=[case.pk])
    return cases
