from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.services.audit_archive import audit_verify


class Command(BaseCommand):
    help = "核验操作日志的哈希链（含已归档部分）：发现被篡改、删除或插入的记录时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--archive-dir",
            type=Path,
            default=None,
            help="归档文件所在的本机目录（默认文件存储的 AUDIT_ARCHIVE_FOLDER 目录）",
        )
        parser.add_argument(
            "--require-archives", action="store_true", help="归档文件缺失也视为失败（默认只核对数据库中的归档登记）"
        )

    def handle(self, *args, archive_dir=None, require_archives=False, **options):
        report = audit_verify(archive_dir=archive_dir, require_files=require_archives)
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        summary = (
            f"核验了 {report.archives} 段归档（{report.archive_files} 个文件）和数据库中的 {report.entries} 条记录；"
            f"链头：第 {report.head_sequence} 号，哈希 {report.head_hash}"
        )
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"操作日志核验未通过（{len(report.problems)} 处问题）。{summary}")
        self.stdout.write(self.style.SUCCESS(f"操作日志完整。{summary}"))
