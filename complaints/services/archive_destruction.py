"""Destroying a filed case past its retention: proposed, approved by the supervisor, carried out, logged
(docs/domain.md, "归档"). Nothing is destroyed without an approved decision, and the decision is kept for ever.

Carrying out deletes the case's stored files (attachments and bundle, through the storage API) and erases its
personal data; the case's ledger row (number, dates, type, closure), its archive row and the decision stay, so
that the archive list and the statistics still count it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Case, CaseArchive, DestructionDecision
from .case_counts import case_save
from .common import is_supervisor, log_case, record_event, require_note, sees_case

PERSONAL_FIELDS = ("name", "id_number", "phone", "address", "content")


def _locked_archive(archive: CaseArchive) -> CaseArchive:
    return CaseArchive.objects.select_for_update(of=("self",)).select_related("case__org").get(pk=archive.pk)


@transaction.atomic
def destruction_propose(*, actor, archive: CaseArchive, reason: str) -> DestructionDecision:
    """Propose destroying a filed case whose retention has run out; anyone of the office may propose."""
    archive = _locked_archive(archive)
    if not sees_case(actor, archive.case) or actor.org_id is None and not actor.is_superuser:
        raise PermissionDenied(_("只有本单位人员可以提出销毁。"))
    if archive.destroyed_at is not None:
        raise ValidationError(_("该案件档案已销毁。"))
    if archive.is_permanent:
        raise ValidationError(_("永久保管的档案不能销毁。"))
    today = timezone.localdate()
    if archive.retention_until >= today:
        raise ValidationError(_("保管期限至 %(until)s，尚未届满，不能提出销毁。") % {"until": archive.retention_until})
    if archive.destruction_decisions.filter(state=DestructionDecision.State.PROPOSED).exists():
        raise ValidationError(_("该档案已有待审批的销毁申请。"))
    reason = require_note(reason, _("请填写销毁理由（如：保管期限已满，经鉴定无继续保存价值）。"))
    decision = DestructionDecision(
        archive=archive,
        case_number=archive.case.number,
        archive_number=archive.archive_number,
        reason=reason,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    decision._change_reason = _("提出销毁")
    decision.save()
    log_case(actor, "destruction_proposed", archive.case, archive=archive.archive_number, decision=decision.pk)
    return decision


@transaction.atomic
def destruction_decide(*, actor, decision: DestructionDecision, approve: bool, note: str = "") -> DestructionDecision:
    """The supervisor approves (the destruction is carried out at once) or refuses, with a note when refusing."""
    decision = DestructionDecision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    archive = _locked_archive(decision.archive)
    if not is_supervisor(actor) or not sees_case(actor, archive.case):
        raise PermissionDenied(_("只有支局负责人可以审批销毁。"))
    if decision.state != DestructionDecision.State.PROPOSED:
        raise ValidationError(_("该销毁申请已审批。"))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError(_("不予销毁时请填写审批意见。"))
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    decision.decision_note = note
    if approve:
        decision.state = DestructionDecision.State.APPROVED
        decision.destroyed_files = _destroy(actor, archive, decision)
    else:
        decision.state = DestructionDecision.State.REJECTED
    decision._change_reason = _("审批销毁")
    decision.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "destroyed_files"])
    log_case(
        actor,
        "destroyed" if approve else "destruction_rejected",
        archive.case,
        archive=archive.archive_number,
        decision=decision.pk,
    )
    return decision


def _destroy(actor, archive: CaseArchive, decision: DestructionDecision) -> list[dict]:
    """Delete the files (after the commit: a rolled-back decision deletes nothing) and the personal data."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=archive.case_id)
    files = []
    storage_names = []
    for attachment in case.attachments.all():
        files.append({"name": attachment.original_name, "sha256": attachment.sha256})
        if attachment.file.name:
            storage_names.append((attachment.file.storage, attachment.file.name))
    for field in (archive.bundle_pdf, archive.bundle_zip):
        if field.name:
            storage_names.append((field.storage, field.name))
            files.append({"name": field.name.rsplit("/", 1)[-1], "sha256": ""})
    for storage, name in storage_names:
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    archive.bundle_pdf = ""
    archive.bundle_zip = ""
    archive.destroyed_at = timezone.now()
    archive._change_reason = _("销毁")
    archive.save(update_fields=["bundle_pdf", "bundle_zip", "destroyed_at"])
    for field in PERSONAL_FIELDS:
        setattr(case, field, "")
    case.version += 1
    case._change_reason = _("档案销毁：个人信息已清除")
    case_save(case, update_fields=[*PERSONAL_FIELDS, "id_number_hash", "phone_hash", "version", "updated_at"])
    # The case's field history held the same personal data: it is erased there too (row by row; the rest of the
    # history — who changed what, when — stays).
    erased = {field: getattr(case, field) for field in (*PERSONAL_FIELDS, "id_number_hash", "phone_hash")}
    for record in case.history.all():
        for field, value in erased.items():
            setattr(record, field, value)
        record.save(update_fields=list(erased))
    record_event(
        case=case,
        actor=actor,
        approver=actor,
        action="destroyed",
        from_status=case.status,
        note=_("保管期限届满，经批准销毁（%(reason)s）") % {"reason": decision.reason},
    )
    return files
