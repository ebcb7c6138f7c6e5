from django.core.management.base import BaseCommand, CommandError

from core.services.deadline_counts import count_differences, deadline_counts_rebuild

# At most this many differing keys are printed; the total is always given.
SHOWN = 20


class Command(BaseCommand):
    help = (
        "按在办期限（core.Deadline）重新计算看板用的在办期限按日汇总表（一个事务）：rebuild_deadline_counts "
        "[--check]。--check 只核对不改写，汇总与期限不一致时以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对汇总表与在办期限是否一致，不改写")

    def handle(self, *args, check=False, **options):
        differences = count_differences() if check else deadline_counts_rebuild()
        for difference in differences[:SHOWN]:
            key = difference.key
            self.stdout.write(
                f"  单位 {key.org_id} A岗 {key.owner_id or '—'} B岗 {key.backup_id or '—'} "
                f"机构 {key.institution_id or '—'} {key.item_kind} {key.due_on:%Y-%m-%d}"
                f"{'（暂停）' if key.paused else ''}{'（暂定）' if key.provisional else ''}："
                f"汇总 {difference.stored}，实有 {difference.expected}"
            )
        if len(differences) > SHOWN:
            self.stdout.write(f"  ……另有 {len(differences) - SHOWN} 处")
        if check and differences:
            raise CommandError(
                f"在办期限汇总表有 {len(differences)} 处与期限不一致；运行 rebuild_deadline_counts 重建。"
            )
        if check:
            self.stdout.write(self.style.SUCCESS("在办期限汇总表与期限一致。"))
        elif differences:
            self.stdout.write(self.style.SUCCESS(f"已重建在办期限汇总表（修正了 {len(differences)} 处）。"))
        else:
            self.stdout.write(self.style.SUCCESS("已重建在办期限汇总表（原表无误）。"))
