"""Backup encryption (core/backup_crypto.py): round trip, wrong key, damaged or shortened files."""

import os

import pytest

from core.backup_crypto import _HEADER, CHUNK, DecryptionError, decrypt_file, encrypt_file, is_encrypted

KEY = "莱州消保-备份密钥-correct horse battery staple"


@pytest.fixture
def archive(tmp_path):
    # Several chunks and a short last one, so that the chunk boundaries are exercised.
    path = tmp_path / "backup.tar"
    path.write_bytes(os.urandom(2 * CHUNK + 12345))
    return path


def test_round_trip_restores_every_byte_and_the_sealed_file_shows_none(archive, tmp_path):
    sealed, opened = tmp_path / "backup.tar.enc", tmp_path / "opened.tar"
    encrypt_file(archive, sealed, KEY)

    assert is_encrypted(sealed) and not is_encrypted(archive)
    assert archive.read_bytes()[:4096] not in sealed.read_bytes()
    decrypt_file(sealed, opened, KEY)
    assert opened.read_bytes() == archive.read_bytes()


def test_empty_archive_round_trips(tmp_path):
    empty, sealed, opened = tmp_path / "empty", tmp_path / "empty.enc", tmp_path / "opened"
    empty.write_bytes(b"")
    encrypt_file(empty, sealed, KEY)
    decrypt_file(sealed, opened, KEY)
    assert opened.read_bytes() == b""


def test_wrong_key_is_named_as_such(archive, tmp_path):
    sealed = tmp_path / "backup.tar.enc"
    encrypt_file(archive, sealed, KEY)

    with pytest.raises(DecryptionError, match="BACKUP_ENCRYPTION_KEY 与备份时使用的密钥不一致"):
        decrypt_file(sealed, tmp_path / "opened.tar", "另一个密钥")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut in a chunk"),
        pytest.param(lambda data: data[: _HEADER.size + 4 + CHUNK + 16], id="cut at a chunk boundary"),
        pytest.param(lambda data: data[:200] + bytes([data[200] ^ 1]) + data[201:], id="one bit flipped"),
    ],
)
def test_damaged_or_shortened_file_is_refused(archive, tmp_path, damage):
    sealed = tmp_path / "backup.tar.enc"
    encrypt_file(archive, sealed, KEY)
    sealed.write_bytes(damage(sealed.read_bytes()))

    with pytest.raises(DecryptionError, match="备份文件已损坏"):
        decrypt_file(sealed, tmp_path / "opened.tar", KEY)
