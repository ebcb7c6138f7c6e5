"""The audit log (README 安全审计): `log_action` appends one chained entry.

Writers take the chain head's row lock before reading the previous hash: an UPDATE of the head row first (a row
lock on PostgreSQL held until commit, the database write lock on SQLite), then the read. Two writers therefore
append one after the other and never chain to the same predecessor. The entry and the head move in the same
transaction as the action they record, so a rolled-back action leaves neither an entry nor a gap in the sequence.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.audit_chain import digest_of, normalise_data
from core.models import AuditChainHead, AuditEntry

CHAIN_HEAD_PK = 1


def _lock_chain_head() -> AuditChainHead:
    """Reserve the next sequence number under the head's lock and return the head (its previous hash)."""
    reserved = AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).update(last_sequence=F("last_sequence") + 1)
    if not reserved:
        # A fresh or emptied database (tests flush every table): the chain starts again at the genesis hash.
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(pk=CHAIN_HEAD_PK)
        except IntegrityError:
            pass  # another writer created it first
        AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).update(last_sequence=F("last_sequence") + 1)
    return AuditChainHead.objects.get(pk=CHAIN_HEAD_PK)


def client_address(request) -> str | None:
    """The client's address as the web server saw it (REMOTE_ADDR; the proxy sets it, README 部署)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def log_action(*, actor, action: str, target=None, org=None, request=None, ip_address=None, **data) -> AuditEntry:
    """Record a meaningful action with a dotted code, e.g. ``complaints.case.extended``.

    `data` must hold no personal data in clear: it is shown to auditors and exported. Pass `request` (or
    `ip_address`) where there is one, so that the entry says where the action came from.
    """
    if org is None and target is not None:
        org = getattr(target, "org", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    ip_address = ip_address or client_address(request)
    data = normalise_data(data)
    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    with transaction.atomic():
        head = _lock_chain_head()
        entry = AuditEntry(
            sequence=head.last_sequence,
            prev_hash=head.last_hash,
            created_at=timezone.now(),
            action=action,
            actor=actor,
            org=org,
            content_type=content_type,
            object_id=target.pk if target is not None else None,
            data=data,
            ip_address=ip_address,
        )
        entry.entry_hash = digest_of(entry)
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).update(last_hash=entry.entry_hash)
    return entry
