"""Every outreach page: anonymous → login, the other sub-bureau → 404, the mediator → 403, the reviewer reads only."""

import datetime as dt

import pytest
from django.urls import reverse

from outreach.models import EventPhoto, MediaWork, TrainingSession
from outreach.services import event_photo_add

from .conftest import event_post_data, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(orgs, make_event, clerk_a):
    laizhou = orgs["laizhou"]
    event = make_event(org=laizhou)
    event_photo_add(actor=clerk_a, event=event, uploads=[image_upload()])
    work = MediaWork.objects.create(org=laizhou, title="防诈短视频", published_on=dt.date(2025, 3, 1), channel="视频号")
    training = TrainingSession.objects.create(
        org=laizhou, audience="own_staff", topic="信访条例", speaker="孙海涛", held_on=dt.date(2025, 4, 1)
    )
    return {"event": event, "photo": EventPhoto.objects.get(), "work": work, "training": training}


def _object_urls(records):
    return [
        reverse("outreach:event_detail", args=[records["event"].pk]),
        reverse("outreach:event_edit", args=[records["event"].pk]),
        reverse("outreach:photo_file", args=[records["photo"].pk, "thumb"]),
        reverse("outreach:photo_file", args=[records["photo"].pk, "original"]),
        reverse("outreach:media_detail", args=[records["work"].pk]),
        reverse("outreach:media_edit", args=[records["work"].pk]),
        reverse("outreach:training_detail", args=[records["training"].pk]),
        reverse("outreach:training_edit", args=[records["training"].pk]),
    ]


LIST_URLS = [
    "outreach:index",
    "outreach:calendar",
    "outreach:figures",
    "outreach:figures_export",
    "outreach:media_list",
    "outreach:training_list",
    "outreach:event_create",
    "outreach:media_create",
    "outreach:training_create",
]


def test_anonymous_is_sent_to_login(client, records):
    for url in [reverse(name) for name in LIST_URLS] + _object_urls(records):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_other_sub_bureau_gets_404_for_every_record(client_for, other_clerk, records):
    client = client_for(other_clerk)
    for url in _object_urls(records):
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("outreach:photo_upload", args=[records["event"].pk]),
        reverse("outreach:photo_delete", args=[records["photo"].pk]),
        reverse("outreach:media_award_add", args=[records["work"].pk]),
    ]
    for url in posts:
        assert client.post(url, {}).status_code == 404, url
    assert EventPhoto.objects.exists()


def test_other_sub_bureau_does_not_see_records_in_lists(client_for, other_clerk, records):
    client = client_for(other_clerk)
    assert records["event"].title not in client.get(reverse("outreach:index"), {"year": 2025}).content.decode()
    assert "防诈短视频" not in client.get(reverse("outreach:media_list")).content.decode()
    assert "信访条例" not in client.get(reverse("outreach:training_list")).content.decode()
    calendar = client.get(reverse("outreach:calendar"), {"month": "2025-06"}).content.decode()
    assert records["event"].title not in calendar


def test_other_sub_bureau_cannot_pick_our_grid_cell(client_for, other_clerk, ref, grid):
    response = client_for(other_clerk).post(reverse("outreach:event_create"), event_post_data(ref, grid))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_mediator_has_no_access(client_for, mediator, records):
    client = client_for(mediator)
    for url in [reverse(name) for name in LIST_URLS]:
        assert client.get(url).status_code == 403, url


def test_reviewer_reads_but_does_not_record(client_for, reviewer, records):
    client = client_for(reviewer)
    assert client.get(reverse("outreach:event_detail", args=[records["event"].pk])).status_code == 200
    assert client.get(reverse("outreach:photo_file", args=[records["photo"].pk, "thumb"])).status_code == 200
    assert client.get(reverse("outreach:figures")).status_code == 200
    assert client.get(reverse("outreach:media_detail", args=[records["work"].pk])).status_code == 200
    for name in ("outreach:event_create", "outreach:media_create", "outreach:training_create"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("outreach:event_edit", args=[records["event"].pk])).status_code == 403
    assert client.post(reverse("outreach:photo_delete", args=[records["photo"].pk])).status_code == 403
    body = client.get(reverse("outreach:index")).content.decode()
    assert "登记宣传活动" not in body


def test_clerk_b_of_the_same_unit_may_delete_a_photo(
    client_for, clerk_b, records, private_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(clerk_b).post(reverse("outreach:photo_delete", args=[records["photo"].pk]))
    assert not EventPhoto.objects.exists()
    assert [p for p in private_files.rglob("*") if p.is_file()] == []


def test_unknown_photo_size_is_404(client_for, clerk_a, records):
    url = reverse("outreach:photo_file", args=[records["photo"].pk, "huge"])
    assert client_for(clerk_a).get(url).status_code == 404


def test_landing_page_lists_and_filters_events(
    client_for, clerk_a, orgs, make_event, grid, ref, django_assert_num_queries
):
    make_event(org=orgs["laizhou"], title="沙河防诈宣传", topics=[ref["fraud"]], held_on=dt.date(2025, 3, 1))
    make_event(
        org=orgs["laizhou"], title="朱桥征信宣传", grid_cell=grid["zhuqiao_village"], held_on=dt.date(2025, 4, 1)
    )
    client = client_for(clerk_a)
    client.get(reverse("outreach:index"))
    # session, the user with roles and unit (one query), user and group permissions, the chosen town, the count,
    # the notification bell, the filter form's choices (campaigns, towns, venue types, topics, target
    # groups) and the page of events with campaign, cell, town and venue joined.
    with django_assert_num_queries(13):
        response = client.get(reverse("outreach:index"), {"town": grid["zhuqiao"].pk})
    body = response.content.decode()
    assert "朱桥征信宣传" in body and "沙河防诈宣传" not in body
    body = client.get(reverse("outreach:index"), {"topic": ref["fraud"].pk}).content.decode()
    assert "沙河防诈宣传" in body and "朱桥征信宣传" not in body
    assert reverse("outreach:figures") in body and reverse("outreach:calendar") in body


def test_calendar_shows_the_month(client_for, clerk_a, orgs, make_event):
    make_event(org=orgs["laizhou"], title="月季花节宣传", held_on=dt.date(2025, 5, 20))
    body = client_for(clerk_a).get(reverse("outreach:calendar"), {"month": "2025-05"}).content.decode()
    assert "2025年5月" in body and "月季花节宣传" in body
    assert "?month=2025-04" in body and "?month=2025-06" in body
    other = client_for(clerk_a).get(reverse("outreach:calendar"), {"month": "2025-07"}).content.decode()
    assert "月季花节宣传" not in other


def test_reference_data_is_in_the_admin_with_chinese_names(client_for, administrator, records, grid):
    client = client_for(administrator)
    index = client.get(reverse("admin:index")).content.decode()
    for name in ("宣传品牌", "宣传活动类别", "宣传主题", "宣传对象", "场所类型（五进）", "宣传网格", "培训系列"):
        assert name in index, name
    for model in ("brand", "campaign", "topic", "targetgroup", "venuetype", "gridcell", "trainingseries", "event"):
        assert client.get(reverse(f"admin:outreach_{model}_changelist")).status_code == 200, model
    town = client.get(reverse("admin:outreach_gridcell_change", args=[grid["shahe"].pk])).content.decode()
    assert "沙河村" in town  # villages are edited inline under their town
    # Events are recorded through the outreach pages, where dates, counts and photos are checked.
    assert client.get(reverse("admin:outreach_event_add")).status_code == 403
