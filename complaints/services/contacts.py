"""Visit and call records (来访来电记录): who may see, reveal and correct a contact record, and the correction.

A contact answered on the spot is a record of the office's work like any case (docs/domain.md: visits and calls
answered on the spot are records too). The person who logged it may correct it on the day they logged it; from
the next day only a supervisor may, and every correction leaves a history record with its reason, an audit entry
and, for a contact joined to a case, a line on the case's timeline.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import sees_org
from core.roles import Role, has_role, is_mediator_only
from core.services.audit import log_action

from ..models import Contact
from ..models.choices import Channel
from .common import is_supervisor, record_event, require_not_filed
from .intake import REFERENCE_REQUIRED, _clean_person

STALE_CONTACT_MESSAGE = _("该记录已被他人修改，请刷新后重试")

# The fields a correction may change; the outcome and the linked case are changed on the case page, not here.
CORRECTABLE = (
    "channel",
    "received_at",
    "reference_no",
    "topic",
    "name",
    "id_number",
    "phone",
    "address",
    "is_anonymous",
    "group_size",
    "institution",
    "summary",
    "content",
    "answer",
)
PERSONAL_FIELDS = ("name", "id_number", "phone", "address")


def sees_contact(user, contact: Contact) -> bool:
    """The ledger's rule: the office's staff and the units above it; never a mediator from outside the office."""
    return sees_org(user, contact.org) and not is_mediator_only(user)


def can_reveal_contact(user, contact: Contact) -> bool:
    """As on the case page: the person who took the visit or call, the linked case's A and B, supervisors."""
    if not sees_contact(user, contact):
        return False
    if user.is_superuser or (has_role(user, Role.SUPERVISOR) and user.org_id == contact.org_id):
        return True
    if user.pk == contact.received_by_id:
        return True
    case = contact.case
    return case is not None and user.pk in (case.owner_id, case.backup_id)


def correction_refusal(user, contact: Contact, today: dt.date | None = None) -> str:
    """Why `user` may not correct `contact` today, or "" when they may."""
    if not sees_contact(user, contact):
        return _("该记录不存在。")
    if user.is_superuser or (is_supervisor(user) and user.org_id == contact.org_id):
        return ""
    today = today or timezone.localdate()
    logged_on = timezone.localdate(contact.created_at)
    if user.pk == contact.received_by_id:
        if logged_on == today:
            return ""
        return _("登记人只能在登记当天（%(day)s）更正；之后请由支局负责人更正。") % {"day": logged_on.isoformat()}
    return _("只有登记人本人（登记当天）或支局负责人可以更正来访来电记录。")


def can_correct_contact(user, contact: Contact, today: dt.date | None = None) -> bool:
    return correction_refusal(user, contact, today) == ""


def contact_personal_data_revealed(*, actor, contact: Contact, purpose: str = "view") -> None:
    """Log that the full personal data of the contact was shown to `actor` (docs/domain.md §9)."""
    if not can_reveal_contact(actor, contact):
        raise PermissionDenied(_("只有接待人、关联案件的A岗、B岗和支局负责人可以查看完整个人信息。"))
    log_action(actor=actor, action="complaints.contact.personal_data_revealed", target=contact, purpose=purpose)


def _check(contact: Contact, values: dict, *, now: dt.datetime) -> dict[str, list[str]]:
    """The intake rules for the corrected values; returns the messages per field."""
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not values["summary"]:
        error("summary", _("请填写事项摘要。"))
    if values["channel"] not in Channel.values:
        error("channel", _("请选择来源渠道。"))
    if values["topic"] not in Contact.Topic.values:
        error("topic", _("请选择事项类别。"))
    if values["received_at"] is None:
        error("received_at", _("请填写接收时间。"))
    elif values["received_at"] > now + dt.timedelta(minutes=5):
        error("received_at", _("接收时间不能晚于当前时间。"))
    if values["channel"] in REFERENCE_REQUIRED and not values["reference_no"]:
        error("reference_no", _("上级转送件和12378转来的件须填写来文/工单编号。"))
    if (values["group_size"] or 0) < 1:
        error("group_size", _("人数至少为1。"))
    if contact.outcome == Contact.Outcome.ANSWERED and not values["answer"]:
        error("answer", _("当场答复的，请填写答复内容。"))
    institution = values["institution"]
    if (
        institution is not None
        and institution.org_id
        and not (contact.org.is_within(institution.org) or institution.org.is_within(contact.org))
    ):
        error("institution", _("所选机构不属于本单位监管范围。"))
    return errors


def _corrected_values(contact: Contact, changes: dict, errors: dict) -> dict:
    values = {field: changes.get(field, getattr(contact, field)) for field in CORRECTABLE}
    for field in ("reference_no", "address", "summary", "content", "answer"):
        values[field] = (values[field] or "").strip()
    values["is_anonymous"] = bool(values["is_anonymous"])
    values["name"], values["id_number"], values["phone"] = _clean_person(
        name=values["name"], id_number=values["id_number"], phone=values["phone"], errors=errors
    )
    if values["is_anonymous"]:
        values.update(name="", id_number="", phone="", address="")
    if contact.outcome != Contact.Outcome.ANSWERED:
        values["answer"] = contact.answer
    return values


@transaction.atomic
def contact_correct(*, actor, contact: Contact, version: int | None, reason: str, **changes) -> Contact:
    """Correct a contact record. `changes` holds new values of CORRECTABLE fields (others are refused).

    Refused with a Chinese message and nothing changed: by anyone but the person who logged it on that day or a
    supervisor (PermissionDenied), on a stale version, without a reason, or with values intake would refuse.
    """
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise ValidationError(_("这些字段不能在此更正：%(fields)s") % {"fields": "、".join(unknown)})
    locked = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("org", "institution", "case", "received_by")
        .get(pk=contact.pk)
    )
    refusal = correction_refusal(actor, locked)
    if refusal:
        raise PermissionDenied(refusal)
    if version is None or int(version) != locked.version:
        raise ValidationError(STALE_CONTACT_MESSAGE, code="stale")
    if locked.case_id is not None:
        # The record of a visit belongs to its case's file: once filed, corrections are supplements.
        require_not_filed(locked.case)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("请填写更正说明。")]
    values = _corrected_values(locked, changes, errors)
    for field, messages in _check(locked, values, now=timezone.now()).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    changed = [field for field in CORRECTABLE if values[field] != getattr(locked, field)]
    if not changed:
        raise ValidationError(_("没有需要更正的内容。"), code="unchanged")
    old_words = (locked.summary, locked.content)
    for field in changed:
        setattr(locked, field, values[field])
    locked.version += 1
    locked._change_reason = _("更正：%(reason)s") % {"reason": reason}
    locked._history_user = actor
    locked.save(update_fields=[*changed, "version"])
    if locked.case_id is not None and (locked.summary, locked.content) != old_words:
        # The case's timeline shows what the person said (issue 13): a corrected repeat keeps its words there.
        record_event(
            case=locked.case,
            actor=actor,
            action="contact_corrected",
            from_status=locked.case.status,
            note=_("更正%(channel)s %(when)s 的来访来电记录：%(words)s")
            % {
                "channel": Channel(locked.channel).label,
                "when": timezone.localtime(locked.received_at).strftime("%Y-%m-%d %H:%M"),
                "words": contact_words(locked),
            },
        )
    # Field names only: the audit log holds no personal data in clear.
    log_action(actor=actor, action="complaints.contact.corrected", target=locked, fields=changed)
    return locked


def contact_words(contact: Contact) -> str:
    """What the person said, as the case timeline shows it: the summary, then the content when there is one."""
    words = contact.summary.strip()
    content = (contact.content or "").strip()
    return f"{words}\n{content}" if content else words


__all__ = [
    "CORRECTABLE",
    "PERSONAL_FIELDS",
    "STALE_CONTACT_MESSAGE",
    "can_correct_contact",
    "can_reveal_contact",
    "contact_correct",
    "contact_personal_data_revealed",
    "contact_words",
    "correction_refusal",
    "sees_contact",
]
