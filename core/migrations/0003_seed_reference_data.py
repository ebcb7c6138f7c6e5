from django.db import migrations


def seed(apps, schema_editor):
    from core.reference_data import CATEGORIES, DEADLINE_RULES

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
