"""Demo office tasks (工作任务清单) for `seed_demo`; idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.models import Task, User
from core.services.tasks import task_create
from core.workcalendar import CalendarMissingError, get_calendar

DEMO_TASKS = [
    # (title, requirement, owner, days from today, recurrence)
    (
        "报送月度信访投诉统计",
        "每月5日前汇总上月信访、举报、投诉受理和办结情况，报分局消保科。",
        "lz_clerk_a",
        3,
        "monthly",
    ),
    ("开展“金融知识进社区”宣传", "联合辖内银行保险机构在文昌路社区设点宣传，留存影像资料。", "lz_clerk_b", 10, "once"),
    ("季度消保工作总结", "总结本季度消保工作，分析投诉热点和机构排名，提出下季度重点。", "lz_clerk_a", 20, "quarterly"),
]


def _working_day(day: dt.date) -> dt.date:
    """The day itself when it is a working day, else the next one: a task is never due on a rest day."""
    try:
        return get_calendar().next_working_day_on_or_after(day)
    except CalendarMissingError:
        # A year the calendar does not hold yet: at least not on a weekend.
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day


def seed(*, orgs, cases=None, stdout=None):
    supervisor = User.objects.filter(username="lz_supervisor").first()
    if supervisor is None:
        return
    today = timezone.localdate()
    created = 0
    for title, requirement, owner_name, days, recurrence in DEMO_TASKS:
        if Task.objects.filter(org=supervisor.org, title=title).exists():
            continue
        owner = User.objects.filter(username=owner_name).first()
        if owner is None:
            continue
        task_create(
            actor=supervisor,
            org=supervisor.org,
            title=title,
            requirement=requirement,
            owner=owner,
            due_on=_working_day(today + dt.timedelta(days=days)),
            recurrence=recurrence,
        )
        created += 1
    if stdout is not None and created:
        stdout.write(f"工作任务：新增 {created} 项")
