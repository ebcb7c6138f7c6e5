import datetime as dt

import pytest
from django.urls import reverse

from outreach.models import MediaAward, MediaWork, TrainingSeries, TrainingSession
from tests.factories import make_institution

pytestmark = pytest.mark.django_db


def test_media_work_with_an_award(client_for, clerk_a):
    client = client_for(clerk_a)
    response = client.post(
        reverse("outreach:media_create"),
        {
            "title": "《守好钱袋子》防诈短视频",
            "kind": "video",
            "published_on": "2025-03-10",
            "channel": "微信视频号",
            "url": "https://example.invalid/v/1",
            "views": "12800",
        },
    )
    work = MediaWork.objects.get()
    assert response["Location"] == reverse("outreach:media_detail", args=[work.pk])
    assert work.org == clerk_a.org

    client.post(
        reverse("outreach:media_award_add", args=[work.pk]),
        {"name": "优秀金融知识短视频", "level": "prefecture", "issuer": "烟台金融监管分局", "awarded_on": "2025-06-01"},
    )
    award = MediaAward.objects.get()
    assert award.get_level_display() == "市级"
    body = client.get(reverse("outreach:media_detail", args=[work.pk])).content.decode()
    assert "优秀金融知识短视频" in body and "烟台金融监管分局" in body


def test_media_views_not_negative_and_award_not_before_publication(client_for, clerk_a):
    client = client_for(clerk_a)
    response = client.post(
        reverse("outreach:media_create"),
        {"title": "x", "kind": "video", "published_on": "2025-03-10", "channel": "抖音", "views": "-3"},
    )
    assert "浏览/播放量不能为负数。" in response.content.decode()
    assert not MediaWork.objects.exists()

    work = MediaWork.objects.create(org=clerk_a.org, title="y", published_on=dt.date(2025, 3, 10), channel="抖音")
    response = client.post(
        reverse("outreach:media_award_add", args=[work.pk]),
        {"name": "奖", "level": "county", "issuer": "县委宣传部", "awarded_on": "2025-01-01"},
        follow=True,
    )
    assert "获奖日期不能早于作品发布日期。" in response.content.decode()
    assert not MediaAward.objects.exists()


def test_training_for_institution_staff_counts_as_participation(client_for, clerk_a, clerk_b, orgs):
    bank = make_institution(org=orgs["laizhou"], short_name="莱州农商行")
    series = TrainingSeries.objects.get(name="合规大讲堂")
    client = client_for(clerk_a)

    response = client.post(
        reverse("outreach:training_create"),
        {
            "audience": "institution",
            "series": series.pk,
            "topic": "适当性管理",
            "speaker": "孙海涛",
            "held_on": "2025-04-18",
            "venue": "支局会议室",
            "attendee_users": [clerk_b.pk],
            "attendee_institutions": [bank.pk],
            "institution_attendees": "35",
            "materials": "课件",
        },
    )

    session = TrainingSession.objects.get()
    assert response["Location"] == reverse("outreach:training_detail", args=[session.pk])
    assert list(session.attendee_institutions.all()) == [bank]
    assert list(session.attendee_users.all()) == [clerk_b]
    from outreach.selectors import institution_participation

    assert institution_participation(orgs["laizhou"], dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == {bank.pk: 1}
    listing = client.get(reverse("outreach:training_list")).content.decode()
    assert "适当性管理" in listing and "合规大讲堂" in listing


def test_training_refuses_negative_attendees_and_dates_out_of_range(client_for, clerk_a):
    response = client_for(clerk_a).post(
        reverse("outreach:training_create"),
        {
            "audience": "own_staff",
            "topic": "t",
            "speaker": "s",
            "held_on": "2001-01-01",
            "institution_attendees": "-2",
        },
    )
    body = response.content.decode()
    assert "机构参训人数不能为负数。" in body
    assert not TrainingSession.objects.exists()

    response = client_for(clerk_a).post(
        reverse("outreach:training_create"),
        {"audience": "own_staff", "topic": "t", "speaker": "s", "held_on": "2001-01-01", "institution_attendees": "0"},
    )
    assert "培训日期须在 2015-01-01 至" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_training_edit_saves_changes(client_for, clerk_a, orgs):
    session = TrainingSession.objects.create(
        org=orgs["laizhou"], audience="own_staff", topic="旧题", speaker="甲", held_on=dt.date(2025, 4, 1)
    )
    client_for(clerk_a).post(
        reverse("outreach:training_edit", args=[session.pk]),
        {
            "audience": "own_staff",
            "topic": "新题",
            "speaker": "甲",
            "held_on": "2025-04-01",
            "institution_attendees": "0",
        },
    )
    session.refresh_from_db()
    assert session.topic == "新题"
