from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import WorkCalendarYear
from core.services.calendar import calendar_load_year_from_library, library_years
from core.services.calendar_change import calendar_year_reload_from_library


class Command(BaseCommand):
    help = "从 chinesecalendar 载入工作日历（法定节假日与调休）。已存在的年度保持不变，除非 --overwrite。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=int, help="起始年份（默认：库中最早年份）")
        parser.add_argument("--to", dest="last", type=int, help="结束年份（默认：库中最晚年份）")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="覆盖已存在年度（管理员的修改会丢失），并重新计算跨入这些年度的未结期限",
        )

    def handle(self, *args, first=None, last=None, overwrite=False, **options):
        known = library_years()
        first = first or known.start
        last = last or known.stop - 1
        for year in range(first, last + 1):
            try:
                if overwrite and WorkCalendarYear.objects.filter(year=year).exists():
                    # Deadlines computed over the stored days follow the reloaded ones, as a verification does.
                    moved = calendar_year_reload_from_library(year=year)
                    if moved:
                        self.stdout.write(f"{year} 年：{len(moved)} 个未结期限已重新计算")
                else:
                    calendar_load_year_from_library(year=year)
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from exc
        self.stdout.write(f"工作日历已载入：{first}–{last} 年")
