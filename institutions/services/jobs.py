"""The quarterly job: on the first working day of a quarter, draft last quarter's lists and propose interviews."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import OrgUnit, User
from core.roles import GROUP_NAMES, Role
from core.services.notifications import notify
from core.workcalendar import get_calendar

from ..models import Institution, QuarterlyList
from ..periods import previous_quarter, quarter_of
from .lists import list_draft
from .triggers import interviews_propose


def first_working_day_of_quarter(day: dt.date) -> dt.date:
    year, quarter = quarter_of(day)
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    return get_calendar().next_working_day_on_or_after(start)


def _notify(user, *, title: str, body: str, link: str, quarterly_list: QuarterlyList) -> None:
    """Tell a supervisor (in-app notification and e-mail copy), once per drafted list."""
    notify(
        user=user,
        title=title,
        body=body,
        link=link,
        kind="info",
        key=f"institutions.list.drafted:{quarterly_list.pk}",
    )


def draft_quarterly_lists(today: dt.date | None = None, *, force: bool = False) -> list[QuarterlyList]:
    """Plain function behind the beat task. Acts only on the quarter's first working day (unless `force`).

    For every sub-bureau with active institutions and no list yet for the quarter just ended: draft the list,
    propose the interviews its rules call for, and tell the unit's supervisors.
    """
    today = today or timezone.localdate()
    if not force and today != first_working_day_of_quarter(today):
        return []
    year, quarter = previous_quarter(*quarter_of(today))
    drafted = []
    orgs = OrgUnit.objects.filter(
        level=OrgUnit.Level.SUB_BUREAU, pk__in=Institution.objects.active().values("org_id")
    ).order_by("path")
    for org in orgs:
        if QuarterlyList.objects.current().filter(org=org, year=year, quarter=quarter).exists():
            continue
        quarterly_list = list_draft(org=org, year=year, quarter=quarter)
        proposed = interviews_propose(org=org, year=year, quarter=quarter)
        drafted.append(quarterly_list)
        supervisors = User.objects.filter(org=org, is_active=True, groups__name=GROUP_NAMES[Role.SUPERVISOR]).distinct()
        title = _("%(period)s正负面清单草稿已生成") % {"period": quarterly_list.period_label}
        body = _("系统已按数据规则起草清单，请确认建议事项后提交审批。新增约谈建议 %(n)s 条。") % {"n": len(proposed)}
        link = reverse("institutions:list_detail", args=[quarterly_list.pk])
        for user in supervisors:
            _notify(user, title=title, body=body, link=link, quarterly_list=quarterly_list)
    return drafted
