"""Outreach fixtures: private files in a temporary folder, a small grid, reference data, an event builder."""

import datetime as dt
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from outreach.models import Campaign, Event, GridCell, TargetGroup, Topic, VenueType

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _private_files(private_files):
    """Photos, thumbnails and exports go to the test's own folder (tests/conftest.py)."""


@pytest.fixture
def grid(orgs):
    """沙河镇 with two villages and 朱桥镇 with one, for Laizhou; 泉山街道 for Zhaoyuan."""
    laizhou, zhaoyuan = orgs["laizhou"], orgs["zhaoyuan"]
    shahe = GridCell.objects.create(org=laizhou, kind=GridCell.Kind.TOWN, name="沙河镇", officer="李春梅", sort_order=1)
    zhuqiao = GridCell.objects.create(
        org=laizhou, kind=GridCell.Kind.TOWN, name="朱桥镇", officer="孙国华", sort_order=2
    )
    return {
        "shahe": shahe,
        "shahe_village": GridCell.objects.create(
            org=laizhou, parent=shahe, kind=GridCell.Kind.VILLAGE, name="沙河村", officer="王网格员"
        ),
        "lusu": GridCell.objects.create(org=laizhou, parent=shahe, kind=GridCell.Kind.VILLAGE, name="路宿村"),
        "zhuqiao": zhuqiao,
        "zhuqiao_village": GridCell.objects.create(
            org=laizhou, parent=zhuqiao, kind=GridCell.Kind.VILLAGE, name="朱桥村"
        ),
        "quanshan": GridCell.objects.create(org=zhaoyuan, kind=GridCell.Kind.STREET, name="泉山街道"),
    }


@pytest.fixture
def ref(base_data):
    """The default reference data the migration installed (put back by base_data after a transactional test)."""
    return {
        "campaign_315": Campaign.objects.get(name="3·15金融消费者权益保护教育宣传周"),
        "campaign_week": Campaign.objects.get(name="金融教育宣传周"),
        "campaign_daily": Campaign.objects.get(name="日常宣传"),
        "rural": VenueType.objects.get(name="进农村"),
        "community": VenueType.objects.get(name="进社区"),
        "elderly": TargetGroup.objects.get(name="老年人"),
        "youth": TargetGroup.objects.get(name="青少年"),
        "fraud": Topic.objects.get(name="防范电信网络诈骗"),
        "credit": Topic.objects.get(name="征信知识"),
    }


@pytest.fixture
def make_event(ref, grid):
    """Build an event directly (the service is tested separately): `make_event(org=..., **fields)`."""

    def build(*, org, target_groups=(), topics=(), organisers=(), partners=(), **fields):
        values = {
            "title": f"测试宣传活动{next(_counter)}",
            "campaign": ref["campaign_daily"],
            "held_on": dt.date(2025, 6, 1),
            "grid_cell": grid["shahe_village"],
            "venue_type": ref["rural"],
            "participants": 100,
        }
        values.update(fields)
        event = Event.objects.create(org=org, **values)
        event.target_groups.set(target_groups)
        event.topics.set(topics)
        event.organisers.set(organisers)
        event.partners.set(partners)
        return event

    return build


def image_upload(name="photo.jpg", *, size=(640, 480), image_format="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 60, 60)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def event_post_data(ref, grid, **overrides) -> dict:
    data = {
        "title": "3·15金融知识进沙河",
        "campaign": ref["campaign_315"].pk,
        "is_major": "on",
        "held_on": "2025-03-15",
        "starts_at": "09:00",
        "ends_at": "11:30",
        "grid_cell": grid["shahe_village"].pk,
        "grid_officer": "",
        "venue_type": ref["rural"].pk,
        "venue": "沙河村文化广场",
        "other_partners": "沙河村村委会",
        "target_groups": [ref["elderly"].pk],
        "topics": [ref["fraud"].pk],
        "participants": "320",
        "materials_handed_out": "600",
        "online_reach": "1500",
        "questions_answered": "45",
        "summary": "现场讲解防诈案例。",
    }
    data.update(overrides)
    return data
