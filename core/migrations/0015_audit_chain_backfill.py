"""Chain the audit entries written before the hash chain existed, oldest first, and set the chain head."""

import datetime as dt
import hashlib
import json

from django.db import migrations

GENESIS_HASH = "0" * 64


# A frozen copy of core.audit_chain.entry_digest (version 1): migrations never import live code.
def entry_digest(entry, sequence, prev_hash):
    payload = {
        "v": 1,
        "seq": sequence,
        "prev": prev_hash,
        "at": entry.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "action": entry.action,
        "actor": entry.actor_id,
        "org": entry.org_id,
        "ct": entry.content_type_id,
        "obj": entry.object_id,
        "data": json.loads(json.dumps(entry.data or {}, ensure_ascii=False)),
        "ip": entry.ip_address,
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_existing_entries(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    prev_hash, sequence = GENESIS_HASH, 0
    for entry in AuditEntry.objects.order_by("created_at", "pk").iterator(chunk_size=2000):
        sequence += 1
        entry.sequence, entry.prev_hash = sequence, prev_hash
        entry.entry_hash = prev_hash = entry_digest(entry, sequence, prev_hash)
        entry.save(update_fields=["sequence", "prev_hash", "entry_hash"])
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_sequence": sequence, "last_hash": prev_hash})


class Migration(migrations.Migration):
    dependencies = [("core", "0014_audit_chain")]

    operations = [migrations.RunPython(chain_existing_entries, migrations.RunPython.noop)]
