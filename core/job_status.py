"""The status of a background job as every page shows it: one fragment, one poller (docs/architecture.md,
"Background work").

A page that waits for a job includes `templates/core/fragment_job_status.html` with `status=job_status_context(...)`
and serves the same fragment at its poll URL (`render_job_status`). `static/core/job_status.js` fetches that URL
every two seconds while the job is active and swaps the fragment in; without JavaScript the page refreshes itself.
Ledger exports and a quarterly list's files use it; a new kind of report (the statistics reports) plugs in by
giving its own view, poll URL and downloads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob

J = BackgroundJob.State

# What a person reads: the outbox's 待发送/已入队 are both "waiting" to them.
STATE_LABELS = {
    J.PENDING: _("排队中"),
    J.QUEUED: _("排队中"),
    J.RUNNING: _("生成中"),
    J.DONE: _("已完成"),
    J.FAILED: _("失败"),
}


@dataclass(frozen=True)
class Download:
    label: str
    url: str
    icon: str = "fa-download"
    testid: str = ""


def job_status_context(
    job: BackgroundJob | None,
    *,
    poll_url: str,
    downloads: list[Download] = (),
    unit: str = "",
    failed_text: str = "",
    none_text: str = "",
    ready: bool | None = None,
) -> dict:
    """The fragment's context. `downloads` are offered when `ready` — by default once the job is done and its
    file has not expired; a record that keeps its files itself (a quarterly list) says when they are there.
    `unit` names what progress counts (行); `none_text` is shown when there is no job (nothing was asked)."""
    now = timezone.now()
    expired = job is not None and job.is_expired(now)
    if ready is None:
        ready = job is not None and job.state == J.DONE and not expired
    return {
        "job": job,
        "poll_url": poll_url,
        "active": job is not None and job.is_active,
        "label": STATE_LABELS.get(job.state, "") if job is not None else "",
        "percent": job.percent if job is not None else None,
        "unit": unit,
        "downloads": list(downloads) if ready else [],
        "expired": expired,
        "failed_text": failed_text or _("生成失败，请稍后重试或联系管理员。"),
        "none_text": none_text,
    }


def render_job_status(request, context: dict):
    """The poll URL's answer: the fragment alone."""
    return render(request, "core/fragment_job_status.html", {"status": context})
