"""Encryption at rest of personal data (docs/domain.md, "个人信息"; README, "安全").

ID numbers and phone numbers are stored as Fernet tokens (AES-128-CBC with HMAC-SHA256, random IV) under the keys of
`PERSONAL_DATA_KEYS`: the first key encrypts, every key decrypts (MultiFernet), so a new key is put first and
`manage.py rotate_personal_data_key` re-encrypts the rows before an old key is dropped. Equality look-ups (repeat
detection, search by ID) use a keyed hash beside the token: HMAC-SHA256 under `PERSONAL_DATA_HASH_KEY`, a separate
key, so that the hash column alone cannot be brute-forced over the small space of valid IDs or phone numbers.

This module is kept small and stable: migration 0010 of complaints (and 0004 of mediation) carries a copy of it, as
migrations never import live code.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Every Fernet token starts with the version byte 0x80, "gAAAAA" in URL-safe base64. No valid ID number or phone
# number does, so a stored value is recognised as encrypted or as plaintext left from before encryption.
TOKEN_PREFIX = "gAAAAA"  # nosec B105 # the Fernet version marker, not a secret


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.PERSONAL_DATA_KEYS))


def is_token(value: str) -> bool:
    return bool(value) and value.startswith(TOKEN_PREFIX)


def encrypt(value: str) -> str:
    """A Fernet token of `value` under the first key; an empty value stays empty, a token stays as it is."""
    if not value or is_token(value):
        return value
    return _current().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    """The plaintext of a token; a value that is not a token (written before encryption) is returned as it is."""
    if not is_token(value):
        return value
    try:
        return _current().decrypt(value.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A personal-data value cannot be decrypted with any key of PERSONAL_DATA_KEYS: a key that encrypted it "
            "was removed before `manage.py rotate_personal_data_key` re-encrypted the rows."
        ) from None


def rotate(value: str) -> str:
    """The token re-encrypted under the first key (plaintext is encrypted)."""
    if not value:
        return value
    if not is_token(value):
        return encrypt(value)
    return _current().rotate(value.encode()).decode()


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def normalise_phone_number(value: str) -> str:
    """Digits only, without the +86 prefix: 0535-2212345 and 05352212345 are the same number."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


NORMALISERS = {"id": normalise_id_number, "phone": normalise_phone_number}


def blind_index(kind: str, value: str) -> str:
    """HMAC-SHA256 of the normalised value, hex; "" for an empty value. `kind` separates IDs from phones."""
    normal = NORMALISERS[kind](value)
    if not normal:
        return ""
    message = f"{kind}:{normal}".encode()
    return hmac.new(settings.PERSONAL_DATA_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()
