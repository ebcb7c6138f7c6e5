from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "从 backup 生成的备份文件恢复数据库（pg_restore）和文件：restore 备份文件 [--database-url …] [--files-root …]。"
        "默认只恢复到空库和空目录；覆盖现有数据须加 --force。恢复后逐表核对行数。"
        "加密的备份（….tar.enc）用 BACKUP_ENCRYPTION_KEY 解密。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件（xiaobao-backup-….tar 或 ….tar.enc）")
        parser.add_argument("--database-url", help="恢复到哪个数据库（默认为当前配置的数据库）")
        parser.add_argument("--files-root", help="文件恢复到哪个目录（默认为当前文件存储）")
        parser.add_argument("--force", action="store_true", help="覆盖非空的数据库和文件目录")

    def handle(self, *args, file, database_url=None, files_root=None, force=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        try:
            outcome = restore(
                path, database_url=database_url, files_root=Path(files_root) if files_root else None, force=force
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = outcome["manifest"]
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{outcome['tables']} 张表、{outcome['rows']:,} 行、{outcome['files']} 个文件，"
                f"与 {manifest['created_at']} 的备份逐表核对一致。"
            )
        )
