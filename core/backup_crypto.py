"""Encryption of backup archives (备份加密) with a key from the setting BACKUP_ENCRYPTION_KEY.

A backup holds every complainant's personal data; once it leaves the server (a USB disk, a shared folder) only
the key may open it. The archive is encrypted in a stream, so a backup of any size needs little memory:

    header   MAGIC (16 bytes) | scrypt salt (16) | nonce prefix (8) | key check (32)
    chunks   length (4, big-endian) | AES-256-GCM ciphertext of up to 1 MiB with its 16-byte tag

The key is derived from the setting by scrypt with the header's salt, so a passphrase works as well as a random
key. Chunk n is sealed with the nonce `prefix | n` and authenticates the header, its own number and whether it
is the last one: a chunk changed, moved, dropped, or a file cut short fails to decrypt. The key check (a SHA-256
of the derived key) tells a wrong key apart from a damaged file, for the operator's message.
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"XIAOBAO-BAK-ENC1"
CHUNK = 1 << 20
_HEADER = struct.Struct(">16s16s8s32s")
_LENGTH = struct.Struct(">I")
ENCRYPTED_SUFFIX = ".enc"


class DecryptionError(Exception):
    """The archive cannot be decrypted; the message is for the operator (Chinese)."""


def _derive(secret: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(secret.encode("utf-8"))


def _key_check(key: bytes) -> bytes:
    return hashlib.sha256(b"xiaobao backup key check" + key).digest()


def _aad(header: bytes, number: int, last: bool) -> bytes:
    return header + struct.pack(">Q?", number, last)


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(len(MAGIC)) == MAGIC


def encrypt_file(source: Path, target: Path, secret: str) -> None:
    salt, prefix = os.urandom(16), os.urandom(8)
    key = _derive(secret, salt)
    header = _HEADER.pack(MAGIC, salt, prefix, _key_check(key))
    cipher = AESGCM(key)
    with open(source, "rb") as plain, open(target, "wb") as sealed:
        sealed.write(header)
        number, chunk = 0, plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            last = not following
            nonce = prefix + struct.pack(">I", number)
            ciphertext = cipher.encrypt(nonce, chunk, _aad(header, number, last))
            sealed.write(_LENGTH.pack(len(ciphertext)) + ciphertext)
            if last:
                break
            number, chunk = number + 1, following


def decrypt_file(source: Path, target: Path, secret: str) -> None:
    with open(source, "rb") as sealed, open(target, "wb") as plain:
        header = sealed.read(_HEADER.size)
        if len(header) != _HEADER.size or not header.startswith(MAGIC):
            raise DecryptionError(f"不是加密的备份文件：{source}")
        _magic, salt, prefix, check = _HEADER.unpack(header)
        key = _derive(secret, salt)
        if _key_check(key) != check:
            raise DecryptionError("备份文件无法解密：BACKUP_ENCRYPTION_KEY 与备份时使用的密钥不一致，未做任何恢复。")
        cipher = AESGCM(key)
        number = 0
        while True:
            length = sealed.read(_LENGTH.size)
            if len(length) != _LENGTH.size:
                raise DecryptionError("备份文件已损坏：加密数据不完整（文件被截断），未做任何恢复。")
            ciphertext = sealed.read(_LENGTH.unpack(length)[0])
            last = not sealed.peek(1)
            nonce = prefix + struct.pack(">I", number)
            try:
                plain.write(cipher.decrypt(nonce, ciphertext, _aad(header, number, last)))
            except InvalidTag as exc:
                raise DecryptionError("备份文件已损坏：加密数据校验失败（内容被改动或截断），未做任何恢复。") from exc
            if last:
                return
            number += 1
