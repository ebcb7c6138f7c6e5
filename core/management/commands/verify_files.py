from django.core.management.base import BaseCommand, CommandError

from core.integrity import notify_administrators, verify_files


class Command(BaseCommand):
    help = (
        "按上传时登记的 SHA-256 校验全部已存文件（附件、约谈材料、授权委托书、活动照片、清单文件）："
        "verify_files [--notify]。有缺失或被改动的文件时列出并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--notify", action="store_true", help="有问题时同时通知系统管理员（与定时任务相同）")

    def handle(self, *args, notify=False, **options):
        report = verify_files()
        for problem in report.problems:
            self.stdout.write(problem.describe())
        if notify:
            notify_administrators(report)
        if not report.ok:
            raise CommandError(f"共校验 {report.checked} 个文件，{len(report.problems)} 个缺失或内容被改动。")
        self.stdout.write(self.style.SUCCESS(f"共校验 {report.checked} 个文件，全部与登记的 SHA-256 一致。"))
