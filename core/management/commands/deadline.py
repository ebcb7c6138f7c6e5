import datetime as dt
import sys

from django.core.management.base import BaseCommand

from core.workcalendar import CalendarMissingError, get_calendar


class Command(BaseCommand):
    help = "计算期限届满日：deadline START DAYS --kind calendar|working；标准输出只打印 YYYY-MM-DD。"

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算日 YYYY-MM-DD（当日不计入）")
        parser.add_argument("days", help="期限天数（正整数）")
        parser.add_argument("--kind", default="calendar", help="calendar（自然日）或 working（工作日）")

    def _fail(self, message: str):
        # Scripts rely on: nothing on stdout, the reason on stderr, exit status 2.
        sys.stderr.write(message + "\n")
        sys.exit(2)

    def handle(self, *args, start, days, kind, **options):
        try:
            start_on = dt.date.fromisoformat(start)
        except ValueError:
            self._fail(f"起算日格式不正确：{start}（应为 YYYY-MM-DD，例如 2025-09-30）")
        if not days.isdigit() or int(days) < 1:
            self._fail(f"期限天数必须是正整数：{days}")
        if kind not in ("calendar", "working"):
            self._fail(f"计算方式只能是 calendar（自然日）或 working（工作日）：{kind}")
        try:
            due_on = get_calendar().add_days(start_on, int(days), kind)
        except CalendarMissingError as exc:
            self._fail(str(exc))
        self.stdout.write(due_on.isoformat())
