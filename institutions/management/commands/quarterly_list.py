from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import OrgUnit
from institutions.models import QuarterlyList
from institutions.periods import parse_quarter
from institutions.services.documents import build_pdf, build_xlsx
from institutions.services.lists import list_draft


class Command(BaseCommand):
    help = "起草（如尚无）某支局某季度的正负面清单，并按需写出PDF和Excel文件。"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="支局代码，如 laizhou")
        parser.add_argument("--quarter", required=True, help="季度，如 2026Q3")
        parser.add_argument("--pdf", help="PDF文件路径")
        parser.add_argument("--xlsx", help="Excel文件路径")

    def handle(self, *args, org, quarter, pdf=None, xlsx=None, **options):
        unit = OrgUnit.objects.filter(code=org).first()
        if unit is None:
            raise CommandError(f"找不到单位代码“{org}”。")
        try:
            year, number = parse_quarter(quarter)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        quarterly_list = QuarterlyList.objects.current().filter(org=unit, year=year, quarter=number).first()
        if quarterly_list is None:
            try:
                quarterly_list = list_draft(org=unit, year=year, quarter=number)
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from exc
            self.stdout.write(
                f"已起草 {unit.name}{quarterly_list.period_label}清单（{quarterly_list.rows.count()} 家机构）"
            )
        else:
            self.stdout.write(f"使用已有清单 v{quarterly_list.version}（{quarterly_list.get_status_display()}）")
        if pdf:
            Path(pdf).write_bytes(build_pdf(quarterly_list))
            self.stdout.write(f"PDF：{pdf}")
        if xlsx:
            Path(xlsx).write_bytes(build_xlsx(quarterly_list))
            self.stdout.write(f"Excel：{xlsx}")
