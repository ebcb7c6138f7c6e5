"""The supervisory interview workflow (docs/domain.md, "约谈督导"): proposed → scheduled → held → self-inspection →
rectification → verified → closed or escalated. Due dates are core.Deadline rows (dashboard, reminders)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Deadline
from core.services.audit import log_action
from core.services.deadlines import deadline_cancel, deadline_complete, deadline_open_custom
from core.uploads import sha256_of, validate_upload

from ..models import Interview, InterviewAttachment, RectificationItem
from .common import require_staff, require_supervisor

S = Interview.Status


def _guard(interview: Interview, *allowed: str) -> None:
    if interview.status not in allowed:
        raise ValidationError(
            _("约谈当前状态为“%(status)s”，不能执行此操作。") % {"status": interview.get_status_display()}
        )


def _save(interview: Interview, reason: str, fields: list[str]) -> None:
    interview._change_reason = reason
    interview.save(update_fields=fields)


def _open_deadline(*, item, interview: Interview, due_on: dt.date, label: str, kind: str) -> Deadline:
    return deadline_open_custom(
        item=item,
        due_on=due_on,
        label=label,
        org=interview.org,
        owner=interview.owner,
        backup=interview.backup,
        institution_id=interview.institution_id,
        item_kind=kind,
    )


@transaction.atomic
def interview_create(*, actor, institution, reason: str, owner=None, backup=None) -> Interview:
    """An interview started by hand: it skips the proposal and waits to be scheduled."""
    require_staff(actor, institution.org)
    if not reason.strip():
        raise ValidationError(_("请填写约谈事由。"))
    interview = Interview(
        org=institution.org,
        institution=institution,
        status=S.PROPOSED,
        source=Interview.Source.MANUAL,
        reason=reason,
        owner=owner or actor,
        backup=backup if backup is not None else getattr(owner or actor, "backup", None),
        created_by=actor,
    )
    interview._change_reason = _("人工发起约谈")
    interview.save()
    log_action(actor=actor, action="institutions.interview.created", target=interview)
    return interview


@transaction.atomic
def interview_dismiss(*, actor, interview: Interview, note: str) -> Interview:
    require_staff(actor, interview.org)
    _guard(interview, S.PROPOSED)
    if not note.strip():
        raise ValidationError(_("不予约谈须说明理由。"))
    interview.status = S.DISMISSED
    interview.outcome_note = note
    interview.closed_on = timezone.localdate()
    _save(interview, _("不予约谈"), ["status", "outcome_note", "closed_on"])
    log_action(actor=actor, action="institutions.interview.dismissed", target=interview, note=note)
    return interview


@transaction.atomic
def interview_schedule(
    *, actor, interview: Interview, scheduled_at: dt.datetime, attendees: str, topics: str, location: str = ""
) -> Interview:
    """Confirm a proposal (or re-schedule) with time, attendees from senior management and topics."""
    require_staff(actor, interview.org)
    _guard(interview, S.PROPOSED, S.SCHEDULED)
    if not attendees.strip() or not topics.strip():
        raise ValidationError(_("安排约谈须填写参加人员和约谈议题。"))
    interview.status = S.SCHEDULED
    interview.scheduled_at = scheduled_at
    interview.attendees = attendees
    interview.topics = topics
    interview.location = location
    if interview.owner_id is None:
        interview.owner = actor
        interview.backup = actor.backup
    _save(
        interview,
        _("安排约谈"),
        ["status", "scheduled_at", "attendees", "topics", "location", "owner", "backup"],
    )
    log_action(actor=actor, action="institutions.interview.scheduled", target=interview)
    return interview


@transaction.atomic
def interview_record_held(
    *, actor, interview: Interview, held_on: dt.date, record: str, issues_found: str
) -> Interview:
    require_staff(actor, interview.org)
    _guard(interview, S.SCHEDULED)
    if not record.strip() or not issues_found.strip():
        raise ValidationError(_("请填写谈话记录和发现的问题。"))
    if held_on > timezone.localdate():
        raise ValidationError(_("约谈日期不能晚于今天。"))
    interview.status = S.HELD
    interview.held_on = held_on
    interview.record = record
    interview.issues_found = issues_found
    _save(interview, _("记录约谈情况"), ["status", "held_on", "record", "issues_found"])
    log_action(actor=actor, action="institutions.interview.held", target=interview)
    return interview


@transaction.atomic
def interview_require_self_inspection(*, actor, interview: Interview, scope: str, due_on: dt.date) -> Interview:
    """ "暴露一件、自查一批": the institution inspects the whole class of similar problems by `due_on`."""
    require_staff(actor, interview.org)
    _guard(interview, S.HELD)
    if not scope.strip():
        raise ValidationError(_("请说明自查范围。"))
    if due_on < timezone.localdate():
        raise ValidationError(_("自查期限不能早于今天。"))
    interview.status = S.SELF_INSPECTION
    interview.self_inspection_scope = scope
    interview.self_inspection_due_on = due_on
    _save(interview, _("要求机构自查"), ["status", "self_inspection_scope", "self_inspection_due_on"])
    _open_deadline(
        item=interview,
        interview=interview,
        due_on=due_on,
        label=_("约谈自查：%(inst)s") % {"inst": interview.institution.short_name},
        kind="institutions.interview.self_inspection",
    )
    log_action(actor=actor, action="institutions.interview.self_inspection_required", target=interview)
    return interview


def _interview_deadlines(interview: Interview):
    from django.contrib.contenttypes.models import ContentType

    return Deadline.objects.open().filter(
        content_type=ContentType.objects.get_for_model(Interview), object_id=interview.pk
    )


@transaction.atomic
def interview_record_self_inspection(
    *, actor, interview: Interview, done_on: dt.date, result: str, items: list[tuple[str, dt.date]]
) -> Interview:
    """The institution's self-inspection report arrived: record it and the rectification items it set."""
    require_staff(actor, interview.org)
    _guard(interview, S.SELF_INSPECTION)
    if not result.strip():
        raise ValidationError(_("请填写自查情况。"))
    if not items:
        raise ValidationError(_("请至少列出一项整改事项。"))
    interview.status = S.RECTIFYING
    interview.self_inspection_done_on = done_on
    interview.self_inspection_result = result
    _save(interview, _("收到自查报告"), ["status", "self_inspection_done_on", "self_inspection_result"])
    for deadline in _interview_deadlines(interview):
        deadline_complete(deadline=deadline, completed_on=done_on)
    for description, due_on in items:
        rectification_add(actor=actor, interview=interview, description=description, due_on=due_on)
    log_action(actor=actor, action="institutions.interview.self_inspection_recorded", target=interview)
    return interview


@transaction.atomic
def rectification_add(*, actor, interview: Interview, description: str, due_on: dt.date) -> RectificationItem:
    require_staff(actor, interview.org)
    _guard(interview, S.RECTIFYING)
    if not description.strip():
        raise ValidationError(_("请填写整改事项。"))
    item = RectificationItem(interview=interview, description=description, due_on=due_on)
    item._change_reason = _("新增整改事项")
    item.save()
    item.deadline = _open_deadline(
        item=item,
        interview=interview,
        due_on=due_on,
        label=_("约谈整改：%(inst)s %(text)s") % {"inst": interview.institution.short_name, "text": description[:30]},
        kind="institutions.rectification",
    )
    item.save(update_fields=["deadline"])
    return item


@transaction.atomic
def rectification_complete(
    *, actor, item: RectificationItem, completed_on: dt.date, evidence_note: str
) -> RectificationItem:
    interview = item.interview
    require_staff(actor, interview.org)
    _guard(interview, S.RECTIFYING)
    if item.completed_on:
        raise ValidationError(_("该整改事项已完成。"))
    if not evidence_note.strip():
        raise ValidationError(_("请说明整改证明材料。"))
    item.completed_on = completed_on
    item.evidence_note = evidence_note
    item._change_reason = _("整改完成")
    item.save(update_fields=["completed_on", "evidence_note"])
    if item.deadline_id:
        deadline_complete(deadline=item.deadline, completed_on=completed_on)
    log_action(actor=actor, action="institutions.rectification.completed", target=interview, item=item.pk)
    return item


@transaction.atomic
def interview_verify(*, actor, interview: Interview, note: str) -> Interview:
    """The office checked the rectification: every item must be complete."""
    require_staff(actor, interview.org)
    _guard(interview, S.RECTIFYING)
    if interview.rectification_items.filter(completed_on__isnull=True).exists():
        raise ValidationError(_("还有整改事项未完成，不能验证。"))
    interview.status = S.VERIFIED
    interview.verified_on = timezone.localdate()
    interview.verified_by = actor
    interview.verification_note = note
    _save(interview, _("整改验证"), ["status", "verified_on", "verified_by", "verification_note"])
    log_action(actor=actor, action="institutions.interview.verified", target=interview)
    return interview


@transaction.atomic
def interview_close(*, actor, interview: Interview, note: str = "") -> Interview:
    require_supervisor(actor, interview.org)
    _guard(interview, S.VERIFIED)
    interview.status = S.CLOSED
    interview.closed_on = timezone.localdate()
    interview.outcome_note = note
    _save(interview, _("办结"), ["status", "closed_on", "outcome_note"])
    log_action(actor=actor, action="institutions.interview.closed", target=interview)
    return interview


@transaction.atomic
def interview_escalate(*, actor, interview: Interview, note: str) -> Interview:
    """Report to the prefecture branch (e.g. the institution does not rectify); open due dates are cancelled."""
    require_supervisor(actor, interview.org)
    _guard(interview, S.HELD, S.SELF_INSPECTION, S.RECTIFYING, S.VERIFIED)
    if not note.strip():
        raise ValidationError(_("上报分局须说明原因。"))
    interview.status = S.ESCALATED
    interview.closed_on = timezone.localdate()
    interview.outcome_note = note
    _save(interview, _("上报分局"), ["status", "closed_on", "outcome_note"])
    for deadline in _interview_deadlines(interview):
        deadline_cancel(deadline=deadline, reason=_("约谈已上报分局"))
    for item in interview.rectification_items.filter(completed_on__isnull=True, deadline__isnull=False):
        deadline_cancel(deadline=item.deadline, reason=_("约谈已上报分局"))
    log_action(actor=actor, action="institutions.interview.escalated", target=interview, note=note)
    return interview


@transaction.atomic
def interview_attach(*, actor, interview: Interview, upload, kind: str, rectification_item=None) -> InterviewAttachment:
    require_staff(actor, interview.org)
    if interview.is_final:
        raise ValidationError(_("约谈已结束，不能再上传附件。"))
    validate_upload(upload)
    attachment = InterviewAttachment(
        interview=interview,
        rectification_item=rectification_item,
        kind=kind,
        original_name=upload.name[:200],
        size=upload.size,
        sha256=sha256_of(upload),
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    log_action(
        actor=actor, action="institutions.interview.attached", target=interview, kind=kind, sha256=attachment.sha256
    )
    return attachment
