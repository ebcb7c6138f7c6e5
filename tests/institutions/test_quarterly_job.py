"""The beat job: on the first working day of a quarter it drafts last quarter's lists and tells the supervisor."""

import datetime as dt

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from core.models import Notification
from core.schedules import sync_beat_schedules
from core.workcalendar import get_calendar
from institutions.models import QuarterlyList
from institutions.services.jobs import draft_quarterly_lists, first_working_day_of_quarter
from tests.helpers import embedded_worker


def _notices(supervisor):
    return Notification.objects.filter(recipient=supervisor).count()


def test_first_working_day_follows_the_official_calendar(base_data):
    day = first_working_day_of_quarter(dt.date(2025, 10, 20))
    assert day == dt.date(2025, 10, 9)  # 10-01..08 National Day and Mid-Autumn
    assert get_calendar().is_working_day(day)
    assert first_working_day_of_quarter(dt.date(2026, 1, 15)) == dt.date(2026, 1, 4)


def test_job_does_nothing_on_other_days(orgs, bank, supervisor):
    assert draft_quarterly_lists(dt.date(2025, 10, 10)) == []
    assert not QuarterlyList.objects.exists()


def test_job_drafts_last_quarter_and_tells_the_supervisor(orgs, bank, zy_bank, supervisor):
    with time_machine.travel(dt.datetime(2025, 10, 9, 0, 30, tzinfo=dt.UTC)):
        drafted = draft_quarterly_lists()
    assert {(q.org.code, q.year, q.quarter) for q in drafted} == {("laizhou", 2025, 3), ("zhaoyuan", 2025, 3)}
    assert _notices(supervisor) == 1
    with time_machine.travel(dt.datetime(2025, 10, 9, 0, 30, tzinfo=dt.UTC)):
        assert draft_quarterly_lists() == []  # idempotent


QUARTERLY_LIST_TASK_NAME = "正负面清单：季度首个工作日起草上季度清单"
QUARTERLY_LIST_TASK = "institutions.tasks.draft_quarterly_lists"


def test_beat_entry_exists_once(base_data):
    sync_beat_schedules()  # declared in core/schedules.py
    sync_beat_schedules()
    task = PeriodicTask.objects.get(name=QUARTERLY_LIST_TASK_NAME)
    assert task.task == QUARTERLY_LIST_TASK
    assert task.crontab.month_of_year == "1,4,7,10"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_beat_job_runs_through_a_real_worker(live_base_data):
    from core.models import OrgUnit
    from institutions.reference_data import ensure_default_rules
    from institutions.tasks import draft_quarterly_lists as task
    from laizhou_xiaobao.celery import app
    from tests.factories import make_institution, make_org

    ensure_default_rules()
    yantai = make_org("yantai", name="烟台金融监管分局", level=OrgUnit.Level.BRANCH)
    laizhou = make_org("laizhou", name="莱州金融监管支局", parent=yantai)
    make_institution(org=laizhou, short_name="东岳银行")
    first = first_working_day_of_quarter(dt.date.today())
    with (
        time_machine.travel(dt.datetime.combine(first, dt.time(9)).astimezone(dt.UTC)),
        embedded_worker(app),
    ):
        result = task.delay()
        list_ids = result.get(timeout=60)
    assert len(list_ids) == 1
    assert QuarterlyList.objects.get(pk=list_ids[0]).org == laizhou
