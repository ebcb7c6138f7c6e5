"""`audit_archive` writes through the storage API (docs/operations.md「多台服务器」): with the files in an
S3-compatible object store (moto in server mode on a free port) the archive file lands in the bucket, nothing on the
local disk of the machine that ran the command, and `audit_verify` reads it back from the bucket, from any node."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.management import call_command

from core.models import AuditArchive
from core.services.audit_archive import audit_verify
from laizhou_xiaobao.bench.cluster import stop_all
from tests.core.test_audit_chain import NOW, old_and_new_entries  # noqa: F401
from tests.nodes import servers


@pytest.fixture
def object_store(tmp_path):
    store = servers.start_object_store(tmp_path)
    try:
        yield servers.create_bucket(store)
    finally:
        stop_all([store])


def local_files(*folders) -> list[str]:
    return sorted(str(path) for folder in folders for path in folder.rglob("*") if path.is_file())


def test_the_archive_goes_to_the_object_store_and_verifies_from_there(
    old_and_new_entries,  # noqa: F811
    object_store,
    private_files,
    settings,
    tmp_path,
    capsys,
):
    servers.use_bucket(settings, object_store, "files")
    old, _new = old_and_new_entries
    with time_machine.travel(NOW, tick=False):
        call_command("audit_archive")

    archive = AuditArchive.objects.get()
    key = f"files/audit-archive/{archive.file_name}"
    assert key in servers.bucket_keys(object_store)
    assert f"s3://{servers.BUCKET}/files/audit-archive/{archive.file_name}" in capsys.readouterr().out
    # Nothing on this machine's disk: neither the files folder nor the archive folder of old.
    assert local_files(private_files) == []
    assert not list((django_settings.BASE_DIR / "var").rglob(archive.file_name))

    # Read back through the storage, as another node would.
    with default_storage.open(f"audit-archive/{archive.file_name}", "rb") as stored:
        lines = stored.read().decode("utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in lines[-4:-1]] == [entry.sequence for entry in old]
    report = audit_verify(require_files=True)
    assert report.ok, report.problems
    assert (report.archives, report.archive_files) == (1, 1)

    # A copy brought back from offline media verifies from a local folder too.
    copy = tmp_path / "offline-copy"
    copy.mkdir()
    (copy / archive.file_name).write_bytes("\n".join(lines).encode("utf-8") + b"\n")
    call_command("audit_verify", "--archive-dir", str(copy), "--require-archives")
    assert "操作日志完整" in capsys.readouterr().out

    # The object changed in the bucket is found out.
    changed = "\n".join(lines).replace("说明", "改过") + "\n"
    client = servers.s3_client(object_store)
    client.put_object(Bucket=servers.BUCKET, Key=key, Body=changed.encode("utf-8"))
    problems = audit_verify(require_files=True).problems
    assert any("文件的 SHA-256 与归档登记不符" in problem for problem in problems)
    assert local_files(private_files) == []
