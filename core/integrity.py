"""File integrity (文件完整性校验): every stored file read back and compared with the SHA-256 taken when it was stored.

Uploaded attachments, interview files, authorisation documents, outreach photos and the frozen list files each
keep the SHA-256 of their content. A scheduled job (beat entry "文件完整性校验", core/tasks.py) and the command
`manage.py verify_files` re-read every one; a missing or altered file is reported to the system administrators
(系统管理员) in a notification. Nothing is repaired automatically: the administrator restores the file from a backup
(docs/operations.md).

The stored files are listed here by model label ("app.Model", resolved through the app registry when the job runs),
so core imports no domain app; a new model that stores a file with its SHA-256 adds one line to VERIFIED_FILES.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

# (model label, file field, SHA-256 field) of every stored file.
VERIFIED_FILES: tuple[tuple[str, str, str], ...] = (
    ("complaints.Attachment", "file", "sha256"),
    ("complaints.CaseArchive", "bundle_pdf", "bundle_pdf_sha256"),
    ("complaints.CaseArchive", "bundle_zip", "bundle_zip_sha256"),
    ("institutions.InterviewAttachment", "file", "sha256"),
    ("institutions.QuarterlyList", "pdf_file", "pdf_sha256"),
    ("institutions.QuarterlyList", "xlsx_file", "xlsx_sha256"),
    ("mediation.Agent", "document", "document_sha256"),
    ("outreach.EventPhoto", "file", "sha256"),
)
# Listed in full in the notification up to this many; the command always prints all of them.
NOTIFY_LIST_LIMIT = 50


@dataclass(frozen=True)
class Problem:
    label: str  # the model's verbose name
    pk: int
    name: str  # the stored name (never the uploader's file name, which may hold personal data)
    kind: str  # "missing" or "mismatch"

    def describe(self) -> str:
        what = _("文件缺失") if self.kind == "missing" else _("内容与登记的 SHA-256 不符")
        return _("%(label)s #%(pk)s（%(name)s）：%(what)s") % {
            "label": self.label,
            "pk": self.pk,
            "name": self.name,
            "what": what,
        }


@dataclass
class Report:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sha256(stored_file) -> str:
    digest = hashlib.sha256()
    with stored_file.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check(instance, file_field: str, hash_field: str) -> str | None:
    stored_file = getattr(instance, file_field)
    try:
        actual = _sha256(stored_file)
    except FileNotFoundError:
        return "missing"
    return None if actual == getattr(instance, hash_field) else "mismatch"


def verify_files() -> Report:
    """Re-read every registered stored file; rows without a file (or without a hash yet) are skipped."""
    report = Report()
    for model_label, file_field, hash_field in VERIFIED_FILES:
        model = apps.get_model(model_label)
        rows = (
            model._default_manager.exclude(Q(**{file_field: ""}) | Q(**{hash_field: ""}))
            .only("pk", file_field, hash_field)
            .order_by("pk")
        )
        for instance in rows.iterator(chunk_size=500):
            report.checked += 1
            kind = _check(instance, file_field, hash_field)
            if kind:
                name = getattr(instance, file_field).name
                report.problems.append(Problem(str(model._meta.verbose_name), instance.pk, name, kind))
    return report


def notify_administrators(report: Report) -> int:
    """Tell every active system administrator (and superuser) what is missing or altered; returns how many."""
    from core.models import User
    from core.roles import GROUP_NAMES, Role
    from core.services.notifications import Message, notify_many

    if report.ok:
        return 0
    recipients = User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=GROUP_NAMES[Role.ADMINISTRATOR]), is_active=True
    ).distinct()
    lines = [problem.describe() for problem in report.problems[:NOTIFY_LIST_LIMIT]]
    if len(report.problems) > NOTIFY_LIST_LIMIT:
        lines.append(
            _("……另有 %(n)s 个，请运行 manage.py verify_files 查看全部。")
            % {"n": len(report.problems) - NOTIFY_LIST_LIMIT}
        )
    title = _("文件完整性校验：%(n)s 个文件缺失或被改动") % {"n": len(report.problems)}
    body = "\n".join(
        [
            _("共校验 %(checked)s 个文件。请从备份恢复下列文件（见运维文档“文件完整性校验”）：")
            % {"checked": report.checked}
        ]
        + lines
    )
    key = f"file-integrity:{timezone.localdate().isoformat()}"
    messages = [Message(user=user, title=title, body=body, kind="warning", key=key) for user in recipients]
    return len(notify_many(messages))
