from django.db import migrations

# A frozen copy of institutions/reference_data.py and institutions/schedules.py as of this migration: a migration never imports
# live code (issue 14); what it wrote then must not change when those modules do.
INTERVIEW_TRIGGER_RULES = [
    # code, name, kind, threshold, minimum base, note
    ("complaints-10", "季度投诉量达到10件", "complaints", 10, 0, "同一机构一个季度内的信访投诉件（不含重复件）"),
    ("rise-50", "投诉量环比上升50%以上", "rise", 50, 4, "上季度不少于4件时才比较"),
    ("substantiated-report", "举报查实", "substantiated_report", 1, 0, "本季度受理的举报经调查查实或部分查实"),
    ("overdue-forwards-2", "转办投诉超期反馈2件以上", "overdue_forwards", 2, 0, "机构超过期限反馈处理结果"),
]

LIST_SUGGESTION_RULES = [
    # code, name, kind, polarity, element, threshold, minimum base, template
    (
        "neg-complaints",
        "投诉量较多",
        "complaints",
        "negative",
        "disputes",
        5,
        0,
        "本季度被投诉{value}件，达到{threshold}件的关注线。",
    ),
    (
        "neg-per-outlet",
        "网点平均投诉量较高",
        "complaints_per_outlet",
        "negative",
        "service",
        2,
        0,
        "本季度网点平均投诉{value}件，达到{threshold}件的关注线。",
    ),
    (
        "neg-growth",
        "投诉量环比明显上升",
        "growth",
        "negative",
        "disputes",
        50,
        3,
        "本季度投诉量环比上升{value}%，达到{threshold}%的关注线。",
    ),
    (
        "neg-late-forwards",
        "转办投诉超期反馈",
        "late_forwards",
        "negative",
        "disputes",
        1,
        0,
        "本季度有{value}件转办投诉未按期反馈处理结果。",
    ),
    (
        "neg-repeat",
        "重复投诉或群体投诉",
        "repeat",
        "negative",
        "disputes",
        2,
        0,
        "本季度出现重复投诉或群体投诉{value}件。",
    ),
    (
        "neg-substantiated",
        "举报查实",
        "substantiated",
        "negative",
        "marketing",
        1,
        0,
        "本季度有{value}件举报经调查查实或部分查实。",
    ),
    (
        "neg-interview",
        "约谈整改未按期完成",
        "interview_not_rectified",
        "negative",
        "governance",
        1,
        0,
        "约谈督导提出的整改事项有{value}项未按期完成。",
    ),
    (
        "pos-no-complaints",
        "本季度无投诉",
        "no_complaints",
        "positive",
        "service",
        0,
        0,
        "本季度未发生信访投诉。",
    ),
    (
        "pos-forwards-on-time",
        "转办投诉全部按期反馈",
        "forwards_on_time",
        "positive",
        "disputes",
        1,
        0,
        "本季度{value}件转办投诉全部按期反馈处理结果。",
    ),
    (
        "pos-mediation",
        "积极配合纠纷调解",
        "mediation",
        "positive",
        "disputes",
        1,
        0,
        "本季度配合“莱和州安”调解工作站化解纠纷{value}件。",
    ),
    (
        "pos-outreach",
        "积极参与金融教育宣传",
        "outreach",
        "positive",
        "education",
        1,
        0,
        "本季度参与“掖邑金螺号”宣传教育及培训活动{value}次。",
    ),
]

QUARTERLY_LIST_TASK_NAME = "正负面清单：季度首个工作日起草上季度清单"
QUARTERLY_LIST_TASK = "institutions.tasks.draft_quarterly_lists"


def ensure_default_rules(interview_rule_model, list_rule_model):
    for code, name, kind, threshold, base, note in INTERVIEW_TRIGGER_RULES:
        if not interview_rule_model.objects.filter(code=code).exists():
            interview_rule_model.objects.create(
                code=code, name=name, kind=kind, threshold=threshold, minimum_base=base, note=note
            )
    for code, name, kind, polarity, element, threshold, base, template in LIST_SUGGESTION_RULES:
        if not list_rule_model.objects.filter(code=code).exists():
            list_rule_model.objects.create(
                code=code,
                name=name,
                kind=kind,
                polarity=polarity,
                element=element,
                threshold=threshold,
                minimum_base=base,
                template=template,
            )


def setup_schedules(crontab_model, periodic_task_model):
    if periodic_task_model.objects.filter(name=QUARTERLY_LIST_TASK_NAME).exists():
        return
    schedule, _created = crontab_model.objects.get_or_create(
        minute="30",
        hour="7",
        day_of_week="*",
        day_of_month="1-15",
        month_of_year="1,4,7,10",
        timezone="Asia/Shanghai",
    )
    periodic_task_model.objects.create(
        name=QUARTERLY_LIST_TASK_NAME,
        task=QUARTERLY_LIST_TASK,
        crontab=schedule,
        description="每季度第一个工作日为各支局起草上一季度的正负面清单并通知支局负责人。",
    )


def forwards(apps, schema_editor):
    ensure_default_rules(apps.get_model("institutions", "InterviewTriggerRule"), apps.get_model("institutions", "ListSuggestionRule"))
    setup_schedules(apps.get_model("django_celery_beat", "CrontabSchedule"), apps.get_model("django_celery_beat", "PeriodicTask"))


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0002_interviews_surveys_lists"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
