"""The closed loop 研提意见 → 尽职调查 → 反馈意见, and attachments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import deadlines as deadline_services
from core.services.audit import log_action
from core.uploads import content_type_for, sha256_of, validate_upload

from ..models import Attachment, Case, CaseStep
from .common import (
    can_handle,
    lock_case,
    log_case,
    record_event,
    require_handler,
    require_not_filed,
    require_note,
    require_transition,
    save_case,
    sees_case,
    sync_due_on,
)

STEP_ORDER = [CaseStep.Kind.OPINION, CaseStep.Kind.DUE_DILIGENCE, CaseStep.Kind.FEEDBACK]


def next_step_kind(case: Case) -> str | None:
    """The loop's next step to start, or None when one is running or the loop is complete."""
    steps = {step.kind: step for step in case.steps.all()}
    for kind in STEP_ORDER:
        step = steps.get(kind)
        if step is None:
            return kind
        if step.done_on is None:
            return None
    return None


@transaction.atomic
def case_step_start(*, actor, case: Case, version: int, kind: str, owner, due_on: dt.date, note: str = "") -> CaseStep:
    case = lock_case(case, version)
    require_handler(actor, case)
    if not case.is_open:
        raise ValidationError(_("案件已办结，不能再启动闭环环节。"))
    require_transition(actor, case, "step_start")
    expected = next_step_kind(case)
    if kind != expected:
        if expected is None:
            raise ValidationError(_("上一环节尚未完成，或闭环已全部完成。"))
        raise ValidationError(
            _("闭环须按 研提意见 → 尽职调查 → 反馈意见 的顺序进行，下一环节是“%(k)s”。")
            % {"k": CaseStep.Kind(expected).label}
        )
    if owner is None or owner.org_id != case.org_id:
        raise ValidationError(_("负责人须为本单位人员。"))
    today = timezone.localdate()
    if due_on is None or due_on < today:
        raise ValidationError(_("完成期限不能早于今天。"))
    step = CaseStep(case=case, kind=kind, owner=owner, due_on=due_on, note=(note or "").strip())
    step._change_reason = _("启动环节")
    step.save()
    deadline_services.deadline_open_custom(
        item=step,
        due_on=due_on,
        label=f"{case.number} {step.get_kind_display()}",
        org=case.org,
        owner=owner,
        backup=case.backup if case.backup_id != owner.pk else case.owner,
        institution_id=case.institution_id,
        item_kind="case:step",
        started_on=today,
    )
    sync_due_on(case)
    save_case(case, reason=_("启动闭环环节"), fields=["due_on"])
    record_event(
        case=case,
        actor=actor,
        action=f"step_{kind}_started",
        from_status=case.status,
        note=_("%(k)s：负责人 %(o)s，期限 %(d)s。%(n)s")
        % {"k": step.get_kind_display(), "o": owner, "d": due_on, "n": note},
    )
    log_case(actor, "step_started", case, step=kind)
    return step


@transaction.atomic
def case_step_complete(*, actor, step: CaseStep, version: int, note: str, done_on=None) -> CaseStep:
    case = lock_case(step.case, version)
    step = CaseStep.objects.select_for_update().get(pk=step.pk)
    if not (can_handle(actor, case) or actor.pk == step.owner_id):
        raise PermissionDenied(_("只有该环节负责人、案件A/B岗或支局负责人可以完成该环节。"))
    if step.done_on:
        raise ValidationError(_("该环节已完成。"))
    note = require_note(note, _("请填写该环节的结论或内容。"))
    done_on = done_on or timezone.localdate()
    step.done_on = done_on
    step.note = f"{step.note}\n{note}".strip() if step.note else note
    step._change_reason = _("完成环节")
    step.save(update_fields=["done_on", "note"])
    from django.contrib.contenttypes.models import ContentType

    from core.models import Deadline

    for deadline in Deadline.objects.open().filter(
        content_type=ContentType.objects.get_for_model(CaseStep), object_id=step.pk
    ):
        deadline_services.deadline_complete(deadline=deadline, completed_on=done_on)
    sync_due_on(case)
    save_case(case, reason=_("完成闭环环节"), fields=["due_on"])
    record_event(
        case=case,
        actor=actor,
        action=f"step_{step.kind}_done",
        from_status=case.status,
        note=_("%(k)s完成：%(n)s") % {"k": step.get_kind_display(), "n": note},
    )
    log_case(actor, "step_done", case, step=step.kind)
    return step


@transaction.atomic
def attachment_add(*, actor, case: Case, upload, kind: str, description: str = "", step: CaseStep | None = None):
    """Store an attachment after checking size and type; its SHA-256 is taken at upload."""
    require_handler(actor, case)
    require_not_filed(case)
    if kind not in Attachment.Kind.values:
        raise ValidationError(_("请选择附件类型。"))
    if step is not None and step.case_id != case.pk:
        raise ValidationError(_("所选环节不属于本案件。"))
    validate_upload(upload)
    attachment = Attachment(
        case=case,
        step=step,
        kind=kind,
        original_name=upload.name[:200],
        # Decided from the checked content, never the type the browser sent.
        content_type=content_type_for(upload.name),
        size=upload.size,
        sha256=sha256_of(upload),
        description=(description or "").strip(),
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    attachment._change_reason = _("上传附件")
    attachment.save()
    record_event(
        case=case,
        actor=actor,
        action="attachment_added",
        from_status=case.status,
        note=_("上传%(k)s：%(n)s") % {"k": attachment.get_kind_display(), "n": attachment.original_name},
    )
    log_action(
        actor=actor, action="complaints.attachment.uploaded", target=attachment, org=case.org, sha256=attachment.sha256
    )
    return attachment


def attachment_downloaded(*, actor, attachment: Attachment) -> None:
    if not sees_case(actor, attachment.case):
        raise PermissionDenied
    log_action(
        actor=actor,
        action="complaints.attachment.downloaded",
        target=attachment,
        org=attachment.case.org,
        case=attachment.case.number,
    )


__all__ = [
    "STEP_ORDER",
    "attachment_add",
    "attachment_downloaded",
    "case_step_complete",
    "case_step_start",
    "next_step_kind",
]
