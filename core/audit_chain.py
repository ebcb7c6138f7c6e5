"""The audit log's hash chain (README 安全审计): one canonical text per entry, hashed with SHA-256.

An entry's hash covers its sequence, the previous entry's hash and every field it records, so changing any field,
removing an entry or inserting one breaks the chain from that point on. The text is fixed JSON (sorted keys, no
spaces, UTF-8) over plain values, so that the same entry hashes the same in PostgreSQL, SQLite and an archive file.
Migration core/0012 holds a frozen copy of `entry_digest` for the entries that existed before the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

CHAIN_VERSION = 1


def normalise_data(data: dict) -> dict:
    """The details as the database gives them back (string keys, JSON types), so that the hash is stable."""
    return json.loads(json.dumps(data or {}, ensure_ascii=False))


def timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_digest(
    *,
    sequence: int,
    prev_hash: str,
    created_at: dt.datetime,
    action: str,
    actor_id: int | None,
    org_id: int | None,
    content_type_id: int | None,
    object_id: int | None,
    data: dict,
    ip_address: str | None,
) -> str:
    payload = {
        "v": CHAIN_VERSION,
        "seq": sequence,
        "prev": prev_hash,
        "at": timestamp(created_at),
        "action": action,
        "actor": actor_id,
        "org": org_id,
        "ct": content_type_id,
        "obj": object_id,
        "data": data,
        "ip": ip_address,
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_of(entry) -> str:
    """The hash an entry (model instance or a row read back from an archive) should carry."""
    return entry_digest(
        sequence=entry.sequence,
        prev_hash=entry.prev_hash,
        created_at=entry.created_at,
        action=entry.action,
        actor_id=entry.actor_id,
        org_id=entry.org_id,
        content_type_id=entry.content_type_id,
        object_id=entry.object_id,
        data=entry.data,
        ip_address=entry.ip_address,
    )
