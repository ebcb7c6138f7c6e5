"""The bundle card's status (the shared job fragment, docs/architecture.md "Background work"): used by the case page
and by the poll URL."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.job_status import Download, job_status_context
from core.services.jobs import latest_job

from ..models import CaseArchive

_LOOK_UP = object()


def bundle_status_context(archive: CaseArchive, *, can_download: bool, job=_LOOK_UP) -> dict:
    """The downloads are offered only to those who may take them (A, B, supervisors: the bundle holds full names).
    The case page passes the latest job it already read (or None); the poll URL lets it be looked up."""
    if job is _LOOK_UP:
        job = latest_job(archive)
    pdf_url = reverse("complaints:bundle_download", args=[archive.case_id, "pdf"])
    zip_url = reverse("complaints:bundle_download", args=[archive.case_id, "zip"])
    downloads = [
        Download(_("卷宗PDF"), pdf_url, "fa-file-pdf", "bundle-pdf"),
        Download(_("原件包（ZIP，含SHA-256清单）"), zip_url, "fa-file-zipper", "bundle-zip"),
    ]
    return job_status_context(
        job,
        poll_url=reverse("complaints:bundle_status", args=[archive.case_id]),
        downloads=downloads if can_download else [],
        unit=_("项"),
        failed_text=_("卷宗生成失败，请稍后重新生成或联系管理员。"),
        none_text=_("尚未生成卷宗。"),
        ready=bool(archive.bundle_pdf) and (job is None or not job.is_active),
    )
