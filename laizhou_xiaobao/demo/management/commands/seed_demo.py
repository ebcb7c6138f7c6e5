from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from complaints.services.case_counts import case_counts_rebuild
from core.models import WorkCalendarYear
from core.services.calendar import calendar_load_year_from_library, library_years
from core.services.deadline_counts import deadline_counts_rebuild
from core.services.reference import ensure_reference_data
from laizhou_xiaobao.demo import complaints, dashboard, institutions, mediation, outreach, records, statistics
from laizhou_xiaobao.demo.base import DEMO_ACCOUNTS, demo_password, seed_accounts, seed_institutions, seed_orgs
from laizhou_xiaobao.demo.two_factor import seed_devices

# Each module's `seed(orgs=..., cases=..., stdout=...)`, in this order (the order seed_demo always used; the
# records of a case's later life come before the statistics, which count them).
DEMO_MODULES = [complaints, mediation, institutions, outreach, dashboard, records, statistics]


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
        # The demo's notifications stay in the product (the bell, my work); their e-mails, which the console
        # backend of `make run` would print between these lines and the account list, are not sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for module in DEMO_MODULES:
                module.seed(orgs=orgs, cases=cases, stdout=self.stdout)
        # The demo inserts its cases and their deadlines in bulk, past the summaries the dashboard reads: count
        # both afresh (docs/architecture.md「看板汇总表」).
        fixed = deadline_counts_rebuild()
        if fixed:
            self.stdout.write(f"看板汇总：已按在办期限重建（{len(fixed)} 项）")
        fixed = case_counts_rebuild()
        if fixed:
            self.stdout.write(f"看板汇总：已按案件重建按月件数（{len(fixed)} 项）")
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
