"""What a case file must hold before it is filed, and how long it is kept (docs/domain.md, "归档").

The required documents follow the path the case took (complaints/transitions.py): each closure of each case type
names the documents its path issues, the delivery or reply that completes them, and the attachments the office
keeps as 核查材料. The filing service lists whatever is missing; a supervisor may still file with a reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Attachment, Case, CaseDocument, Forwarding
from ..models.choices import CaseType, Closure

DocKind = CaseDocument.Kind


@dataclass
class FileFacts:
    """What the check reads: the case, its documents by kind, its forwarding and its attachments."""

    case: Case
    documents: dict
    forwarding: object
    attachments: list


@dataclass(frozen=True)
class Requirement:
    label: object
    present: Callable[[FileFacts], bool]


def _document(kind: str) -> Requirement:
    return Requirement(DocKind(kind).label, lambda facts: kind in facts.documents)


def _delivered(kind: str, label) -> Requirement:
    return Requirement(label, lambda facts: kind in facts.documents and facts.documents[kind].delivered_on is not None)


def _attachment(kind: str, label) -> Requirement:
    return Requirement(label, lambda facts: any(a.kind == kind for a in facts.attachments))


def _identified(requirement: Requirement) -> Requirement:
    """Required only when the reporter is known: an anonymous report gets no notices."""
    return Requirement(requirement.label, lambda facts: facts.case.is_anonymous or requirement.present(facts))


EVIDENCE = _attachment(Attachment.Kind.EVIDENCE, gettext_lazy("核查材料（附件）"))
FORWARDING_SLIP = _document(DocKind.FORWARDING_SLIP)
INSTITUTION_REPLY = Requirement(
    gettext_lazy("机构反馈的处理结果"),
    lambda facts: facts.forwarding is not None and facts.forwarding.replied_on is not None,
)
FOLLOW_UP = Requirement(
    gettext_lazy("回访记录"), lambda facts: facts.forwarding is not None and facts.forwarding.follow_up_on is not None
)

# (case type, closure) → what the file must hold; a closure not listed needs nothing beyond the case itself
# (a duplicate is filed with its first case's file; a withdrawal has no document of its own).
REQUIREMENTS: dict[tuple[str, str], list[Requirement]] = {
    (CaseType.PETITION, Closure.RESOLVED): [
        _document(DocKind.ACCEPTANCE),
        _document(DocKind.PETITION_REPLY),
        _delivered(DocKind.PETITION_REPLY, gettext_lazy("信访处理意见书送达记录")),
        EVIDENCE,
    ],
    (CaseType.PETITION, Closure.NOT_ACCEPTED): [_document(DocKind.NON_ACCEPTANCE)],
    (CaseType.REPORT, Closure.RESOLVED): [
        _identified(_document(DocKind.REPORT_ACCEPTANCE)),
        _identified(_document(DocKind.REPORT_FINDING)),
        _identified(_delivered(DocKind.REPORT_FINDING, gettext_lazy("调查结论告知举报人的记录"))),
        EVIDENCE,
    ],
    (CaseType.REPORT, Closure.NOT_ACCEPTED): [_identified(_document(DocKind.REPORT_NON_ACCEPTANCE))],
    (CaseType.COMPLAINT, Closure.RESOLVED): [FORWARDING_SLIP, INSTITUTION_REPLY, FOLLOW_UP],
    # Escalated before or after forwarding: the slip only if the complaint was forwarded.
    (CaseType.COMPLAINT, Closure.ESCALATED): [
        Requirement(
            DocKind.FORWARDING_SLIP.label,
            lambda facts: facts.forwarding is None or DocKind.FORWARDING_SLIP in facts.documents,
        )
    ],
}


def file_facts(case: Case) -> FileFacts:
    """Three queries: the documents, the forwarding (complaints only) and the attachments."""
    documents = {document.kind: document for document in case.documents.all()}
    forwarding = None
    if case.case_type == CaseType.COMPLAINT:
        forwarding = Forwarding.objects.filter(case=case).first()
    return FileFacts(case=case, documents=documents, forwarding=forwarding, attachments=list(case.attachments.all()))


def _attachment_problems(attachments, *, verify: bool) -> list[str]:
    """Each attachment's stored file must be there (through the storage API) and, when `verify`, still have the
    SHA-256 taken at upload."""
    problems = []
    for attachment in attachments:
        storage = attachment.file.storage
        if not attachment.file.name or not storage.exists(attachment.file.name):
            problems.append(_("附件文件缺失：%(name)s") % {"name": attachment.original_name})
            continue
        if verify:
            digest = hashlib.sha256()
            with storage.open(attachment.file.name, "rb") as stored:
                for chunk in iter(lambda f=stored: f.read(1024 * 1024), b""):
                    digest.update(chunk)
            if digest.hexdigest() != attachment.sha256:
                problems.append(_("附件与上传时的SHA-256不一致：%(name)s") % {"name": attachment.original_name})
    return problems


def filing_missing(case: Case, *, verify_files: bool = False, facts: FileFacts | None = None) -> list[str]:
    """What the file lacks, in words; empty when it is complete. `verify_files` re-hashes every attachment."""
    facts = facts or file_facts(case)
    missing = [
        str(requirement.label)
        for requirement in REQUIREMENTS.get((case.case_type, case.closure), [])
        if not requirement.present(facts)
    ]
    return missing + _attachment_problems(facts.attachments, verify=verify_files)


# --- Retention ---------------------------------------------------------------------------------------------


def is_major_matter(case: Case) -> bool:
    """重大/群体性 matters are kept permanently (docs/domain.md, "归档"); 永久 may also be chosen at filing."""
    return case.is_major


def retention_years(case: Case) -> int | None:
    """Years the case is kept after filing by its type (settings ARCHIVE_RETENTION_YEARS_*); None: permanently."""
    if is_major_matter(case):
        return None
    return {
        CaseType.PETITION: settings.ARCHIVE_RETENTION_YEARS_PETITION,
        CaseType.REPORT: settings.ARCHIVE_RETENTION_YEARS_REPORT,
        CaseType.COMPLAINT: settings.ARCHIVE_RETENTION_YEARS_COMPLAINT,
    }[case.case_type]


def retention_until(filed_on: dt.date, years: int) -> dt.date:
    """The last day of retention: counted from 1 January of the year after filing, so it ends on a 31 December."""
    return dt.date(filed_on.year + years, 12, 31)


def retention_text(years: int | None, filed_on: dt.date) -> str:
    if years is None:
        return _("永久")
    return _("%(years)s年（至%(until)s）") % {"years": years, "until": retention_until(filed_on, years)}
