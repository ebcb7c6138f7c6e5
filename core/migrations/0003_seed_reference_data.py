from django.db import migrations

# A frozen copy of core/reference_data.py as of this migration: a migration never imports
# live code (issue 14); what it wrote then must not change when those modules do.
DEADLINE_RULES = [
    # code, name, days, kind, clock start, max extension, approver, legal source, configurable default
    (
        "P-ACK",
        "信访：书面告知受理及办理途径",
        15,
        "calendar",
        "收到信访事项",
        0,
        "",
        "《信访工作条例》第二十二条",
        True,
    ),
    (
        "P-OBJ",
        "信访：非本机关职责的交办件提出异议",
        5,
        "working",
        "收到信访事项",
        0,
        "",
        "《信访工作条例》（2022）",
        False,
    ),
    (
        "P-REPLY",
        "信访（申诉求决）：出具信访处理意见书",
        60,
        "calendar",
        "受理",
        30,
        "支局负责人",
        "《信访工作条例》第三十二条",
        True,
    ),
    (
        "R-ACK",
        "举报：决定是否受理并告知举报人",
        15,
        "calendar",
        "收到完整举报材料",
        0,
        "",
        "《银行保险违法行为举报处理办法》",
        True,
    ),
    (
        "R-FIND",
        "举报：作出调查结论并告知",
        60,
        "calendar",
        "受理",
        30,
        "支局负责人",
        "《银行保险违法行为举报处理办法》",
        True,
    ),
    ("C-FWD", "投诉：转送被投诉机构", 5, "working", "收到投诉", 0, "", "《银行保险机构消费投诉处理管理办法》", True),
    (
        "C-INST",
        "投诉：机构作出处理决定并告知投诉人",
        15,
        "calendar",
        "转送机构",
        45,
        "机构负责人",
        "《银行保险机构消费投诉处理管理办法》第二十条（复杂的可延长至30日，特别复杂的再延长30日）",
        True,
    ),
    (
        "M-ADR",
        "调解：工作站自行受理的调解",
        30,
        "calendar",
        "受理调解",
        30,
        "双方当事人同意",
        "《人民调解法》及调解规则",
        True,
    ),
    (
        "M-COURT",
        "调解：法院诉前委派调解",
        30,
        "calendar",
        "调解员签收材料",
        30,
        "双方当事人同意",
        "最高人民法院关于诉前调解的规定",
        True,
    ),
    ("M-CONF", "调解：申请司法确认", 30, "calendar", "调解协议生效", 0, "", "《民事诉讼法》第二百零五条", True),
]

CATEGORIES = {
    "institution_type": [
        ("BANK-STATE", "国有大型银行"),
        ("BANK-JOINT", "股份制银行"),
        ("BANK-CITY", "城商行"),
        ("BANK-RURAL", "农商行/农村中小金融机构"),
        ("BANK-VILLAGE", "村镇银行"),
        ("BANK-FOREIGN", "外资银行"),
        ("INS-LIFE", "人身险"),
        ("INS-PROP", "财产险"),
        ("OTHER", "其他"),
    ],
    "business": [
        ("CARD", "银行卡"),
        ("LOAN", "贷款"),
        ("WEALTH", "理财"),
        ("PAYMENT", "支付结算"),
        ("SAVINGS", "储蓄"),
        ("PERSONAL-INFO", "个人金融信息"),
        ("CORPORATE", "对公业务"),
        ("SALES", "保险销售"),
        ("SURRENDER", "退保"),
        ("CLAIM", "理赔"),
        ("RENEWAL", "续保"),
        ("OTHER", "其他"),
    ],
    "cause": [
        ("SERVICE", "服务态度及质量"),
        ("MARKETING", "营销方式"),
        ("DISCLOSURE", "信息披露"),
        ("CONTRACT", "合同条款"),
        ("FUNDS", "资金安全"),
        ("INFOSEC", "信息安全"),
        ("OTHER", "其他"),
    ],
}


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("core", "DeadlineRule")
    Category = apps.get_model("core", "Category")
    for code, name, days, kind, start, max_ext, approver, source, configurable in DEADLINE_RULES:
        DeadlineRule.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name, days=days, count_kind=kind, clock_start=start, max_extension_days=max_ext,
                extension_approver=approver, legal_source=source, is_configurable_default=configurable,
            ),
        )
    for kind, entries in CATEGORIES.items():
        for order, (code, name) in enumerate(entries):
            Category.objects.get_or_create(kind=kind, code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
