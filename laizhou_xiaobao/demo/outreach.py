"""Demo outreach data for 莱州: the grid of towns and villages, three years of events, media works, training.

Names of towns are Laizhou's; villages, communities and grid officers are fictional. Idempotent: the grid is
matched by name, and records are added only when the unit has none yet.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core.models import User
from outreach import services
from outreach.models import (
    Brand,
    Campaign,
    Event,
    GridCell,
    MediaWork,
    TargetGroup,
    Topic,
    TrainingSeries,
    TrainingSession,
    VenueType,
)
from outreach.reference_data import ensure_defaults

# Town or street → villages and communities (fictional names below town level), each with a grid officer.
LAIZHOU_GRID = [
    ("文昌路街道", "street", "张海燕", [("府前社区", "community"), ("南关社区", "community"), ("东关村", "village")]),
    ("城港路街道", "street", "刘志强", [("海港社区", "community"), ("朱由村", "village"), ("西由村", "village")]),
    ("永安路街道", "street", "王丽君", [("永安社区", "community"), ("大官庄社区", "community")]),
    ("三山岛街道", "street", "于建军", [("三山岛村", "village"), ("过西村", "village"), ("石虎嘴村", "village")]),
    ("沙河镇", "town", "李春梅", [("沙河村", "village"), ("路宿村", "village"), ("沙河社区", "community")]),
    ("朱桥镇", "town", "孙国华", [("朱桥村", "village"), ("大朱石村", "village")]),
    ("金城镇", "town", "赵德明", [("金城村", "village"), ("凤毛寨村", "village"), ("海北嘴村", "village")]),
    ("土山镇", "town", "姜玉兰", [("土山村", "village"), ("海郑村", "village")]),
    ("平里店镇", "town", "曲振东", [("平里店村", "village"), ("吕村", "village")]),
]
ZHAOYUAN_GRID = [("泉山街道", "street", "杨文", [("金晖社区", "community")])]

OFFICERS = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]

# (month, day, campaign name, major, title pattern, venue type, people range)
EVENT_PLAN = [
    (3, 15, "3·15金融消费者权益保护教育宣传周", True, "“掖邑金螺号”3·15集中宣传（{place}）", "进商圈", (800, 2500)),
    (3, 18, "3·15金融消费者权益保护教育宣传周", False, "3·15金融知识进{place}", "进社区", (80, 300)),
    (5, 20, "月季花节", True, "月季花节金融知识宣传（{place}）", "进商圈", (1500, 4000)),
    (6, 12, "防范非法集资宣传月", False, "防范非法集资宣讲（{place}）", "进农村", (60, 200)),
    (9, 16, "金融教育宣传周", True, "金融教育宣传周启动仪式（{place}）", "进社区", (1000, 3000)),
    (9, 20, "金融教育宣传周", False, "金融知识进校园（{place}）", "进校园", (200, 600)),
    (10, 25, "普及金融知识万里行", True, "普及金融知识万里行（{place}）", "进企业", (600, 1800)),
    (11, 8, "日常宣传", False, "金融夜校（{place}）", "进农村", (30, 120)),
    (4, 10, "日常宣传", False, "防范电信诈骗小课堂（{place}）", "进社区", (40, 150)),
]


def _demo_photo(seed: int) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (30 + seed * 17 % 200, 80, 140))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 740, 540), outline=(255, 255, 255), width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_grid(org, grid) -> list[GridCell]:
    cells = []
    for order, (town_name, kind, officer, children) in enumerate(grid, start=1):
        town, _created = GridCell.objects.get_or_create(
            org=org,
            parent=None,
            name=town_name,
            defaults={"kind": kind, "officer": officer, "officer_phone": f"0535-22{order:05d}", "sort_order": order},
        )
        cells.append(town)
        for child_order, (name, child_kind) in enumerate(children, start=1):
            cell, _created = GridCell.objects.get_or_create(
                org=org,
                parent=town,
                name=name,
                defaults={
                    "kind": child_kind,
                    "officer": f"{OFFICERS[(order + child_order) % 10]}网格员",
                    "sort_order": child_order,
                },
            )
            cells.append(cell)
    return cells


def seed(*, orgs, cases=None, stdout=None):
    from institutions.models import Institution

    ensure_defaults()
    laizhou = orgs["laizhou"]
    cells = seed_grid(laizhou, LAIZHOU_GRID)
    if "zhaoyuan" in orgs:
        seed_grid(orgs["zhaoyuan"], ZHAOYUAN_GRID)
    if Event.objects.filter(org=laizhou).exists():
        return
    actor = User.objects.filter(username="lz_clerk_a").first()
    if actor is None:
        return
    staff = list(User.objects.filter(org=laizhou, username__in=["lz_clerk_a", "lz_clerk_b", "lz_supervisor"]))
    institutions = list(Institution.objects.filter(org=laizhou).order_by("pk"))
    campaigns = {c.name: c for c in Campaign.objects.all()}
    venues = {v.name: v for v in VenueType.objects.all()}
    topics = list(Topic.objects.all())
    groups = list(TargetGroup.objects.all())
    brand = Brand.objects.filter(name="掖邑金螺号").first()
    rng = random.Random(2026)  # nosec B311 # reproducible demo data, not a secret
    today = timezone.localdate()
    # Leave the last village of each of two towns without events this year, so the coverage report shows gaps.
    villages = [cell for cell in cells if cell.parent_id]
    count = 0
    with transaction.atomic():
        for year in (today.year - 2, today.year - 1, today.year):
            for index, (month, day, campaign, major, title, venue, (low, high)) in enumerate(EVENT_PLAN):
                held_on = dt.date(year, month, day)
                if held_on >= today:
                    continue  # only events already held: today's may not have started yet
                cell = villages[(index * 3 + year) % (len(villages) - 4)]
                place = cell.parent.name if major else cell.name
                participants = rng.randint(low, high)
                photos = [_demo_photo(count)] if major and year == today.year else []
                services.event_create(
                    actor=actor,
                    org=laizhou,
                    photos=photos,
                    data={
                        "title": title.format(place=place),
                        "brand": brand,
                        "campaign": campaigns[campaign],
                        "is_major": major,
                        "held_on": held_on,
                        "starts_at": dt.time(9, 0),
                        "ends_at": dt.time(11, 30),
                        "grid_cell": cell.parent if major else cell,
                        "venue_type": venues[venue],
                        "venue": f"{place}文化广场" if major else f"{cell.name}党群服务中心",
                        "other_partners": f"{cell.name}村（居）委会",
                        "participants": participants,
                        "materials_handed_out": participants * 2,
                        "online_reach": participants * 3 if major else 0,
                        "questions_answered": participants // 10,
                        "summary": "现场设置咨询台，发放宣传折页，讲解典型案例。",
                        "organisers": institutions[index % len(institutions) : index % len(institutions) + 1],
                        "partners": rng.sample(institutions, k=min(3, len(institutions))),
                        "target_groups": rng.sample(groups, k=2),
                        "topics": rng.sample(topics, k=2),
                        "staff_present": staff[:2],
                    },
                )
                count += 1
        for year in (today.year - 1, today.year):
            published = dt.date(year, 3, 10)
            if published > today:
                continue
            work = services.media_work_save(
                actor=actor,
                org=laizhou,
                data={
                    "title": f"{year}年“掖邑金螺号”防诈短视频《守好钱袋子》",
                    "kind": MediaWork.Kind.VIDEO,
                    "published_on": published,
                    "channel": "微信视频号",
                    "views": rng.randint(3000, 30000),
                    "campaign": campaigns["3·15金融消费者权益保护教育宣传周"],
                    "topics": topics[:1],
                },
            )
            if published + dt.timedelta(days=60) < today:
                services.media_award_add(
                    actor=actor,
                    work=work,
                    name="金融知识短视频征集优秀作品",
                    level="prefecture",
                    issuer="烟台金融监管分局",
                    awarded_on=published + dt.timedelta(days=60),
                )
        series = {s.name: s for s in TrainingSeries.objects.all()}
        for year in (today.year - 1, today.year):
            for month, name, audience, topic in (
                (4, "合规大讲堂", "institution", "银行保险机构消费者权益保护审查"),
                (7, "五大课堂", "own_staff", "信访工作条例解读"),
            ):
                held_on = dt.date(year, month, 18)
                if held_on >= today:
                    continue
                services.training_save(
                    actor=actor,
                    org=laizhou,
                    data={
                        "audience": audience,
                        "series": series.get(name),
                        "topic": topic,
                        "speaker": "孙海涛",
                        "held_on": held_on,
                        "venue": "支局三楼会议室",
                        "institution_attendees": 40 if audience == "institution" else 0,
                        "materials": "课件（PDF）\n典型案例汇编",
                        "attendee_users": staff if audience == "own_staff" else [],
                        "attendee_institutions": institutions if audience == "institution" else [],
                    },
                )
    if stdout is not None:
        stdout.write(
            f"宣传教育：网格 {len(cells)} 个，宣传活动 {count} 次，"
            f"作品 {MediaWork.objects.filter(org=laizhou).count()} 件，"
            f"培训 {TrainingSession.objects.filter(org=laizhou).count()} 期"
        )
