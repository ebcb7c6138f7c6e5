"""The morning reminder job: one digest per acting handler, overdue items to the supervisor.

`send_reminders()` is the single entry point; the Celery task `core.send_reminders` (scheduled by
django-celery-beat, see migration 0005) and `manage.py send_reminders` both call it.

Rules (docs/domain.md, "期限与工作日历" and "AB岗", issue 4):
- nothing happens on a rest day of the work calendar; a year not yet verified is counted over its draft and
  its items are marked 暂定; every day (rest days too) administrators are told while a year needs verifying;
- each acting handler (A, or B when A is absent today) gets ONE digest of their items due within N working
  days and overdue; when A and B are both absent the office's supervisor gets them, with a warning;
- overdue items also go to the office's supervisor (in the same single daily message);
- notifications carry deadline labels only (case numbers and stage names), never personal data;
- idempotent: each recipient's digest has the key ``reminder:<date>``, so a second run on the same day
  (or the re-run of a crashed one) sends nothing twice;
- the number of queries does not grow with the number of items.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar_watch import warn_administrators
from core.models import Absence, Deadline, Notification, User
from core.roles import GROUP_NAMES, Role
from core.services.deadlines import due_soon_working_days
from core.services.notifications import Message, notify_many
from core.workcalendar import get_calendar

logger = logging.getLogger(__name__)

# Lines listed per section of a digest; the rest is summed up.
MAX_LINES = 30


@dataclass
class Digest:
    user: User
    own: list = field(default_factory=list)  # (label, due_on, bucket, provisional)
    covering: list = field(default_factory=list)
    both_absent: list = field(default_factory=list)
    supervised_overdue: list = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return len(self.own) + len(self.covering) + len(self.both_absent) + len(self.supervised_overdue)


@dataclass
class ReminderRun:
    today: dt.date
    skipped_reason: str = ""
    digests: list[Digest] = field(default_factory=list)
    sent: int = 0
    already_sent: int = 0
    warnings: list[str] = field(default_factory=list)
    unverified_years: list = field(default_factory=list)  # core.calendar_watch.UnverifiedYear


def soon_days_setting() -> int:
    return due_soon_working_days()


def _line(label: str, due_on: dt.date, bucket: str, provisional: bool = False) -> str:
    if bucket == "overdue":
        state = _("已超期")
    elif bucket == "today":
        state = _("今日到期")
    else:
        state = _("即将到期")
    mark = _("（暂定）") if provisional else ""
    return f"· {label}（{_('截止')} {due_on.isoformat()}{mark}，{state}）"


def _render(digest: Digest, today: dt.date) -> tuple[str, str, str]:
    """(title, body, kind) of one digest; labels only, no personal data."""
    overdue = sum(
        1 for items in (digest.own, digest.covering, digest.both_absent) for _l, _d, b, _p in items if b == "overdue"
    )
    soon = sum(len(items) for items in (digest.own, digest.covering, digest.both_absent)) - overdue
    parts = []
    sections = (
        (_("【本人承办】"), digest.own),
        (_("【代缺岗A岗办理】"), digest.covering),
        (_("【警示：以下事项A岗、B岗均不在岗，请负责人督办】"), digest.both_absent),
        (_("【本单位超期事项督办】"), digest.supervised_overdue),
    )
    for heading, items in sections:
        if not items:
            continue
        parts.append(heading)
        # A digest is read, not searched: past MAX_LINES the rest is a count and the link to my-work.
        parts += [_line(*item) for item in items[:MAX_LINES]]
        if len(items) > MAX_LINES:
            parts.append(_("……另有 %(n)s 件，请登录系统查看") % {"n": len(items) - MAX_LINES})
    title = _("%(date)s 期限提醒：超期 %(overdue)s 件，即将到期 %(soon)s 件") % {
        "date": today.isoformat(),
        "overdue": overdue,
        "soon": soon,
    }
    if digest.supervised_overdue:
        title += _("；本单位超期督办 %(n)s 件") % {"n": len(digest.supervised_overdue)}
    kind = Notification.Kind.OVERDUE if overdue or digest.supervised_overdue else Notification.Kind.REMINDER
    if digest.both_absent:
        kind = Notification.Kind.WARNING
    return title, "\n".join(parts), kind


def build_digests(today: dt.date, soon_end: dt.date) -> tuple[list[Digest], list[str]]:
    """Who gets which items today. Four queries: deadlines, absences, supervisors, recipients."""
    rows = list(
        Deadline.objects.running()
        .filter(due_on__lte=soon_end)
        .order_by("due_on", "id")
        .values_list("org_id", "label", "due_on", "owner_id", "backup_id", "provisional_years")
    )
    absent = set(Absence.objects.filter(start_on__lte=today, end_on__gte=today).values_list("user_id", flat=True))
    supervisors: dict[int, list[int]] = defaultdict(list)
    for user_id, org_id in (
        User.objects.filter(
            org_id__in={row[0] for row in rows}, is_active=True, groups__name=GROUP_NAMES[Role.SUPERVISOR]
        )
        .order_by("id")
        .values_list("id", "org_id")
    ):
        supervisors[org_id].append(user_id)

    by_user: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    warnings = []
    for org_id, label, due_on, owner_id, backup_id, provisional in rows:
        bucket = "overdue" if due_on < today else ("today" if due_on == today else "soon")
        item = (label, due_on, bucket, bool(provisional))
        if owner_id and owner_id not in absent:
            by_user[owner_id]["own"].append(item)
        elif backup_id and backup_id not in absent:
            by_user[backup_id]["covering"].append(item)
        else:
            office_supervisors = [s for s in supervisors.get(org_id, []) if s not in absent] or supervisors.get(
                org_id, []
            )
            if office_supervisors:
                by_user[office_supervisors[0]]["both_absent"].append(item)
            else:
                warnings.append(_("%(label)s：A、B岗均不在岗且单位未设负责人，无人接收提醒。") % {"label": label})
        if bucket == "overdue":
            for supervisor_id in supervisors.get(org_id, []):
                by_user[supervisor_id]["supervised_overdue"].append(item)

    users = {u.pk: u for u in User.objects.filter(pk__in=by_user, is_active=True)}
    digests = []
    for user_id, sections in by_user.items():
        if user_id not in users:
            continue
        digests.append(Digest(user=users[user_id], **sections))
    digests.sort(key=lambda d: d.user.pk)
    return digests, warnings


def send_reminders(today: dt.date | None = None, *, dry_run: bool = False, soon_days: int | None = None) -> ReminderRun:
    """Send today's reminders (see the module docstring). Returns what was (or would be) sent."""
    today = today or timezone.localdate()
    soon_days = soon_days_setting() if soon_days is None else soon_days
    run = ReminderRun(today=today)
    run.unverified_years = warn_administrators(today, dry_run=dry_run)
    calendar = get_calendar()
    if not calendar.is_working_day(today):
        run.skipped_reason = _("%(date)s 为休息日，不发送提醒。") % {"date": today.isoformat()}
        return run
    soon_end = calendar.add_days(today, soon_days, "working")

    run.digests, run.warnings = build_digests(today, soon_end)
    for warning in run.warnings:
        logger.warning("%s", warning)
    if dry_run or not run.digests:
        return run

    link = reverse("home")
    key = f"reminder:{today.isoformat()}"
    messages = []
    for digest in run.digests:
        title, body, kind = _render(digest, today)
        messages.append(Message(user=digest.user, title=title, body=body, link=link, kind=kind, key=key))
    already = set(
        Notification.objects.filter(recipient__in=[d.user for d in run.digests], key=key).values_list(
            "recipient_id", flat=True
        )
    )
    notify_many(messages)
    run.already_sent = len(already)
    run.sent = len(run.digests) - len(already)
    return run


def describe(run: ReminderRun) -> list[str]:
    """Plain lines saying who gets what, for the command's output and --dry-run."""
    lines = [year.message for year in run.unverified_years]
    if run.skipped_reason:
        return [*lines, run.skipped_reason]
    for digest in run.digests:
        title, body, _kind = _render(digest, run.today)
        lines.append(f"{digest.user}（{digest.user.username}）：{title}")
        lines += [f"    {line}" for line in body.splitlines()]
    lines += run.warnings
    if not run.digests:
        lines.append(_("今日没有需要提醒的事项。"))
    return lines
