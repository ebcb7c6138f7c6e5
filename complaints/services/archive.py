"""Filing a closed case (归档), supplements to a filed case, and asking for its case-file bundle (docs/domain.md,
"归档").

Filing checks the file (complaints/services/archive_rules.py), fixes the retention period and queues the bundle;
from then on the case is read-only (`require_not_filed` in complaints/services/common.py), and whatever comes
later — a 复查/复核 result, a correction, material — is a supplement of its own.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services.audit import log_action
from core.services.jobs import dispatch, job_progress, latest_job
from core.services.numbering import next_number

from ..models import Case, CaseArchive, CaseSupplement
from .archive_rules import FileFacts, filing_missing, is_major_matter, retention_until, retention_years
from .common import (
    can_handle,
    is_supervisor,
    lock_case,
    log_case,
    record_event,
    require_handler,
    require_note,
    save_case,
)

ARCHIVE_COUNTER = "ARCHIVE"
BUNDLE_TASK = "complaints.tasks.build_case_bundle"


def archive_number(*, case: Case, year: int) -> str:
    """归档号: the office's own yearly sequence, e.g. 莱州金融监管支局归〔2026〕12号."""
    value = next_number(org=case.org, key=ARCHIVE_COUNTER, year=year)
    return _("%(office)s归〔%(year)s〕%(n)s号") % {"office": case.org.name, "year": year, "n": value}


def _missing_refusal(missing: list[str], supervisor: bool) -> ValidationError:
    listed = "；".join(missing)
    if supervisor:
        return ValidationError(
            {"approval_reason": [_("归档材料不全（缺少：%(list)s）。如仍要归档，请填写理由。") % {"list": listed}]},
            code="incomplete",
        )
    return ValidationError(
        _("归档材料不全，缺少：%(list)s。请补齐后再归档，或请支局负责人填写理由后归档。") % {"list": listed},
        code="incomplete",
    )


def _retention(actor, case: Case, *, permanent: bool, permanent_reason: str) -> tuple[bool, int | None, str]:
    """(is permanent, years, reason): by the rule, or 永久 chosen by a supervisor with a reason."""
    years = retention_years(case)
    if years is None:
        return True, None, _("重大事项")
    if not permanent:
        return False, years, ""
    if not is_supervisor(actor):
        raise PermissionDenied(_("只有支局负责人可以决定永久保管。"))
    reason = require_note(permanent_reason, _("请填写永久保管的理由。"))
    return True, None, reason[:200]


@transaction.atomic
def case_file(
    *,
    actor,
    case: Case,
    version: int,
    approval_reason: str = "",
    permanent: bool = False,
    permanent_reason: str = "",
) -> CaseArchive:
    """归档 a closed case: check its file, fix its retention, number it and queue its bundle.

    A file with something missing is refused for A/B, listing what is missing; a supervisor may file it anyway
    with a reason, which is kept with the list. Refusals change nothing.
    """
    case = lock_case(case, version)  # refuses a case already filed
    require_handler(actor, case)
    if case.is_open:
        raise ValidationError(_("案件尚未办结，不能归档。"), code="bad_state")
    missing = filing_missing(case, verify_files=True)
    approver = None
    reason = (approval_reason or "").strip()
    if missing:
        if not is_supervisor(actor) or not reason:
            raise _missing_refusal(missing, is_supervisor(actor))
        approver = actor
    is_permanent, years, why_permanent = _retention(actor, case, permanent=permanent, permanent_reason=permanent_reason)
    now = timezone.now()
    today = timezone.localdate(now)
    archive = CaseArchive(
        case=case,
        org=case.org,
        archive_number=archive_number(case=case, year=today.year),
        filed_on=today,
        filed_at=now,
        filed_by=actor,
        missing=missing,
        approved_by=approver,
        approval_reason=reason if approver else "",
        is_permanent=is_permanent,
        retention_years=years,
        retention_until=retention_until(today, years) if years is not None else None,
        permanent_reason=why_permanent,
    )
    archive._change_reason = _("归档")
    archive.save()
    note = _("归档号 %(n)s，保管期限 %(r)s。") % {"n": archive.archive_number, "r": archive.retention_label}
    if missing:
        note += _("材料不全（%(list)s），经支局负责人批准归档：%(reason)s") % {
            "list": "；".join(missing),
            "reason": reason,
        }
    record_event(case=case, actor=actor, approver=approver, action="filed", from_status=case.status, note=note)
    save_case(case, reason=_("归档"), fields=[])
    log_case(actor, "filed", case, archive=archive.archive_number, missing=len(missing), permanent=is_permanent)
    _queue_bundle(archive)
    return archive


def filing_preview(case: Case, *, facts: FileFacts | None = None) -> dict:
    """What the case page shows before filing: what is missing (without re-hashing files) and the retention."""
    today = timezone.localdate()
    years = retention_years(case)
    return {
        "missing": filing_missing(case, facts=facts),
        "major": is_major_matter(case),
        "years": years,
        "until": retention_until(today, years) if years is not None else None,
    }


# --- Supplements ---------------------------------------------------------------------------------------------


@transaction.atomic
def case_supplement_add(*, actor, case: Case, kind: str, text: str) -> CaseSupplement:
    """Add a 复查/复核 result, a correction or later material to a filed case; the case itself is not changed."""
    case = Case.objects.select_for_update(of=("self",)).select_related("org").get(pk=case.pk)
    require_handler(actor, case)
    if not CaseArchive.objects.filter(case=case).exists():
        raise ValidationError(_("案件尚未归档：请在办理流程中记录，归档后才添加补充材料或更正。"))
    if kind not in CaseSupplement.Kind.values:
        raise ValidationError({"kind": [_("请选择补充材料的类型。")]})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("请填写补充材料或更正的内容。")]})
    supplement = CaseSupplement(case=case, kind=kind, text=text, added_by=actor, added_at=timezone.now())
    supplement._change_reason = _("添加补充材料/更正")
    supplement.save()
    log_case(actor, "supplement_added", case, kind=kind, supplement=supplement.pk)
    return supplement


# --- The bundle ----------------------------------------------------------------------------------------------


def bundle_steps(archive: CaseArchive) -> int:
    """How many steps the bundle's progress counts: the cover, each document, each attachment, the two files."""
    case = archive.case
    return 3 + case.documents.count() + case.attachments.count()


def _queue_bundle(archive: CaseArchive):
    # By name: the task module imports this one (docs/architecture.md, "Job outbox").
    job = dispatch(BUNDLE_TASK, archive.pk, target=archive)
    job_progress(job.pk, 0, total=bundle_steps(archive))
    return job


@transaction.atomic
def archive_bundle_request(*, actor, archive: CaseArchive):
    """Build the bundle again on demand (after a supplement, or when its files were lost); returns the job."""
    archive = CaseArchive.objects.select_for_update().select_related("case__org").get(pk=archive.pk)
    if not can_handle(actor, archive.case):
        raise PermissionDenied(_("只有本案件的A岗、B岗或支局负责人可以生成卷宗。"))
    if archive.destroyed_at is not None:
        raise ValidationError(_("该案件档案已销毁，不能再生成卷宗。"))
    running = latest_job(archive)
    if running is not None and running.is_active:
        raise ValidationError(_("卷宗正在生成中，请稍候。"))
    log_case(actor, "bundle_requested", archive.case, archive=archive.archive_number)
    return _queue_bundle(archive)


def bundle_downloaded(*, actor, archive: CaseArchive, part: str) -> None:
    """The bundle holds the documents as issued (full names): like printing one of them, only A, B and the
    supervisors may download it, and each download is logged as a reveal (docs/domain.md, "个人信息")."""
    if not can_handle(actor, archive.case):
        raise PermissionDenied(_("只有本案件的A岗、B岗或支局负责人可以下载卷宗。"))
    log_case(actor, "bundle_downloaded", archive.case, archive=archive.archive_number, part=part)
    log_action(
        actor=actor,
        action="complaints.case.personal_data_revealed",
        target=archive.case,
        number=archive.case.number,
        document=f"bundle_{part}",
    )


__all__ = [
    "archive_bundle_request",
    "archive_number",
    "bundle_downloaded",
    "case_file",
    "case_supplement_add",
    "filing_preview",
]
