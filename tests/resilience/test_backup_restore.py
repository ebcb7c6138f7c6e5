"""`manage.py backup` and `manage.py restore`: cases with attachments and history, backed up, restored into a new
empty PostgreSQL database and an empty folder, and found there whole (every table, every file, byte for byte)."""

import hashlib
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from complaints.models import Attachment, Case
from complaints.services.complaint import complaint_forward
from complaints.services.steps import attachment_add
from core.backup import Database, table_counts


def admin_connection():
    """A connection to the server's maintenance database, for CREATE/DROP DATABASE."""
    source = Database.from_settings(connection.settings_dict)
    return psycopg.connect(
        Database(
            name="postgres", host=source.host, port=source.port, user=source.user, password=source.password
        ).conninfo(),
        password=source.password or None,
        autocommit=True,
    )


@pytest.fixture
def empty_database():
    """A new, empty database beside the test database; dropped afterwards."""
    source = Database.from_settings(connection.settings_dict)
    name = f"{source.name}_restored"
    assert "bench" not in name
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    password = f":{source.password}" if source.password else ""
    user = f"{source.user}{password}@" if source.user else ""
    yield name, f"postgres://{user}{source.host}:{source.port}/{name}"
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rows(conn, sql: str) -> list[tuple]:
    with conn.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_an_empty_database_has_every_case_attachment_file_and_history_row(
    frozen, register, settings, tmp_path, empty_database
):
    files = tmp_path / "files"
    settings.PRIVATE_FILES_ROOT = settings.MEDIA_ROOT = files
    cases = [register("complaint"), register("complaint"), register("report")]
    for number, case in enumerate(cases):
        for copy in range(2):
            content = b"%PDF-1.4 evidence " + f"{case.pk}-{copy}".encode() * 50
            upload = SimpleUploadedFile(f"核查材料{number}-{copy}.pdf", content, content_type="application/pdf")
            attachment_add(actor=case.owner, case=case, upload=upload, kind="evidence", description="核查")
    complaint_forward(
        told_via="phone",
        told_on=timezone.localdate(),
        actor=cases[0].owner,
        case=cases[0],
        version=Case.objects.get(pk=cases[0].pk).version,
    )
    (files / "exports").mkdir(parents=True, exist_ok=True)
    (files / "exports" / "half-written.xlsx.part").write_bytes(b"PK")  # never backed up

    call_command("backup", output=str(tmp_path / "backups"))
    [archive] = list((tmp_path / "backups").glob("xiaobao-backup-*.tar"))
    with tarfile.open(archive) as members:
        assert sorted(members.getnames()) == ["database.dump", "files.tar.gz", "manifest.json"]

    name, url = empty_database
    restored_files = tmp_path / "restored-files"
    call_command("restore", str(archive), database_url=url, files_root=str(restored_files))

    with connection.cursor() as cursor:
        source_counts = table_counts(cursor)
    with psycopg.connect(Database.from_url(url).conninfo(), autocommit=True) as restored:
        assert table_counts(restored.cursor()) == source_counts
        assert source_counts["complaints_case"] == 3 and source_counts["complaints_attachment"] == 6
        assert rows(restored, "SELECT id, number, status, version FROM complaints_case") == sorted(
            Case.objects.values_list("id", "number", "status", "version")
        )
        assert rows(restored, "SELECT id, file, sha256, size FROM complaints_attachment") == sorted(
            Attachment.objects.values_list("id", "file", "sha256", "size")
        )
        history = "SELECT history_id, id, status, history_change_reason FROM complaints_historicalcase"
        assert rows(restored, history) == sorted(
            Case.history.values_list("history_id", "id", "status", "history_change_reason")
        )
        assert len(rows(restored, history)) >= 4  # three registrations and a forwarding at least
        assert rows(restored, "SELECT count(*) FROM complaints_historicalattachment") == [(6,)]
    for attachment in Attachment.objects.all():
        restored_file = restored_files / attachment.file.name
        assert hashlib.sha256(restored_file.read_bytes()).hexdigest() == attachment.sha256
    assert not list(restored_files.rglob("*.part"))

    # A second restore over the now filled database is refused unless forced.
    with pytest.raises(CommandError, match="不是空库"):
        call_command("restore", str(archive), database_url=url, files_root=str(tmp_path / "other"))
    call_command("restore", str(archive), database_url=url, files_root=str(restored_files), force=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(frozen, register, settings, tmp_path, empty_database):
    settings.PRIVATE_FILES_ROOT = settings.MEDIA_ROOT = tmp_path / "files"
    register("complaint")
    call_command("backup", output=str(tmp_path / "backups"))
    [archive] = list((tmp_path / "backups").glob("*.tar"))
    with tarfile.open(archive) as members:
        members.extractall(tmp_path / "unpacked", filter="data")
    dump = tmp_path / "unpacked" / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-100] + b"\0" * 100)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(damaged, "w") as members:
        for name in ("manifest.json", "database.dump", "files.tar.gz"):
            members.add(tmp_path / "unpacked" / name, arcname=name)
    name, url = empty_database
    with pytest.raises(CommandError, match="已损坏"):
        call_command("restore", str(damaged), database_url=url, files_root=str(tmp_path / "restored"))
    with psycopg.connect(Database.from_url(url).conninfo(), autocommit=True) as restored:
        assert table_counts(restored.cursor()) == {}
    assert not Path(tmp_path / "restored").exists() or not any(Path(tmp_path / "restored").iterdir())


def test_backup_says_it_is_for_postgresql_only(tmp_path):
    with pytest.raises(CommandError, match="只用于 PostgreSQL"):
        call_command("backup", output=str(tmp_path), database_url=f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_encrypted_backup_round_trips_and_a_wrong_or_missing_key_is_refused(
    frozen, register, settings, tmp_path, empty_database
):
    files = tmp_path / "files"
    settings.PRIVATE_FILES_ROOT = settings.MEDIA_ROOT = files
    case = register("complaint")
    content = b"%PDF-1.4 " + "王小明 370683199001011237".encode() * 20
    upload = SimpleUploadedFile("身份证复印件.pdf", content, content_type="application/pdf")
    attachment = attachment_add(actor=case.owner, case=case, upload=upload, kind="evidence")
    settings.BACKUP_ENCRYPTION_KEY = "备份密钥 long random passphrase 7f3a"

    call_command("backup", output=str(tmp_path / "backups"))
    [archive] = list((tmp_path / "backups").iterdir())
    assert archive.name.endswith(".tar.enc")
    sealed = archive.read_bytes()
    # Neither the tar structure nor any personal data can be read without the key.
    assert b"manifest.json" not in sealed and "王小明".encode() not in sealed and content[:40] not in sealed

    name, url = empty_database
    restored_files = tmp_path / "restored-files"
    settings.BACKUP_ENCRYPTION_KEY = "错误的密钥"
    with pytest.raises(CommandError, match="BACKUP_ENCRYPTION_KEY 与备份时使用的密钥不一致，未做任何恢复"):
        call_command("restore", str(archive), database_url=url, files_root=str(restored_files))
    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(CommandError, match="备份文件已加密：请设置 BACKUP_ENCRYPTION_KEY"):
        call_command("restore", str(archive), database_url=url, files_root=str(restored_files))
    with psycopg.connect(Database.from_url(url).conninfo(), autocommit=True) as restored:
        assert table_counts(restored.cursor()) == {}

    settings.BACKUP_ENCRYPTION_KEY = "备份密钥 long random passphrase 7f3a"
    call_command("restore", str(archive), database_url=url, files_root=str(restored_files))
    with psycopg.connect(Database.from_url(url).conninfo(), autocommit=True) as restored:
        assert rows(restored, "SELECT id, sha256 FROM complaints_attachment") == [(attachment.pk, attachment.sha256)]
    assert (restored_files / attachment.file.name).read_bytes() == content
