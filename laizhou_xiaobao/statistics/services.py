"""The statistics report's workflow (docs/domain.md, "信访投诉统计").

draft → checked (a clerk or the supervisor has checked the figures) → approved (the supervisor) → submitted to
the branch and frozen (snapshot JSON, its SHA-256 and the files' SHA-256, who, when). The supervisor may send a
checked or approved report back to draft; a branch reviewer may return a submitted one with a reason; a corrected
version (drafted afresh from the data) then supersedes it, and both are kept. The same shape as the quarterly
positive/negative list (institutions/services/lists.py), whose permission helpers it shares.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import sees_org
from core.models import OrgUnit
from core.replica import replica_reads
from core.roles import Role, has_role
from core.services.audit import log_action
from core.services.report_files import require_files_ready
from institutions.services.common import require_staff, require_supervisor

from .figures import default_summary, report_tables
from .models import YEAR, StatisticsReport, period_bounds

S = StatisticsReport.Status
SUMMARY_MAX_LENGTH = 2000


def _save(report: StatisticsReport, reason: str, fields: list[str] | None = None) -> None:
    report._change_reason = reason
    report.save(update_fields=fields) if fields else report.save()


def _set_status(report: StatisticsReport, status: str, reason: str, fields: list[str]) -> None:
    report.status = status
    _save(report, reason, ["status", *fields])


def _locked(report: StatisticsReport) -> StatisticsReport:
    return StatisticsReport.objects.select_related("org").select_for_update().get(pk=report.pk)


def _require_draft(report: StatisticsReport) -> None:
    if report.is_frozen:
        raise ValidationError(_("报表已报送分局并锁定，不能修改；如需更正，请由负责人编制更正版本。"))
    if not report.is_editable:
        raise ValidationError(_("报表当前状态为“%(s)s”，只有草稿可以修改。") % {"s": report.get_status_display()})


def _check_period(org, year: int, quarter: int) -> None:
    if org.level != OrgUnit.Level.SUB_BUREAU:
        raise ValidationError(_("只有支局编制信访投诉统计报表。"))
    if quarter not in (YEAR, 1, 2, 3, 4):
        raise ValidationError(_("季度须为1至4（全年报表为0）。"))
    start, end = period_bounds(year, quarter)
    if end >= timezone.localdate():
        raise ValidationError(_("统计期间尚未结束，不能编制报表。"))


def _fill(report: StatisticsReport) -> None:
    start, end = report.period
    # The figures' queries read the period's cases, mediation and outreach, never this report: the replica's.
    with replica_reads():
        report.figures = report_tables(report.org, start, end)
    report.drafted_at = timezone.now()


@transaction.atomic
def report_draft(*, actor, org, year: int, quarter: int) -> StatisticsReport:
    """Draft the report of `org` for a quarter (1–4) or the year (0) from the data."""
    require_staff(actor, org)
    _check_period(org, year, quarter)
    if StatisticsReport.objects.current().filter(org=org, year=year, quarter=quarter).exists():
        raise ValidationError(_("该期间的统计报表已存在。"))
    report = StatisticsReport(org=org, year=year, quarter=quarter, created_by=actor)
    _fill(report)
    report.summary = default_summary(report.figures["headline"])
    _save(report, _("起草报表"))
    log_action(actor=actor, action="statistics.report.drafted", target=report, period=report.period_code)
    return report


@transaction.atomic
def report_refresh(*, actor, report: StatisticsReport) -> StatisticsReport:
    """Draw the figures again from the data (the summary sentence is the office's and stays)."""
    require_staff(actor, report.org)
    report = _locked(report)
    _require_draft(report)
    _fill(report)
    _save(report, _("刷新数据"), ["figures", "drafted_at"])
    log_action(actor=actor, action="statistics.report.refreshed", target=report)
    return report


@transaction.atomic
def report_edit_summary(*, actor, report: StatisticsReport, summary: str) -> StatisticsReport:
    require_staff(actor, report.org)
    report = _locked(report)
    _require_draft(report)
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": [_("请填写工作小结。")]})
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ValidationError({"summary": [_("工作小结不能超过 %(n)s 个字。") % {"n": SUMMARY_MAX_LENGTH}]})
    report.summary = summary
    _save(report, _("修改工作小结"), ["summary"])
    log_action(actor=actor, action="statistics.report.summary_edited", target=report)
    return report


@transaction.atomic
def report_check(*, actor, report: StatisticsReport) -> StatisticsReport:
    require_staff(actor, report.org)
    report = _locked(report)
    _require_draft(report)
    report.checked_by = actor
    report.checked_at = timezone.now()
    _set_status(report, S.CHECKED, _("核对"), ["checked_by", "checked_at"])
    log_action(actor=actor, action="statistics.report.checked", target=report)
    return report


@transaction.atomic
def report_approve(*, actor, report: StatisticsReport) -> StatisticsReport:
    require_supervisor(actor, report.org)
    report = _locked(report)
    if report.status != S.CHECKED:
        raise ValidationError(_("只有已核对的报表可以批准。"))
    report.approved_by = actor
    report.approved_at = timezone.now()
    _set_status(report, S.APPROVED, _("负责人批准"), ["approved_by", "approved_at"])
    log_action(actor=actor, action="statistics.report.approved", target=report)
    return report


@transaction.atomic
def report_reopen(*, actor, report: StatisticsReport, reason: str) -> StatisticsReport:
    """The supervisor sends a checked or approved report, not yet submitted, back to draft."""
    require_supervisor(actor, report.org)
    report = _locked(report)
    if report.status not in (S.CHECKED, S.APPROVED):
        raise ValidationError(_("只有已核对或已批准、尚未报送分局的报表可以退回修改。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("退回须说明理由。")]})
    report.approved_by = report.approved_at = None
    _set_status(report, S.DRAFT, _("退回修改：%(r)s") % {"r": reason.strip()}, ["approved_by", "approved_at"])
    log_action(actor=actor, action="statistics.report.reopened", target=report, reason=reason.strip())
    return report


def build_snapshot(report: StatisticsReport) -> dict:
    return {
        "org": report.org.code,
        "org_name": report.org.name,
        "period": report.period_code,
        "version": report.version,
        "summary": report.summary,
        "figures": report.figures,
        "pdf_sha256": report.pdf_sha256,
        "xlsx_sha256": report.xlsx_sha256,
    }


def snapshot_sha256(snapshot: dict) -> str:
    """The hash of the snapshot's canonical JSON (sorted keys, no spaces): anyone can recompute it."""
    text = json.dumps(snapshot, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def report_submit(*, actor, report: StatisticsReport) -> StatisticsReport:
    """Submit to the branch: frozen with a snapshot, its SHA-256 and the SHA-256 of the files generated after
    approval."""
    require_supervisor(actor, report.org)
    report = _locked(report)
    if report.status != S.APPROVED:
        raise ValidationError(_("只有负责人已批准的报表可以报送分局。"))
    require_files_ready(report)
    report.snapshot = build_snapshot(report)
    report.snapshot_sha256 = snapshot_sha256(report.snapshot)
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    _set_status(
        report, S.SUBMITTED, _("报送分局并锁定"), ["snapshot", "snapshot_sha256", "submitted_by", "submitted_at"]
    )
    log_action(actor=actor, action="statistics.report.submitted", target=report, sha256=report.snapshot_sha256)
    return report


def is_branch_reviewer_of(user, org) -> bool:
    return user.is_superuser or (has_role(user, Role.REVIEWER) and user.org_id != org.pk and sees_org(user, org))


@transaction.atomic
def report_return(*, actor, report: StatisticsReport, reason: str) -> StatisticsReport:
    """A branch reviewer returns a submitted report for correction; it stays frozen and kept."""
    if not is_branch_reviewer_of(actor, report.org):
        raise PermissionDenied(_("只有分局审阅人员可以退回报表。"))
    report = _locked(report)
    if report.status != S.SUBMITTED:
        raise ValidationError(_("只有已报送分局的报表可以退回更正。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("退回须说明理由。")]})
    report.returned_by = actor
    report.returned_at = timezone.now()
    report.return_reason = reason.strip()
    _set_status(
        report,
        S.RETURNED,
        _("分局退回更正：%(r)s") % {"r": reason.strip()},
        ["returned_by", "returned_at", "return_reason"],
    )
    log_action(actor=actor, action="statistics.report.returned", target=report, reason=reason.strip())
    return report


@transaction.atomic
def report_supersede(*, actor, report: StatisticsReport, reason: str) -> StatisticsReport:
    """A submitted or returned report is never edited: a corrected version, drafted afresh from the data with
    the office's summary carried over, replaces it; the old one is kept as superseded."""
    require_supervisor(actor, report.org)
    report = _locked(report)
    if report.status not in (S.SUBMITTED, S.RETURNED):
        raise ValidationError(_("只有已报送或被分局退回的报表可以编制更正版本。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("编制更正版本须说明原因。")]})
    _set_status(report, S.SUPERSEDED, _("被更正版本替代：%(r)s") % {"r": reason.strip()}, [])
    new = StatisticsReport(
        org=report.org,
        year=report.year,
        quarter=report.quarter,
        version=report.version + 1,
        supersedes=report,
        supersede_reason=reason.strip(),
        summary=report.summary,
        created_by=actor,
    )
    _fill(new)
    _save(new, _("编制更正版本"))
    log_action(actor=actor, action="statistics.report.superseded", target=report, reason=reason.strip(), new=new.pk)
    return new
