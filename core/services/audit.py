from django.contrib.contenttypes.models import ContentType

from core.models import AuditEntry


def log_action(*, actor, action: str, target=None, org=None, **data) -> AuditEntry:
    """Record a meaningful action with a dotted code, e.g. ``complaints.case.extended``.

    `data` must hold no personal data in clear: it is shown to auditors and exported.
    """
    if org is None and target is not None:
        org = getattr(target, "org", None)
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        org=org,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
        data=data,
    )
