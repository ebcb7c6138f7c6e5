import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from core.reminders import describe, send_reminders


class Command(BaseCommand):
    help = "发送今日期限提醒（与定时任务相同）：send_reminders [--date YYYY-MM-DD] [--dry-run]。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期发送（默认今天），YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="只列出谁将收到哪些提醒，不发送")

    def handle(self, *args, date=None, dry_run=False, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"日期格式不正确：{date}（应为 YYYY-MM-DD）") from exc
        run = send_reminders(today, dry_run=dry_run)
        for line in describe(run):
            self.stdout.write(line)
        if run.skipped_reason:
            return
        if dry_run:
            self.stdout.write(f"（试运行）将向 {len(run.digests)} 人发送提醒，未实际发送。")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"已发送 {run.sent} 条提醒；{run.already_sent} 人今日已收到，未重复发送。")
            )
