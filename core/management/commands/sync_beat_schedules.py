from django.core.management.base import BaseCommand

from core.schedules import sync_beat_schedules


class Command(BaseCommand):
    help = "按 core/schedules.py 的声明建立、更新或删除定时任务（每次 migrate 后也会自动执行，可重复运行）。"

    def handle(self, *args, **options):
        outcome = sync_beat_schedules()
        labels = {"created": "新建", "updated": "更新", "unchanged": "未变", "removed": "删除"}
        for key, label in labels.items():
            for name in outcome[key]:
                self.stdout.write(f"{label}：{name}")
        self.stdout.write(
            f"定时任务已同步：新建 {len(outcome['created'])}，更新 {len(outcome['updated'])}，"
            f"未变 {len(outcome['unchanged'])}，删除 {len(outcome['removed'])}。"
        )
