from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

from laizhou_xiaobao.bench import REGISTRY
from laizhou_xiaobao.bench.cluster import describe_cluster, run_cluster_http
from laizhou_xiaobao.bench.http import (
    HTTP_TARGETS,
    collect_static,
    describe,
    fail_on_errors,
    measure_floors,
    run_http,
)
from laizhou_xiaobao.bench.runner import database_description, discover, run_all, write_results
from laizhou_xiaobao.bench.today import pinned, seed_date

IN_PROCESS_DEBUG = "进程内测量在 DEBUG=true 下（模板调试、查询记录：比生产慢）"
IN_PROCESS_PRODUCTION = "进程内测量在 DEBUG=false 下（生产设置）"


class Command(BaseCommand):
    help = (
        "在当前数据库上测量各页面、检索与导出：先在进程内逐个测量，再用 gunicorn + wrk 经 HTTP 压测主要页面；"
        "结果写入 bench-results/results.md 和 .json。"
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="只运行这些测量（默认全部；http_ 开头的是 HTTP 压测）")
        parser.add_argument("--list", action="store_true", help="列出已注册的测量")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench-results"), help="结果目录")
        parser.add_argument("--export-rows", type=int, default=100_000, help="导出测量的行数（默认 100000）")
        parser.add_argument(
            "--bundle-attachments", type=int, default=30, help="卷宗测量的附件数（默认 30；各数目各建一件基准案件）"
        )
        parser.add_argument("--import-rows", type=int, default=10_000, help="历史台账导入测量的行数（默认 10000）")
        parser.add_argument("--list-rows", type=int, default=500, help="正负面清单测量的机构数（默认 500）")
        parser.add_argument("--max-repeat", type=int, default=None, help="每项进程内测量最多计时几次（默认按各项设定）")
        parser.add_argument("--no-memory", action="store_true", help="不测峰值内存（tracemalloc 会拖慢一次运行）")
        phase = parser.add_mutually_exclusive_group()
        phase.add_argument("--no-http", action="store_true", help="不做 HTTP 压测")
        phase.add_argument("--http-only", action="store_true", help="只做 HTTP 压测")
        parser.add_argument("--http-seconds", type=int, default=10, help="每轮每项 HTTP 压测的秒数（默认 10）")
        parser.add_argument(
            "--http-rounds", type=int, default=3, help="HTTP 压测的轮数，每轮各页轮流一次，取中位数那一轮（默认 3）"
        )
        parser.add_argument("--http-warmup", type=int, default=3, help="每项压测前的预热秒数（默认 3，0 为不预热）")
        parser.add_argument("--http-connections", type=int, default=8, help="wrk 的并发连接数（默认 8）")
        parser.add_argument("--http-workers", type=int, default=2, help="gunicorn worker 数（默认 2）")
        parser.add_argument("--no-cluster", action="store_true", help="不做两节点（nginx + 2 个 gunicorn）的 HTTP 压测")

    def handle(self, *args, names, out, export_rows, no_memory, **options):
        if not 1 <= options["bundle_attachments"] <= 200:
            raise CommandError("--bundle-attachments 应在 1–200 之间")
        discover()
        if options["list"]:
            for name, measurement in REGISTRY.items():
                self.stdout.write(f"{name:<24} {measurement.title}")
            for name, target in HTTP_TARGETS.items():
                self.stdout.write(f"{name:<24} HTTP：{target.title}")
            return
        unknown = [n for n in names if n not in REGISTRY and n not in HTTP_TARGETS]
        if unknown:
            raise CommandError(f"未知的测量：{', '.join(unknown)}（用 --list 查看）")
        if options["http_seconds"] < 1 or options["http_warmup"] < 0:
            raise CommandError("--http-seconds 至少为 1，--http-warmup 不能为负数")
        if not 1 <= options["http_rounds"] <= 9:
            raise CommandError("--http-rounds 应在 1–9 之间")
        if not 1 <= options["http_connections"] <= 64 or not 1 <= options["http_workers"] <= 16:
            raise CommandError("--http-connections 应在 1–64 之间，--http-workers 应在 1–16 之间")
        if min(options["import_rows"], options["list_rows"]) < 1 or (
            options["max_repeat"] is not None and options["max_repeat"] < 1
        ):
            raise CommandError("--import-rows、--list-rows 和 --max-repeat 至少为 1")
        inproc_names = [n for n in names if n in REGISTRY]
        http_names = [n for n in names if n in HTTP_TARGETS]

        # "Today" is the seed date, whatever the real date (docs/performance.md「基准的日期」).
        today = seed_date()
        header = f"{timezone.localtime():%Y-%m-%d %H:%M}，数据库：{database_description()}"
        if today is not None:
            header += f"；“今天”固定为种子日期 {today:%Y-%m-%d}"
        header += "；" + (IN_PROCESS_DEBUG if settings.DEBUG else IN_PROCESS_PRODUCTION)
        self.stdout.write(header)
        if not options["http_only"] and _manifest_storage():
            # The production settings' manifest storage needs the static tree (docs/performance.md「进程内的设置」).
            collect_static(Path(settings.STATIC_ROOT))
        with pinned(today):
            self._measure(names, out, export_rows, no_memory, options, header, inproc_names, http_names)

    def _measure(self, names, out, export_rows, no_memory, options, header, inproc_names, http_names):
        run_inproc = not options["http_only"] and (not names or inproc_names)
        run_http_phase = not options["no_http"] and (not names or http_names)
        floors = measure_floors(http_names, self.stdout) if run_http_phase else {}
        results = (
            run_all(
                inproc_names,
                {
                    "export_rows": export_rows,
                    "no_memory": no_memory,
                    "bundle_attachments": options["bundle_attachments"],
                    "import_rows": options["import_rows"],
                    "list_rows": options["list_rows"],
                    "max_repeat": options["max_repeat"],
                },
                self.stdout,
            )
            if run_inproc
            else []
        )
        try:
            http_results = run_http(http_names, options, self.stdout, floors) if run_http_phase else []
            run_pair = run_http_phase and not options["no_cluster"]
            cluster_results = run_cluster_http(http_names, options, self.stdout) if run_pair else []
        except CommandError:
            if results:  # keep the in-process figures of a long run
                write_results(results, Path(out), header=header)
            raise
        title = f"HTTP（gunicorn {options['http_workers']} workers，{options['http_connections']} 连接）"
        md_path, json_path = write_results(
            results,
            Path(out),
            header=header,
            http_results=http_results,
            http_title=title,
            http_description=describe(options),
            cluster_results=cluster_results,
            cluster_title=f"HTTP：单节点与两节点（nginx，2 × {options['http_workers']} workers）对照",
            cluster_description=describe_cluster(options),
        )
        self.stdout.write(self.style.SUCCESS(f"结果已写入 {md_path} 和 {json_path}"))
        fail_on_errors(http_results + cluster_results)


def _manifest_storage() -> bool:
    """Whether static files are served by a manifest storage (DEBUG off), which needs `collectstatic` first."""
    return issubclass(import_string(settings.STORAGES["staticfiles"]["BACKEND"]), ManifestFilesMixin)
