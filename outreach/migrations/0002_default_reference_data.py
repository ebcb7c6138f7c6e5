"""Default outreach reference data (docs/domain.md, "宣传教育")."""

from django.db import migrations

# A frozen copy of outreach/reference_data.py as of this migration: a migration never imports
# live code (issue 14); what it wrote then must not change when those modules do.
BRANDS = [("掖邑金螺号", "莱州金融监管支局金融教育宣传品牌")]
CAMPAIGNS = [
    # name, kind, sort order
    ("3·15金融消费者权益保护教育宣传周", "key_date", 10),
    ("金融教育宣传周", "week", 20),
    ("普及金融知识万里行", "month", 30),
    ("防范非法集资宣传月", "month", 40),
    ("月季花节", "festival", 50),
    ("日常宣传", "daily", 90),
]
TOPICS = ["防范电信网络诈骗", "防范非法集资", "征信知识", "纠纷多元化解", "金融消费者八项权利", "反洗钱", "理性投资"]
TARGET_GROUPS = ["老年人", "青少年", "新市民", "农户", "企业", "残障人士"]
VENUE_TYPES = ["进农村", "进社区", "进校园", "进企业", "进商圈"]
SERIES = [("五大课堂", "own_staff"), ("技能快充站", "own_staff"), ("合规大讲堂", "institution")]


def ensure_defaults(apps):
    Brand = apps.get_model("outreach", "Brand")
    Campaign = apps.get_model("outreach", "Campaign")
    brand = None
    for name, description in BRANDS:
        brand, _ = Brand.objects.get_or_create(name=name, defaults={"description": description})
    for name, kind, order in CAMPAIGNS:
        Campaign.objects.get_or_create(name=name, defaults={"kind": kind, "sort_order": order, "brand": brand})
    for model, names in (("Topic", TOPICS), ("TargetGroup", TARGET_GROUPS), ("VenueType", VENUE_TYPES)):
        Model = apps.get_model("outreach", model)
        for order, name in enumerate(names, start=1):
            Model.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    TrainingSeries = apps.get_model("outreach", "TrainingSeries")
    for name, audience in SERIES:
        TrainingSeries.objects.get_or_create(name=name, defaults={"audience": audience})


def seed(apps, schema_editor):
    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
