"""Reads shared by the outreach pages, the export and other apps (the positive list asks for participation)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from core.access import scope, visible_org_q

from .models import Event, GridCell, MediaAward, MediaWork, TrainingAudience, TrainingSession

PEOPLE = Coalesce(Sum(F("participants") + F("online_reach")), 0)

_DIGITS = "零一二三四五六七八九"


def _chinese_count(number: int) -> str:
    """1..99 in Chinese numerals, with 两 for a lone 2 before a unit (两万, 两千)."""
    if number == 2:
        return "两"
    if number < 10:
        return _DIGITS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"
    return str(number)


def approximate_people(number: int) -> str:
    """How the office writes a head count: 20,345 → 两万余人, 3,000 → 三千人, 856 → 856人."""
    for unit_value, unit in ((10000, "万"), (1000, "千")):
        if number >= unit_value:
            whole, rest = divmod(number, unit_value)
            return f"{_chinese_count(whole)}{unit}{'余' if rest else ''}人"
    return f"{number}人"


def office_sentence(totals: dict) -> str:
    """The sentence of the office's summary, e.g. "4次集中宣传活动，累计覆盖两万余人"."""
    major, events = totals["major_events"], totals["events"]
    if major:
        text = _("%(n)s次集中宣传活动，累计覆盖%(people)s") % {
            "n": major,
            "people": approximate_people(totals["major_people"]),
        }
        other = events - major
        if other:
            text += _("；另开展其他宣传活动%(n)s次，覆盖%(people)s") % {
                "n": other,
                "people": approximate_people(totals["people_reached"] - totals["major_people"]),
            }
        return text
    return _("开展宣传活动%(n)s次，累计覆盖%(people)s") % {
        "n": events,
        "people": approximate_people(totals["people_reached"]),
    }


def _participation(events: QuerySet, trainings: QuerySet) -> dict[int, int]:
    # An institution that both organised and joined one event counts once for it.
    pairs = set(Event.organisers.through.objects.filter(event__in=events).values_list("event_id", "institution_id"))
    pairs |= set(Event.partners.through.objects.filter(event__in=events).values_list("event_id", "institution_id"))
    counts = Counter(institution_id for _event_id, institution_id in pairs)
    for institution_id, number in (
        TrainingSession.attendee_institutions.through.objects.filter(trainingsession__in=trainings)
        .values("institution_id")
        .annotate(n=Count("trainingsession_id", distinct=True))
        .values_list("institution_id", "n")
    ):
        counts[institution_id] += number
    return dict(counts)


def institution_participation(org, start: dt.date, end: dt.date) -> dict[int, int]:
    """{institution_id: number of events organised or joined, plus training sessions attended} for the
    records of `org` and the units below it, dated from `start` to `end` inclusive. Three queries."""
    return _participation(
        Event.objects.within_org(org).in_period(start, end),
        TrainingSession.objects.within_org(org).in_period(start, end),
    )


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    totals: dict
    sentence: str
    by_month: list = field(default_factory=list)
    by_campaign: list = field(default_factory=list)
    by_town: list = field(default_factory=list)
    by_cell: list = field(default_factory=list)
    by_target_group: list = field(default_factory=list)
    by_topic: list = field(default_factory=list)
    coverage_year: int = 0
    coverage: list = field(default_factory=list)
    uncovered_count: int = 0
    participation: list = field(default_factory=list)
    media: dict = field(default_factory=dict)
    training: list = field(default_factory=list)


def _grouped(events: QuerySet, key: str) -> list[dict]:
    return list(
        events.exclude(**{f"{key}__isnull": True})
        .values(name=F(key))
        .annotate(events=Count("id", distinct=True), people=PEOPLE)
        .order_by("-events", "name")
    )


def period_figures(*, user, start: dt.date, end: dt.date, coverage_year: int | None = None) -> Figures:
    """Everything the figures page, its charts and its export show, in a fixed number of queries."""
    from institutions.models import Institution

    events = scope(Event.objects.all(), user).in_period(start, end)
    trainings = scope(TrainingSession.objects.all(), user).in_period(start, end)
    sums = events.aggregate(
        n_events=Count("id"),
        n_major=Count("id", filter=Q(is_major=True)),
        sum_participants=Coalesce(Sum("participants"), 0),
        sum_online=Coalesce(Sum("online_reach"), 0),
        sum_materials=Coalesce(Sum("materials_handed_out"), 0),
        sum_questions=Coalesce(Sum("questions_answered"), 0),
        sum_major_people=Coalesce(Sum(F("participants") + F("online_reach"), filter=Q(is_major=True)), 0),
    )
    totals = {
        "events": sums["n_events"],
        "major_events": sums["n_major"],
        "participants": sums["sum_participants"],
        "online_reach": sums["sum_online"],
        "materials": sums["sum_materials"],
        "questions": sums["sum_questions"],
        "major_people": sums["sum_major_people"],
    }
    totals["people_reached"] = totals["participants"] + totals["online_reach"]
    figures = Figures(start=start, end=end, totals=totals, sentence=office_sentence(totals))
    figures.by_month = list(
        events.annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(events=Count("id"), people=PEOPLE)
        .order_by("month")
    )
    figures.by_campaign = _grouped(events, "campaign__name")
    figures.by_town = list(
        events.annotate(town=Coalesce("grid_cell__parent__name", "grid_cell__name"))
        .values("town")
        .annotate(events=Count("id"), people=PEOPLE)
        .order_by("-events", "town")
    )
    figures.by_cell = [
        {**row, "is_town": row["parent_id"] is None}
        for row in events.values("grid_cell_id")
        .annotate(
            town=Coalesce("grid_cell__parent__name", "grid_cell__name"),
            cell=F("grid_cell__name"),
            parent_id=F("grid_cell__parent_id"),
            officer=F("grid_cell__officer"),
            events=Count("id"),
            people=PEOPLE,
        )
        .order_by("town", F("parent_id").asc(nulls_first=True), "cell")
    ]
    figures.by_target_group = _grouped(events, "target_groups__name")
    figures.by_topic = _grouped(events, "topics__name")

    # Grid coverage is judged over the calendar year, whatever the period.
    year = coverage_year or end.year
    figures.coverage_year = year
    figures.coverage, figures.uncovered_count = _coverage(user, year)

    counts = _participation(events, trainings)
    names = dict(Institution.objects.filter(pk__in=counts).values_list("pk", "short_name"))
    figures.participation = sorted(
        ({"name": names.get(pk, str(pk)), "count": n} for pk, n in counts.items()),
        key=lambda row: (-row["count"], row["name"]),
    )

    works = scope(MediaWork.objects.all(), user).filter(published_on__gte=start, published_on__lte=end)
    figures.media = works.aggregate(works=Count("id"), views=Coalesce(Sum("views"), 0))
    figures.media["awards"] = (
        MediaAward.objects.filter(work__in=scope(MediaWork.objects.all(), user))
        .filter(awarded_on__gte=start, awarded_on__lte=end)
        .count()
    )
    audience_labels = dict(TrainingAudience.choices)
    figures.training = [
        {**row, "audience": audience_labels.get(row["audience"], row["audience"])}
        for row in trainings.values("audience")
        .annotate(sessions=Count("id", distinct=True), staff=Count("attendee_users", distinct=True))
        .order_by("audience")
    ]
    return figures


def _coverage(user, year: int) -> tuple[list[dict], int]:
    """Towns with their villages and communities, each with its number of events in `year`.

    A town counts as reached when an event was held in it or in any cell below it. One query.
    """
    cells = list(
        GridCell.objects.filter(visible_org_q(user))
        .active()
        .select_related("parent")
        .annotate(
            events_this_year=Count("events", filter=Q(events__held_on__year=year) & visible_org_q(user, "events__org"))
        )
        .order_by("org__path", "sort_order", "name")
    )
    towns = {
        cell.pk: {"cell": cell, "events": cell.events_this_year, "children": []} for cell in cells if not cell.parent_id
    }
    for cell in cells:
        if cell.parent_id in towns:
            towns[cell.parent_id]["children"].append(cell)
            towns[cell.parent_id]["events"] += cell.events_this_year
    rows = list(towns.values())
    uncovered = sum(1 for row in rows if row["events"] == 0) + sum(
        1 for row in rows for child in row["children"] if child.events_this_year == 0
    )
    return rows, uncovered
