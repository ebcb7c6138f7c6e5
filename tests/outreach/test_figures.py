import datetime as dt

import pytest
from django.urls import reverse

from outreach.models import TrainingSession
from outreach.selectors import approximate_people, institution_participation, office_sentence, period_figures
from tests.factories import make_institution

pytestmark = pytest.mark.django_db

YEAR_2025 = {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (20345, "两万余人"),
        (20000, "两万人"),
        (12000, "一万余人"),
        (150000, "十五万人"),
        (3000, "三千人"),
        (2500, "两千余人"),
        (856, "856人"),
        (0, "0人"),
    ],
)
def test_people_are_written_the_way_the_office_writes_them(number, text):
    assert approximate_people(number) == text


def test_office_sentence_counts_major_events_and_mentions_daily_ones():
    totals = {"events": 6, "major_events": 4, "people_reached": 21500, "major_people": 20400}
    assert office_sentence(totals) == "4次集中宣传活动，累计覆盖两万余人；另开展其他宣传活动2次，覆盖一千余人"
    only_major = {"events": 4, "major_events": 4, "people_reached": 20400, "major_people": 20400}
    assert office_sentence(only_major) == "4次集中宣传活动，累计覆盖两万余人"
    no_major = {"events": 3, "major_events": 0, "people_reached": 450, "major_people": 0}
    assert office_sentence(no_major) == "开展宣传活动3次，累计覆盖450人"


@pytest.fixture
def built(orgs, grid, ref, make_event, clerk_a):
    """Four major events reaching 20,400 people and two daily ones in 2025 for Laizhou; noise around them."""
    laizhou = orgs["laizhou"]
    bank = make_institution(org=laizhou, short_name="莱州农商行")
    insurer = make_institution(org=laizhou, short_name="泰和人寿")
    idle = make_institution(org=laizhou, short_name="海岱银行")
    make_event(
        org=laizhou,
        campaign=ref["campaign_315"],
        is_major=True,
        held_on=dt.date(2025, 3, 15),
        grid_cell=grid["shahe"],
        participants=2000,
        online_reach=3000,
        target_groups=[ref["elderly"]],
        topics=[ref["fraud"], ref["credit"]],
        organisers=[bank],
        partners=[bank, insurer],
    )
    make_event(
        org=laizhou,
        campaign=ref["campaign_315"],
        is_major=True,
        held_on=dt.date(2025, 3, 16),
        grid_cell=grid["shahe_village"],
        participants=1000,
        online_reach=4000,
        target_groups=[ref["elderly"], ref["youth"]],
        topics=[ref["fraud"]],
        partners=[insurer],
    )
    make_event(
        org=laizhou,
        campaign=ref["campaign_week"],
        is_major=True,
        held_on=dt.date(2025, 9, 16),
        grid_cell=grid["zhuqiao_village"],
        participants=2400,
        online_reach=2600,
        target_groups=[ref["youth"]],
    )
    make_event(
        org=laizhou,
        campaign=ref["campaign_week"],
        is_major=True,
        held_on=dt.date(2025, 9, 20),
        grid_cell=grid["zhuqiao"],
        participants=1400,
        online_reach=4000,
    )
    make_event(org=laizhou, held_on=dt.date(2025, 6, 1), participants=300, grid_cell=grid["shahe_village"])
    make_event(org=laizhou, held_on=dt.date(2025, 11, 8), participants=800, grid_cell=grid["shahe_village"])
    # Outside the period, and another sub-bureau's event: neither is counted.
    make_event(org=laizhou, held_on=dt.date(2024, 12, 31), participants=9999, organisers=[idle])
    make_event(org=orgs["zhaoyuan"], held_on=dt.date(2025, 5, 1), participants=7777, grid_cell=grid["quanshan"])
    training = TrainingSession.objects.create(
        org=laizhou,
        audience="institution",
        topic="合规大讲堂：适当性管理",
        speaker="孙海涛",
        held_on=dt.date(2025, 4, 18),
        institution_attendees=30,
    )
    training.attendee_institutions.set([bank])
    training.attendee_users.set([clerk_a])
    return {"bank": bank, "insurer": insurer, "idle": idle}


def test_period_figures_on_built_data(built, clerk_a):
    figures = period_figures(user=clerk_a, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))

    totals = figures.totals
    assert totals["events"] == 6
    assert totals["major_events"] == 4
    assert totals["major_people"] == 20400
    assert totals["participants"] == 2000 + 1000 + 2400 + 1400 + 300 + 800
    assert totals["people_reached"] == 20400 + 1100
    assert figures.sentence == "4次集中宣传活动，累计覆盖两万余人；另开展其他宣传活动2次，覆盖一千余人"
    by_campaign = {row["name"]: (row["events"], row["people"]) for row in figures.by_campaign}
    assert by_campaign == {
        "3·15金融消费者权益保护教育宣传周": (2, 10000),
        "金融教育宣传周": (2, 10400),
        "日常宣传": (2, 1100),
    }
    # Villages roll up into their town.
    assert {row["town"]: (row["events"], row["people"]) for row in figures.by_town} == {
        "沙河镇": (4, 11100),
        "朱桥镇": (2, 10400),
    }
    cells = [(row["town"], row["cell"], row["is_town"], row["events"], row["people"]) for row in figures.by_cell]
    assert sorted(cells) == sorted(
        [
            ("朱桥镇", "朱桥镇", True, 1, 5400),
            ("朱桥镇", "朱桥村", False, 1, 5000),
            ("沙河镇", "沙河镇", True, 1, 5000),
            ("沙河镇", "沙河村", False, 3, 6100),
        ]
    )
    # Within a town, the town's own events come first.
    first_rows = {}
    for town, _cell, is_town, _events, _people in cells:
        first_rows.setdefault(town, is_town)
    assert first_rows == {"朱桥镇": True, "沙河镇": True}
    assert {row["name"]: (row["events"], row["people"]) for row in figures.by_target_group} == {
        "老年人": (2, 10000),
        "青少年": (2, 10000),
    }
    assert {row["name"]: (row["events"], row["people"]) for row in figures.by_topic} == {
        "防范电信网络诈骗": (2, 10000),
        "征信知识": (1, 5000),
    }
    assert [(row["month"].month, row["events"]) for row in figures.by_month] == [(3, 2), (6, 1), (9, 2), (11, 1)]
    # 莱州农商行: organised and joined the 3·15 event (once) + one training; 泰和人寿 joined two events.
    assert {row["name"]: row["count"] for row in figures.participation} == {"莱州农商行": 2, "泰和人寿": 2}
    assert figures.training == [{"audience": "金融机构从业人员", "sessions": 1, "staff": 1}]


def test_grid_cells_without_an_event_this_year_are_listed(built, clerk_a):
    figures = period_figures(user=clerk_a, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))

    assert figures.coverage_year == 2025
    towns = {row["cell"].name: row for row in figures.coverage}
    assert set(towns) == {"沙河镇", "朱桥镇"}  # only Laizhou's grid
    assert towns["沙河镇"]["events"] == 4
    assert {cell.name: cell.events_this_year for cell in towns["沙河镇"]["children"]} == {"沙河村": 3, "路宿村": 0}
    assert figures.uncovered_count == 1


def test_institution_participation_for_other_apps(built, orgs):
    counts = institution_participation(orgs["laizhou"], dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert counts == {built["bank"].pk: 2, built["insurer"].pk: 2}
    # The branch above sees the same; the idle bank only appears in 2024.
    assert institution_participation(orgs["yantai"], dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == counts
    assert institution_participation(orgs["laizhou"], dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == {
        built["idle"].pk: 1
    }
    assert institution_participation(orgs["zhaoyuan"], dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == {}


def test_institution_participation_takes_three_queries(built, orgs, django_assert_num_queries):
    # Organisers of the events, partners of the events, training attendance.
    with django_assert_num_queries(3):
        institution_participation(orgs["laizhou"], dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_figures_page_shows_sentence_table_and_chart(built, client_for, clerk_a, django_assert_num_queries):
    client = client_for(clerk_a)
    client.get(reverse("outreach:figures"), YEAR_2025)  # warm the session
    # session, the user with roles and unit (one query), user and group permissions; the figures: totals, months,
    # campaigns, towns, cells, target groups, topics, grid coverage, organisers, partners, training attendance,
    # institution names, media works, media awards, training by audience; the navigation's notification bell.
    with django_assert_num_queries(20):
        response = client.get(reverse("outreach:figures"), YEAR_2025)

    body = response.content.decode()
    assert response.status_code == 200
    assert "4次集中宣传活动，累计覆盖两万余人" in body
    assert body.count("<svg") == 5
    assert "路宿村" in body and 'data-uncovered="1"' in body
    assert "莱州农商行" in body
    assert "7777" not in body  # Zhaoyuan's event


def test_figures_query_count_does_not_grow_with_data(built, client_for, clerk_a, make_event, orgs, grid, ref):
    client = client_for(clerk_a)
    client.get(reverse("outreach:figures"), YEAR_2025)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("outreach:figures"), YEAR_2025)
    for day in range(1, 11):
        make_event(
            org=orgs["laizhou"],
            held_on=dt.date(2025, 7, day),
            target_groups=[ref["youth"]],
            topics=[ref["credit"]],
            partners=[built["idle"]],
        )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("outreach:figures"), YEAR_2025)
    assert len(after) == len(before)


def test_reviewer_of_the_branch_sees_both_sub_bureaus(built, reviewer):
    figures = period_figures(user=reviewer, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert figures.totals["events"] == 7
    assert {row["cell"].name for row in figures.coverage} == {"沙河镇", "朱桥镇", "泉山街道"}


def test_other_sub_bureau_sees_only_its_own_figures(built, other_clerk):
    figures = period_figures(user=other_clerk, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert figures.totals["events"] == 1
    assert figures.totals["participants"] == 7777
    assert figures.participation == []
