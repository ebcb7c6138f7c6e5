import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from complaints.work_summary import work_summary_for_orgs
from core.access import within_org_q
from core.models import OrgUnit


def _date(value, name):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} 日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "工作小结：work_summary --from YYYY-MM-DD --to YYYY-MM-DD [--org CODE]（口径见 complaints.work_summary）"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument("--org", help="单位代码（含下级单位；默认全部）")

    def handle(self, *args, start, end, org=None, **options):
        start_on, end_on = _date(start, "--from"), _date(end, "--to")
        if end_on < start_on:
            raise CommandError("结束日期不能早于开始日期")
        org_ids = None
        if org:
            unit = OrgUnit.objects.filter(code=org).first()
            if unit is None:
                raise CommandError(f"没有代码为 {org} 的单位")
            org_ids = list(OrgUnit.objects.filter(within_org_q(unit, field="")).values_list("pk", flat=True))
        figures = work_summary_for_orgs(org_ids=org_ids, start=start_on, end=end_on)
        rate = "—" if figures.on_time_rate is None else f"{figures.on_time_rate:.1%}"
        lines = [
            f"{start_on:%Y年%m月%d日}至{end_on:%Y年%m月%d日}：{figures.sentence}。",
            f"按时办结率：{rate}（{figures.closed_on_time}/{figures.closed_total}）",
            f"来访：{figures.visits} 批次，{figures.visitors} 人次；来电：{figures.calls} 起；"
            f"期间登记：{figures.received} 件",
            "按来源渠道：" + "，".join(f"{label} {n}" for label, n in figures.by_channel),
            "按类型：" + "，".join(f"{label} {n}" for label, n in figures.by_type),
            "按机构（登记/转办）：" + ("，".join(f"{name} {n}/{f}" for name, n, f in figures.by_institution) or "无"),
        ]
        self.stdout.write("\n".join(lines))
