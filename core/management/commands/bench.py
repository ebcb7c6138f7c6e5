from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.bench import REGISTRY
from core.bench.runner import database_description, discover, run_all, write_results


class Command(BaseCommand):
    help = "在当前数据库上测量各页面、检索与导出（进程内、真实应用），结果写入 bench-results/results.md 和 .json。"

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="只运行这些测量（默认全部）")
        parser.add_argument("--list", action="store_true", help="列出已注册的测量")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench-results"), help="结果目录")
        parser.add_argument("--export-rows", type=int, default=100_000, help="导出测量的行数（默认 100000）")
        parser.add_argument("--no-memory", action="store_true", help="不测峰值内存（tracemalloc 会拖慢一次运行）")

    def handle(self, *args, names, out, export_rows, no_memory, **options):
        discover()
        if options["list"]:
            for name, measurement in REGISTRY.items():
                self.stdout.write(f"{name:<24} {measurement.title}")
            return
        unknown = [n for n in names if n not in REGISTRY]
        if unknown:
            raise CommandError(f"未知的测量：{', '.join(unknown)}（用 --list 查看）")
        header = f"{timezone.localtime():%Y-%m-%d %H:%M}，数据库：{database_description()}"
        self.stdout.write(header)
        results = run_all(names, {"export_rows": export_rows, "no_memory": no_memory}, self.stdout)
        md_path, json_path = write_results(results, Path(out), header=header)
        self.stdout.write(self.style.SUCCESS(f"结果已写入 {md_path} 和 {json_path}"))
