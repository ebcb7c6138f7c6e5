import datetime as dt
import sys

from django.core.management.base import BaseCommand

from core.workcalendar import CalendarMissingError, get_calendar, get_strict_calendar


class Command(BaseCommand):
    help = (
        "计算期限届满日：deadline START DAYS --kind calendar|working [--provisional]；标准输出只打印 YYYY-MM-DD。"
        "工作日历未核对的年度默认拒绝（退出码 2）；加 --provisional 则按该年度草稿计算，标准错误输出“暂定：…”。"
    )

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算日 YYYY-MM-DD（当日不计入）")
        parser.add_argument("days", help="期限天数（正整数）")
        parser.add_argument("--kind", default="calendar", help="calendar（自然日）或 working（工作日）")
        parser.add_argument(
            "--provisional",
            action="store_true",
            help="跨入工作日历尚未核对的年度时，按该年度草稿（预测的节假日，无调休）给出暂定日期",
        )

    def _fail(self, message: str):
        # Scripts rely on: nothing on stdout, the reason on stderr, exit status 2.
        sys.stderr.write(message + "\n")
        sys.exit(2)

    def handle(self, *args, start, days, kind, provisional, **options):
        try:
            start_on = dt.date.fromisoformat(start)
        except ValueError:
            self._fail(f"起算日格式不正确：{start}（应为 YYYY-MM-DD，例如 2025-09-30）")
        if not days.isdigit() or int(days) < 1:
            self._fail(f"期限天数必须是正整数：{days}")
        if kind not in ("calendar", "working"):
            self._fail(f"计算方式只能是 calendar（自然日）或 working（工作日）：{kind}")
        # Strict by contract: a year not verified is refused unless the caller accepts a provisional date.
        calendar = get_calendar() if provisional else get_strict_calendar()
        try:
            due_on = calendar.add_days(start_on, int(days), kind)
        except CalendarMissingError as exc:
            self._fail(str(exc))
        self.stdout.write(due_on.isoformat())
        years = calendar.provisional_years(start_on, due_on)
        if years:
            listed = "、".join(str(year) for year in years)
            sys.stderr.write(
                f"暂定：{listed}年工作日历尚未核对，按预测的法定节假日（不含调休）计算，核对后可能调整。\n"
            )
