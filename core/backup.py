"""Backup and restore (备份与恢复): the PostgreSQL database by pg_dump/pg_restore, and the private files.

One backup is one tar archive `xiaobao-backup-YYYYmmdd-HHMMSS.tar` holding
- `database.dump`: `pg_dump --format=custom` of the whole database;
- `files.tar.gz`: every file of the file storage, local PRIVATE_FILES_ROOT or the object store (attachments,
  generated lists; not half-written `.part` files);
- `manifest.json`: when, from which database, the SHA-256 of both members, and the row count of every table.

The row counts are taken in the very snapshot that pg_dump dumps (an exported REPEATABLE READ snapshot), so a
restore can check that every table came back whole. The database is dumped before the files are packed: a file
uploaded in between is an extra file, never a missing one.

Restore goes into an empty database (or, with `force`, over an existing one) and an empty file storage (folder or
bucket), through the storage API, so that the object store is restored as the local disk is.

With the setting BACKUP_ENCRYPTION_KEY the tar is written encrypted (`….tar.enc`, core/backup_crypto.py) and never
lies on disk in the clear outside a private temporary folder; restore decrypts it with the same key.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess  # nosec B404 # runs pg_dump and pg_restore by name, argument lists, no shell
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone

from core.backup_crypto import ENCRYPTED_SUFFIX, DecryptionError, decrypt_file, encrypt_file, is_encrypted

ARCHIVE_FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass(frozen=True)
class Database:
    name: str
    host: str
    port: str
    user: str
    password: str

    @classmethod
    def from_settings(cls, database: dict) -> Database:
        if database.get("ENGINE") != "django.db.backends.postgresql":
            raise BackupError("备份与恢复只用于 PostgreSQL 数据库；SQLite 开发库请直接复制 db.sqlite3 文件。")
        return cls(
            name=database["NAME"],
            host=database.get("HOST") or "127.0.0.1",
            port=str(database.get("PORT") or 5432),
            user=database.get("USER") or "",
            password=database.get("PASSWORD") or "",
        )

    @classmethod
    def from_url(cls, url: str | None) -> Database:
        return cls.from_settings(dj_database_url.parse(url) if url else settings.DATABASES["default"])

    def conninfo(self) -> str:
        parts = {"host": self.host, "port": self.port, "dbname": self.name, "user": self.user}
        return " ".join(f"{key}='{value}'" for key, value in parts.items() if value)

    def env(self) -> dict:
        return {**os.environ, "PGPASSWORD": self.password} if self.password else dict(os.environ)

    def connect(self):
        import psycopg

        return psycopg.connect(self.conninfo(), password=self.password or None, autocommit=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(command: list[str], database: Database) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端（apt-get install postgresql-client）。")
    # pg_dump and pg_restore with arguments built here (paths, conninfo), never through a shell.
    env = database.env()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败（退出码 {result.returncode}）：{result.stderr.strip()[-2000:]}")


def table_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        # The names come from pg_catalog.pg_tables, not from users; quote_ident-style quoting as well.
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT count(*) FROM {quoted}")  # nosec B608 # table names from pg_catalog
        counts[table] = cursor.fetchone()[0]
    return counts


def files_storage(files_root: Path | None):
    """Where the files are: a folder given on the command line, else the file storage every node uses (local disk
    or the object store, docs/operations.md「多台服务器」)."""
    return FileSystemStorage(location=str(files_root)) if files_root else default_storage


def stored_names(storage, folder: str = ""):
    """Every stored file's name (`folder/name`), walking the storage's folders; sorted, `.part` files left out."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        if not name.endswith(".part"):
            yield prefix + name
    for sub in sorted(folders):
        yield from stored_names(storage, prefix + sub)


def _pack_files(storage, target: Path) -> int:
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        for name in stored_names(storage):
            member = tarfile.TarInfo(name)
            member.size = storage.size(name)
            member.mtime = int(timezone.now().timestamp())
            with storage.open(name, "rb") as stream:
                archive.addfile(member, stream)
            count += 1
    return count


def _unpack_files(files_archive: Path, storage, *, replace: bool) -> int:
    """Put every file of the archive back into the storage under its own name; returns how many."""
    count = 0
    with tarfile.open(files_archive) as files:
        for member in files.getmembers():
            # The same checks as extractall's "data" filter: no links, devices or paths leaving the storage's root.
            try:
                member = tarfile.data_filter(member, "/nonexistent-root")
            except tarfile.FilterError as exc:
                raise BackupError(f"备份中的文件 {member.name} 不安全，未恢复：{exc}") from exc
            if not member.isfile():
                continue
            if storage.exists(member.name):
                if not replace:
                    raise BackupError(f"文件 {member.name} 已存在。请恢复到空的文件存储，或确认覆盖后加 --force。")
                storage.delete(member.name)
            stored = storage.save(member.name, File(files.extractfile(member), name=member.name))
            if stored != member.name:
                raise BackupError(f"文件 {member.name} 未能按原名恢复（存为 {stored}）。")
            count += 1
    return count


def _storage_label(storage) -> str:
    """The storage's place for messages and the manifest: its folder, or the bucket (and folder) of the object store."""
    location = getattr(storage, "location", "")
    bucket = getattr(storage, "bucket_name", None)
    return f"s3://{bucket}/{location}" if bucket else str(location)


def backup(output_dir: Path, *, database_url: str | None = None, files_root: Path | None = None) -> Path:
    """Write one backup archive into `output_dir`; returns its path."""
    database = Database.from_url(database_url)
    storage = files_storage(files_root)
    output_dir.mkdir(parents=True, exist_ok=True)
    created = timezone.localtime()
    archive_path = output_dir / f"xiaobao-backup-{created:%Y%m%d-%H%M%S}.tar"
    with tempfile.TemporaryDirectory(prefix="xiaobao-backup-") as work:
        work = Path(work)
        dump, files = work / "database.dump", work / "files.tar.gz"
        with database.connect() as connection, connection.cursor() as cursor:
            # One snapshot for the counts and for pg_dump, held open while pg_dump runs.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts(cursor)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                    "--dbname",
                    database.conninfo(),
                ],
                database,
            )
            cursor.execute("COMMIT")
        file_count = _pack_files(storage, files)
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": created.isoformat(),
            "database": database.name,
            "files_root": str(files_root or _storage_label(storage)),
            "database_sha256": _sha256(dump),
            "files_sha256": _sha256(files),
            "file_count": file_count,
            "tables": counts,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        plain = work / archive_path.name
        with tarfile.open(plain, "w") as archive:
            for name in ("manifest.json", "database.dump", "files.tar.gz"):
                archive.add(work / name, arcname=name)
        key = settings.BACKUP_ENCRYPTION_KEY
        if key:
            archive_path = archive_path.with_name(archive_path.name + ENCRYPTED_SUFFIX)
        partial = archive_path.with_name(archive_path.name + ".part")
        if key:
            encrypt_file(plain, partial, key)
        else:
            shutil.copyfile(plain, partial)
        os.replace(partial, archive_path)  # a backup file is always complete
    return archive_path


@contextmanager
def _plain_archive(archive_path: Path):
    """The archive as a plain tar: itself, or decrypted into a private temporary folder for the duration."""
    try:
        encrypted = is_encrypted(archive_path)
    except OSError as exc:
        raise BackupError(f"无法读取备份文件：{archive_path}（{exc}）") from exc
    if not encrypted:
        yield archive_path
        return
    if not settings.BACKUP_ENCRYPTION_KEY:
        raise BackupError("备份文件已加密：请设置 BACKUP_ENCRYPTION_KEY（备份时使用的密钥）后再恢复。")
    with tempfile.TemporaryDirectory(prefix="xiaobao-decrypt-") as work:
        plain = Path(work) / "backup.tar"
        try:
            decrypt_file(archive_path, plain, settings.BACKUP_ENCRYPTION_KEY)
        except DecryptionError as exc:
            raise BackupError(str(exc)) from exc
        yield plain


def read_manifest(archive_path: Path) -> dict:
    try:
        with tarfile.open(archive_path) as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"不是有效的备份文件：{archive_path}（{exc}）") from exc
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"备份文件格式 {manifest.get('format')} 不受支持。")
    return manifest


def _is_empty_database(database: Database) -> bool:
    with database.connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


def restore(
    archive_path: Path, *, database_url: str | None = None, files_root: Path | None = None, force: bool = False
) -> dict:
    """Restore a backup archive (decrypted first when it is encrypted); checks both members' SHA-256 and every
    table's row count afterwards."""
    with _plain_archive(archive_path) as plain:
        return _restore(plain, database_url=database_url, files_root=files_root, force=force)


def _restore(archive_path: Path, *, database_url: str | None, files_root: Path | None, force: bool) -> dict:
    manifest = read_manifest(archive_path)
    database = Database.from_url(database_url)
    storage = files_storage(files_root)
    if not force:
        if not _is_empty_database(database):
            raise BackupError(f"目标数据库 {database.name} 不是空库。请恢复到新建的空库，或确认覆盖后加 --force。")
        if next(stored_names(storage), None) is not None:
            raise BackupError(
                f"文件存储 {files_root or _storage_label(storage)} 不是空的。"
                "请指定空目录（--files-root）或空的存储桶，或确认覆盖后加 --force。"
            )
    with tempfile.TemporaryDirectory(prefix="xiaobao-restore-") as work:
        work = Path(work)
        with tarfile.open(archive_path) as archive:
            # The "data" filter refuses links, devices and paths that would leave `work`, as for the files below.
            members = [archive.getmember(n) for n in ("database.dump", "files.tar.gz")]
            archive.extractall(work, members=members, filter="data")
        for member, key in (("database.dump", "database_sha256"), ("files.tar.gz", "files_sha256")):
            if _sha256(work / member) != manifest[key]:
                raise BackupError(f"备份文件已损坏：{member} 的 SHA-256 与清单不符，未做任何恢复。")
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, "--dbname", database.conninfo(), str(work / "database.dump")], database)
        restored_files = _unpack_files(work / "files.tar.gz", storage, replace=force)
    with database.connect() as connection, connection.cursor() as cursor:
        counts = table_counts(cursor)
        # pg_restore brings no planner statistics: without them PostgreSQL plans blind (and the ledger search
        # cannot tell common terms from rare ones) until autovacuum gets round to every table.
        cursor.execute("ANALYZE")
    missing = {
        table: (rows, counts.get(table)) for table, rows in manifest["tables"].items() if counts.get(table) != rows
    }
    if missing:
        raise BackupError(f"恢复后的行数与备份时不一致（表：备份时, 恢复后）：{missing}")
    if restored_files != manifest["file_count"]:
        raise BackupError(f"恢复的文件数 {restored_files} 与备份时的 {manifest['file_count']} 不一致。")
    return {"tables": len(counts), "rows": sum(counts.values()), "files": restored_files, "manifest": manifest}
