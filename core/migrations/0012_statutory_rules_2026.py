"""The deadline rules checked against the legal texts (docs/domain.md「期限规则」).

C-FWD becomes 7 working days (投诉办法第三十三条), the citations get their correct titles and articles, C-INST starts
at the institution's 签收, and P-SUGGEST, P-REVIEW, C-CHECK and M-ENTRUST are added. A field is changed only where
it still holds the value the product seeded: an administrator's own value is kept. Each changed rule gets a history
row, so the rule's page says when and why it changed. Deadlines already running keep the days and counting they
were computed with (`Deadline.rule_days`, `rule_count_kind`); the admin lists those made under an older rule.

The data is written out here, not imported: a migration must not change when the code does.
"""

from django.db import migrations
from django.utils import timezone

REASON = "期限规则与法规核对（迁移 core 0012）"
FIELDS = (
    "name",
    "days",
    "count_kind",
    "clock_start",
    "max_extension_days",
    "extension_approver",
    "legal_source",
    "is_configurable_default",
)

# code: {field: (the seeded value, the corrected value)}
CORRECTIONS = {
    "P-ACK": {
        "legal_source": ("《信访工作条例》第二十二条", "《信访工作条例》第二十三条"),
        "is_configurable_default": (True, False),
    },
    "P-OBJ": {"legal_source": ("《信访工作条例》（2022）", "《信访工作条例》第二十三条第三款")},
    "P-REPLY": {
        "legal_source": ("《信访工作条例》第三十二条", "《信访工作条例》第三十四条"),
        "is_configurable_default": (True, False),
    },
    "C-FWD": {
        "name": ("投诉：转送被投诉机构", "投诉：转送被投诉机构并告知投诉人"),
        "days": (5, 7),
        "legal_source": ("《银行保险机构消费投诉处理管理办法》", "《银行业保险业消费投诉处理管理办法》第三十三条"),
        "is_configurable_default": (True, False),
    },
    "C-INST": {
        "clock_start": ("转送机构", "机构收到投诉（签收）"),
        "extension_approver": ("机构负责人", "复杂的机构负责人；特别复杂的上级机构或总行、总公司高级管理人员"),
        "legal_source": (
            "《银行保险机构消费投诉处理管理办法》第二十条（复杂的可延长至30日，特别复杂的再延长30日）",
            "《银行业保险业消费投诉处理管理办法》第十八条（复杂的延长至30日，特别复杂的延长至60日）、"
            "第二十三条（鉴定、检测、评估和调解的时间不计入）",
        ),
        "is_configurable_default": (True, False),
    },
    "M-ADR": {"legal_source": ("《人民调解法》及调解规则", "法律未规定（工作站调解规则）")},
    "M-COURT": {
        "name": ("调解：法院诉前委派调解", "调解：法院立案前委派调解"),
        "legal_source": ("最高人民法院关于诉前调解的规定", "《最高人民法院关于人民法院特邀调解的规定》第二十七条"),
        "is_configurable_default": (True, False),
    },
    "M-CONF": {
        "legal_source": ("《民事诉讼法》第二百零五条", "《中华人民共和国民事诉讼法》第二百零五条"),
        "is_configurable_default": (True, False),
    },
}

NEW_RULES = {
    "P-SUGGEST": dict(
        name="信访（建议意见、检举控告）：答复办理结果",
        days=60,
        count_kind="calendar",
        clock_start="受理",
        max_extension_days=30,
        extension_approver="支局负责人",
        legal_source="《信访工作条例》第二十九条、第三十条",
        is_configurable_default=True,
    ),
    "P-REVIEW": dict(
        name="信访：复查、复核机关作出决定",
        days=30,
        count_kind="calendar",
        clock_start="收到复查/复核请求",
        max_extension_days=0,
        extension_approver="",
        legal_source="《信访工作条例》第三十五条、第三十六条",
        is_configurable_default=False,
    ),
    "C-CHECK": dict(
        name="投诉：机构上级机构核查",
        days=30,
        count_kind="calendar",
        clock_start="收到核查申请",
        max_extension_days=0,
        extension_approver="",
        legal_source="《银行业保险业消费投诉处理管理办法》第二十条",
        is_configurable_default=False,
    ),
    "M-ENTRUST": dict(
        name="调解：法院立案后委托调解",
        days=15,
        count_kind="calendar",
        clock_start="调解员签收材料",
        max_extension_days=30,
        extension_approver="双方当事人同意",
        legal_source="《最高人民法院关于人民法院特邀调解的规定》第二十七条（适用简易程序的为7日）",
        is_configurable_default=False,
    ),
}


def _record_history(apps, rule, history_type):
    historical = apps.get_model("core", "HistoricalDeadlineRule")
    historical.objects.create(
        id=rule.pk,
        code=rule.code,
        active=rule.active,
        history_date=timezone.now(),
        history_type=history_type,
        history_change_reason=REASON,
        **{field: getattr(rule, field) for field in FIELDS},
    )


def correct_rules(apps, schema_editor):
    rule_model = apps.get_model("core", "DeadlineRule")
    for code, changes in CORRECTIONS.items():
        rule = rule_model.objects.filter(code=code).first()
        if rule is None:
            continue
        changed = False
        for field, (seeded, corrected) in changes.items():
            if getattr(rule, field) == seeded:  # an administrator's own value stays
                setattr(rule, field, corrected)
                changed = True
        if changed:
            rule.save()
            _record_history(apps, rule, "~")
    for code, values in NEW_RULES.items():
        rule, created = rule_model.objects.get_or_create(code=code, defaults=values)
        if created:
            _record_history(apps, rule, "+")


def restore_rules(apps, schema_editor):
    rule_model = apps.get_model("core", "DeadlineRule")
    deadline_model = apps.get_model("core", "Deadline")
    for code, changes in CORRECTIONS.items():
        rule = rule_model.objects.filter(code=code).first()
        if rule is None:
            continue
        for field, (seeded, corrected) in changes.items():
            if getattr(rule, field) == corrected:
                setattr(rule, field, seeded)
        rule.save()
    for code in NEW_RULES:
        if not deadline_model.objects.filter(rule__code=code).exists():
            rule_model.objects.filter(code=code).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0011_deadline_institution_id")]

    operations = [migrations.RunPython(correct_rules, restore_rules)]
