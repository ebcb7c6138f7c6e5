"""Telling administrators in time that a year of the work calendar still needs verifying (docs/operations.md).

The State Council publishes next year's holidays and 调休 in October–November. From `CALENDAR_WARN_FROM`
(default 10-01) until next year is verified — and at any time for the current year — administrators see a banner
on their home page and the admin index, get one notification a day, and `manage.py check` warns, naming the year.
Deadlines meanwhile run on the year's draft and are marked 暂定; nothing waits for the verification.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from django.db import DatabaseError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnverifiedYear:
    year: int
    exists: bool  # a draft exists (entered by hand or predicted); False: not even a draft yet

    @property
    def message(self) -> str:
        state = _("仍为草稿") if self.exists else _("尚未录入")
        return _(
            "%(year)s年工作日历%(state)s：请按国务院办公厅节假日安排通知录入法定节假日和调休上班日，"
            "并在“工作日历年度”中标记为已核对。在此之前，跨入该年度的期限按预测的节假日计算，标为“暂定”。"
        ) % {"year": self.year, "state": state}


def _warn_from(year: int) -> dt.date:
    month, day = (int(part) for part in settings.CALENDAR_WARN_FROM.split("-"))
    return dt.date(year, month, day)


def unverified_years(today: dt.date) -> list[UnverifiedYear]:
    """The current year when it is not verified, and next year from CALENDAR_WARN_FROM on. One query."""
    from core.models import WorkCalendarYear

    wanted = [today.year]
    if today >= _warn_from(today.year):
        wanted.append(today.year + 1)
    statuses = dict(WorkCalendarYear.objects.filter(year__in=wanted).values_list("year", "status"))
    return [
        UnverifiedYear(year, exists=year in statuses)
        for year in wanted
        if statuses.get(year) != WorkCalendarYear.Status.VERIFIED
    ]


def administrators():
    from core.models import User
    from core.roles import GROUP_NAMES, Role

    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=GROUP_NAMES[Role.ADMINISTRATOR]))
        .distinct()
        .order_by("pk")
    )


def warn_administrators(today: dt.date, *, dry_run: bool = False) -> list[UnverifiedYear]:
    """One notification a day to each administrator while a year needs verifying (keyed by the date)."""
    from core.models import Notification
    from core.services.notifications import Message, notify_many

    years = unverified_years(today)
    if not years or dry_run:
        return years
    body = "\n".join(year.message for year in years)
    title = _("请核对工作日历：%(years)s年") % {"years": "、".join(str(year.year) for year in years)}
    link = reverse("admin:core_workcalendaryear_changelist")
    notify_many(
        [
            Message(
                user=admin,
                title=title,
                body=body,
                link=link,
                kind=Notification.Kind.WARNING,
                key=f"calendar-unverified:{today.isoformat()}",
            )
            for admin in administrators()
        ]
    )
    logger.warning("Work calendar needs verifying: %s", title)
    return years


@register("calendar")
def check_calendar_years(app_configs=None, **kwargs):
    """Warns about a year to verify. One small query; silent before the database is migrated."""
    try:
        years = unverified_years(timezone.localdate())
    except DatabaseError:
        return []  # not migrated yet: nothing to say about the calendar
    return [
        CheckWarning(
            year.message,
            hint=_("管理后台 → 工作日历年度：录入后执行“核对并标记为已核对”。"),
            id="core.W002",
        )
        for year in years
    ]
