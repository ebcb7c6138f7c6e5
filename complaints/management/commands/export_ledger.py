import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Case
from complaints.selectors import LEDGER_SORTS
from complaints.services.ledger_export import ledger_caption, write_ledger
from core.access import within_org_q
from core.models import OrgUnit
from core.services.audit import log_action


def _date(value, name):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} 日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "导出信访投诉台账（个人信息脱敏）：export_ledger --out FILE.xlsx|FILE.csv [--org CODE] [--from D] [--to D]"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="输出文件（.xlsx 或 .csv）")
        parser.add_argument("--org", help="单位代码（含下级单位；默认全部）")
        parser.add_argument("--from", dest="start", help="接收日期起 YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="接收日期止 YYYY-MM-DD")

    def handle(self, *args, out, org=None, start=None, end=None, **options):
        path = Path(out)
        file_format = path.suffix.lower().lstrip(".")
        if file_format not in ("xlsx", "csv"):
            raise CommandError("输出文件扩展名应为 .xlsx 或 .csv")
        cases = Case.objects.all()
        unit = None
        if org:
            unit = OrgUnit.objects.filter(code=org).first()
            if unit is None:
                raise CommandError(f"没有代码为 {org} 的单位")
            cases = cases.filter(within_org_q(unit))
        if start:
            cases = cases.filter(received_on__gte=_date(start, "--from"))
        if end:
            cases = cases.filter(received_on__lte=_date(end, "--to"))
        cases = cases.order_by(*LEDGER_SORTS["-received"])
        today = timezone.localdate()
        described = [
            _("接收日期自：%(day)s") % {"day": start} if start else "",
            _("接收日期至：%(day)s") % {"day": end} if end else "",
        ]
        caption = ledger_caption(org=unit, filters_text="；".join(part for part in described if part))
        if file_format == "xlsx":
            with open(path, "wb") as target:
                rows = write_ledger(target, cases, file_format="xlsx", today=today, caption=caption)
        else:
            with open(path, "w", encoding="utf-8", newline="") as target:
                rows = write_ledger(target, cases, file_format="csv", today=today)
        log_action(
            actor=None,
            action="complaints.ledger.exported",
            org=unit,
            filters={"org": org or "", "received_from": start or "", "received_to": end or ""},
            file_format=file_format,
            row_count=rows,
            via="export_ledger",
        )
        self.stdout.write(f"已导出 {rows} 件到 {path}")
