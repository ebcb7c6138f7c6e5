import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.demo import DEMO_ACCOUNTS, demo_password, seed_accounts, seed_institutions, seed_orgs
from core.models import WorkCalendarYear
from core.security.demo import seed_devices
from core.services.calendar import calendar_load_year_from_library, library_years
from core.services.reference import ensure_reference_data

# Apps contribute demo records through a `demo.seed(orgs=..., cases=..., stdout=...)` function.
DEMO_APPS = ["complaints", "mediation", "institutions", "outreach", "core.dashboard"]


class Command(BaseCommand):
    help = "生成演示数据：组织、各角色演示账号、虚构的县域金融机构、工作日历，以及各模块的演示记录。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=None, help="生成的信访投诉件数（默认 300；可达 1000000）")
        parser.add_argument("--force", action="store_true", help="DEBUG 关闭时也执行（生产环境慎用）")

    def handle(self, *args, cases=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭：seed_demo 会写入演示账号和数据，如确需执行请加 --force。")
        ensure_reference_data()
        known = library_years()
        missing = [y for y in known if not WorkCalendarYear.objects.filter(year=y).exists()]
        for year in missing:
            calendar_load_year_from_library(year=year)
        if missing:
            self.stdout.write(f"工作日历：已载入 {missing[0]}–{missing[-1]} 年")
        orgs = seed_orgs()
        password = demo_password()
        users = seed_accounts(orgs, password)
        seed_institutions(orgs)
        for app in DEMO_APPS:
            if importlib.util.find_spec(f"{app}.demo") is not None:
                importlib.import_module(f"{app}.demo").seed(orgs=orgs, cases=cases, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号（密码均为 {password}）："))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<14} {account.name:<6} {account.role.label}（{account.org}）")
        devices = seed_devices(users)
        if devices:
            self.stdout.write(
                "以下账号登录时还须输入动态口令（双因素认证）：另开终端运行 "
                "`.venv/bin/python manage.py otp_code <账号>` 取当前口令（仅开发环境），"
                "或把密钥输入手机上的身份验证器应用："
            )
            for username, secret in devices:
                self.stdout.write(f"  {username:<14} 密钥 {secret}")
