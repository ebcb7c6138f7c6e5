from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.services.audit_archive import archive_place, audit_archive, place_label


class Command(BaseCommand):
    help = (
        "把超过保存期限（默认 AUDIT_RETENTION_DAYS，至少 180 天）的操作日志移入带哈希和签名的归档文件；"
        "数据库保留归档登记，哈希链跨归档仍可核验。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保存天数（不少于 180）")
        parser.add_argument(
            "--archive-dir",
            type=Path,
            default=None,
            help="写入本机的这个目录（默认写入文件存储的 AUDIT_ARCHIVE_FOLDER 目录，各节点共用）",
        )

    def handle(self, *args, days=None, archive_dir=None, **options):
        try:
            archive = audit_archive(retention_days=days, archive_dir=archive_dir)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        if archive is None:
            self.stdout.write("没有超过保存期限的操作日志，无需归档。")
            return
        storage, folder = archive_place(archive_dir)
        self.stdout.write(
            self.style.SUCCESS(
                f"已归档第 {archive.first_sequence}–{archive.last_sequence} 号记录，共 {archive.entry_count} 条，"
                f"文件 {place_label(storage, folder)}/{archive.file_name}（SHA-256 {archive.file_sha256}）。"
                "请把该文件转存到离线介质。"
            )
        )
