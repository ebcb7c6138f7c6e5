"""The shared shape of the commands that rebuild or check a summary table (core/services/summary_tables.py)."""

from django.core.management.base import BaseCommand, CommandError

from core.services.summary_tables import CountDifference, SummaryTable

# At most this many differing keys are printed; the total is always given.
SHOWN = 20


class SummaryCommand(BaseCommand):
    """`<command> [--check]`: recount `table` in one transaction, or (`--check`) only compare and fail on a
    difference. Subclasses name the table, say what it counts (`what`, e.g. "在办期限汇总表") and describe a key."""

    table: SummaryTable
    what: str
    source: str

    def describe(self, key: tuple) -> str:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help=f"只核对{self.what}是否一致，不改写")

    def handle(self, *args, check=False, **options):
        differences: list[CountDifference] = self.table.differences() if check else self.table.rebuild()
        for difference in differences[:SHOWN]:
            self.stdout.write(
                f"  {self.describe(difference.key)}：汇总 {difference.stored}，实有 {difference.expected}"
            )
        if len(differences) > SHOWN:
            self.stdout.write(f"  ……另有 {len(differences) - SHOWN} 处")
        if check and differences:
            raise CommandError(f"{self.what}有 {len(differences)} 处与{self.source}不一致；运行 {self.name} 重建。")
        if check:
            self.stdout.write(self.style.SUCCESS(f"{self.what}与{self.source}一致。"))
        elif differences:
            self.stdout.write(self.style.SUCCESS(f"已重建{self.what}（修正了 {len(differences)} 处）。"))
        else:
            self.stdout.write(self.style.SUCCESS(f"已重建{self.what}（原表无误）。"))
