"""Court mediation extended by the parties' consent has no cap (docs/domain.md「纠纷调解」).

`DeadlineRule.max_extension_days` may be empty: no cap on the total (0 still means no extension at all). M-COURT and
M-ENTRUST lose the 30-day cap they were seeded with, where that value is still the seeded one; each changed rule
gets a history row. The data is written out here, not imported: a migration must not change when the code does.
"""

from django.db import migrations, models
from django.utils import timezone

REASON = "法院委派、委托调解经双方同意延长不设上限（迁移 core 0017）"
# code: (the seeded cap, the seeded approver, the corrected approver)
UNCAPPED = {
    "M-COURT": (30, "双方当事人同意", "双方当事人同意（不设上限）"),
    "M-ENTRUST": (30, "双方当事人同意", "双方当事人同意（不设上限）"),
}
HISTORY_FIELDS = (
    "name",
    "days",
    "count_kind",
    "clock_start",
    "max_extension_days",
    "extension_approver",
    "legal_source",
    "is_configurable_default",
    "active",
)


def uncap(apps, schema_editor):
    rule_model = apps.get_model("core", "DeadlineRule")
    historical = apps.get_model("core", "HistoricalDeadlineRule")
    for code, (cap, approver, corrected) in UNCAPPED.items():
        rule = rule_model.objects.filter(code=code, max_extension_days=cap).first()
        if rule is None:  # an administrator's own cap stays
            continue
        rule.max_extension_days = None
        if rule.extension_approver == approver:
            rule.extension_approver = corrected
        rule.save()
        historical.objects.create(
            id=rule.pk,
            code=rule.code,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=REASON,
            **{field: getattr(rule, field) for field in HISTORY_FIELDS},
        )


def cap_again(apps, schema_editor):
    rule_model = apps.get_model("core", "DeadlineRule")
    for code, (cap, approver, corrected) in UNCAPPED.items():
        for rule in rule_model.objects.filter(code=code, max_extension_days__isnull=True):
            rule.max_extension_days = cap
            if rule.extension_approver == corrected:
                rule.extension_approver = approver
            rule.save()


def _field():
    return models.PositiveSmallIntegerField(
        blank=True,
        default=0,
        help_text="留空表示不设上限；0 表示不得延期。",
        null=True,
        verbose_name="最长延期天数",
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0016_audit_append_only")]

    operations = [
        migrations.AlterField(model_name="deadlinerule", name="max_extension_days", field=_field()),
        migrations.AlterField(model_name="historicaldeadlinerule", name="max_extension_days", field=_field()),
        migrations.RunPython(uncap, cap_again),
    ]
