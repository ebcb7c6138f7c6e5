from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "备份数据库（pg_dump 自定义格式）和附件等私有文件，写成一个 tar 备份文件：backup [--output 目录]。"
        "设置了 BACKUP_ENCRYPTION_KEY 时备份文件加密（….tar.enc）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "backups"), help="备份目录")
        parser.add_argument("--database-url", help="要备份的数据库（默认为当前配置的数据库）")
        parser.add_argument("--files-root", help="要备份的文件目录（默认为当前文件存储）")

    def handle(self, *args, output, database_url=None, files_root=None, **options):
        try:
            path = backup(Path(output), database_url=database_url, files_root=Path(files_root) if files_root else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        encrypted = "，已加密" if path.name.endswith(".enc") else "，未加密（未设置 BACKUP_ENCRYPTION_KEY）"
        self.stdout.write(self.style.SUCCESS(f"备份完成：{path}（{path.stat().st_size:,} 字节{encrypted}）"))
        self.stdout.write(f"恢复：python manage.py restore {path}（或 make restore FILE={path}）")
