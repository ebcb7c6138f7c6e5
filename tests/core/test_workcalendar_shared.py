"""The loaded work calendar is kept in the shared cache (Redis when CACHE_URL is set), so a node whose copy is out of
date takes it from there; a saved day or year retires every shared copy at once (core/workcalendar.py)."""

import datetime as dt

import pytest
from django.core.cache import cache

from core import workcalendar
from core.models import WorkCalendarDay
from core.services.calendar import calendar_day_save

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def _fresh_process():
    cache.clear()
    workcalendar._cached = None
    yield
    workcalendar._cached = None


def another_node():
    """What a second process sees: no calendar of its own yet, the same shared cache."""
    workcalendar._cached = None


def test_a_second_node_takes_the_loaded_calendar_from_the_shared_cache(django_assert_num_queries):
    first = workcalendar.get_calendar()
    another_node()
    # One query: the years' revisions. The days come from the shared cache, not from the database.
    with django_assert_num_queries(1):
        second = workcalendar.get_calendar()
    assert second is not first
    assert second.working_days == first.working_days and second.years == first.years
    assert second.add_days(D("2026-05-29"), 1, "working") == D("2026-06-01")


def test_a_day_changed_on_one_node_shows_on_another_at_once(administrator):
    assert workcalendar.get_calendar().add_days(D("2026-05-29"), 1, "working") == D("2026-06-01")
    generation = cache.get("workcalendar:generation", 0)
    day = WorkCalendarDay.objects.get(date="2026-06-01")
    day.is_working_day, day.kind = False, WorkCalendarDay.Kind.HOLIDAY
    calendar_day_save(day=day, actor=administrator, reason="示例更正")
    # The save retired the shared copies (the generation moved on) ...
    assert cache.get("workcalendar:generation") > generation
    another_node()
    # ... and any node computes over the corrected day.
    assert workcalendar.get_calendar().add_days(D("2026-05-29"), 1, "working") == D("2026-06-02")


def test_without_a_reachable_cache_the_calendar_is_read_from_the_database(settings):
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    assert workcalendar.get_calendar().add_days(D("2026-05-29"), 1, "working") == D("2026-06-01")
