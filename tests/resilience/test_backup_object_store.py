"""`manage.py backup` and `restore` with the files in an S3-compatible object store (moto in server mode on a free
port): the backup holds every object of the bucket, and a restore puts them back into an empty bucket folder under
their own names, byte for byte (docs/operations.md「多台服务器」, README「可靠性与备份」)."""

import hashlib
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from complaints.models import Attachment
from complaints.services.steps import attachment_add
from laizhou_xiaobao.bench.cluster import stop_all
from tests.nodes import servers
from tests.resilience.test_backup_restore import admin_connection, empty_database  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def object_store(tmp_path):
    store = servers.start_object_store(tmp_path)
    try:
        yield servers.create_bucket(store)
    finally:
        stop_all([store])


def test_backup_and_restore_cover_the_object_store(
    frozen,
    register,
    settings,
    tmp_path,
    object_store,
    empty_database,  # noqa: F811
):
    servers.use_bucket(settings, object_store, "source")
    case = register("complaint")
    contents = [b"%PDF-1.4 evidence " + bytes([65 + n]) * 300 for n in range(3)]
    for number, content in enumerate(contents):
        upload = SimpleUploadedFile(f"核查材料{number}.pdf", content, content_type="application/pdf")
        attachment_add(actor=case.owner, case=case, upload=upload, kind="evidence", description="核查")
    names = sorted(Attachment.objects.values_list("file", flat=True))
    assert all(f"source/{name}" in servers.bucket_keys(object_store) for name in names)

    call_command("backup", output=str(tmp_path / "backups"))
    [archive] = list((tmp_path / "backups").glob("xiaobao-backup-*.tar"))
    with tarfile.open(archive) as outer, tarfile.open(fileobj=outer.extractfile("files.tar.gz")) as files:
        assert sorted(member.name for member in files.getmembers()) == names

    # Restored into another folder of the bucket, as into a new, empty bucket.
    servers.use_bucket(settings, object_store, "restored")
    name, url = empty_database
    call_command("restore", str(archive), database_url=url)
    for attachment in Attachment.objects.all():
        with default_storage.open(attachment.file.name, "rb") as restored:
            assert hashlib.sha256(restored.read()).hexdigest() == attachment.sha256
    assert sorted(key for key in servers.bucket_keys(object_store) if key.startswith("restored/")) == [
        f"restored/{name}" for name in names
    ]

    # A second restore, into an empty database again but the now filled bucket folder, is refused.
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    with pytest.raises(CommandError, match="文件存储 s3://xiaobao-files/restored 不是空的"):
        call_command("restore", str(archive), database_url=url)
