"""Building a filed case's bundle (卷宗): one PDF and a ZIP of the original files with a SHA-256 manifest.

The PDF is the cover (number, parties masked as core/personal.py masks them, dates, retention), the contents list
with page numbers, the record of the case's steps and supplements, every generated document (rendered by
WeasyPrint as it is printed) and every attachment in upload order: PDFs merged page by page (pypdf), images as
a page each; anything else is listed in the contents with its SHA-256 and kept in the ZIP only. Every file is
read and written through Django's storage API. Run by the task `complaints.tasks.build_case_bundle`; progress
goes to the job (docs/architecture.md, "Background work").
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader, PdfWriter

from core.pdf import render_pdf
from core.personal import mask_free_text, mask_id, mask_name, mask_phone
from core.services.jobs import job_finish, job_progress
from core.uploads import IMAGE_TYPES, extension_of

from ..models import CaseArchive
from ..models.choices import CaseType
from .document_pdf import TEMPLATES, document_context

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest-sha256.txt"
BUNDLE_NAME = "卷宗.pdf"
# A4 at the size Pillow writes an image page: 8.27 × 11.69 inches.
A4_INCHES = (8.27, 11.69)


@dataclass
class Part:
    """One entry of the contents: its PDF pages (None: not embeddable) and, for the ZIP, its original bytes."""

    title: str
    reference: str
    date: object
    pdf: bytes | None
    original: bytes | None = None
    zip_name: str = ""
    sha256: str = ""
    pages: int = 0
    start: int = 0


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _safe_name(name: str) -> str:
    """A file name for the ZIP: no folders, no control characters."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return cleaned[:120] or "file"


def image_page(content: bytes) -> bytes:
    """An image as one PDF page, scaled to fit A4 (the resolution is chosen so that the longer side fits)."""
    with Image.open(io.BytesIO(content)) as image:
        image = image.convert("RGB")
        resolution = max(image.width / A4_INCHES[0], image.height / A4_INCHES[1], 72.0)
        buffer = io.BytesIO()
        image.save(buffer, "PDF", resolution=resolution)
    return buffer.getvalue()


def _attachment_pdf(attachment, content: bytes) -> bytes | None:
    """The attachment's pages, or None when it cannot be shown as pages (audio, video, office files, a broken PDF)."""
    extension = extension_of(attachment.original_name)
    try:
        if extension == "pdf":
            _page_count(content)  # refuses a file pypdf cannot read
            return content
        if extension in IMAGE_TYPES:
            return image_page(content)
    except Exception:  # a damaged file is kept in the ZIP and listed, never lost
        logger.warning("bundle: attachment %s could not be shown as pages", attachment.pk)
    return None


def _read(field_file) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as stored:
        return stored.read()


def _document_parts(case, documents) -> list[Part]:
    parts = []
    for number, document in enumerate(documents, start=1):
        document.case = case
        pdf = render_pdf(TEMPLATES[document.kind], document_context(document))
        title = document.get_kind_display()
        parts.append(
            Part(
                title=title,
                reference=document.number,
                date=document.issued_on,
                pdf=pdf,
                original=pdf,
                zip_name=f"文书/{number:02d}-{_safe_name(title)}.pdf",
            )
        )
    return parts


def _attachment_parts(attachments) -> list[Part]:
    parts = []
    for number, attachment in enumerate(attachments, start=1):
        content = _read(attachment.file)
        parts.append(
            Part(
                title=_("附件：%(kind)s") % {"kind": attachment.get_kind_display()},
                reference=mask_free_text(f"{attachment.original_name} {attachment.description}".strip()),
                date=timezone.localdate(attachment.uploaded_at),
                pdf=_attachment_pdf(attachment, content),
                original=content,
                zip_name=f"附件/{number:02d}-{_safe_name(attachment.original_name)}",
            )
        )
    return parts


def _party(case) -> dict:
    if case.is_anonymous:
        return {"name": _("匿名"), "phone": "", "id_number": ""}
    if case.case_type == CaseType.REPORT:
        # A reporter's identity never leaves the case page, not even masked (docs/domain.md, "个人信息").
        return {"name": _("举报人（保密）"), "phone": "", "id_number": ""}
    return {"name": mask_name(case.name), "phone": mask_phone(case.phone), "id_number": mask_id(case.id_number)}


def _front_matter(archive, parts, *, built_at) -> bytes:
    """The cover and contents, rendered until the page numbers they print agree with their own length."""
    case = archive.case
    context = {
        "archive": archive,
        "case": case,
        "issuer": case.org.official_name,
        "party": _party(case),
        "summary": mask_free_text(case.summary),
        "closed_on": timezone.localdate(case.closed_at) if case.closed_at else None,
        "built_at": timezone.localtime(built_at),
        "entries": parts,
    }
    front_pages = 2
    for _attempt in range(3):
        page = front_pages + 1
        for part in parts:
            part.start = page
            page += part.pages
        context["total_pages"] = page - 1
        front = render_pdf("complaints/pdf_bundle_cover.html", context)
        if _page_count(front) == front_pages:
            return front
        front_pages = _page_count(front)
    return front


def _merge(pdfs: list[bytes]) -> bytes:
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _write_zip(target, bundle_pdf: bytes, parts: list[Part]) -> None:
    """The originals, the bundle itself and the manifest (`sha256sum -c` reads it) of every other file."""
    lines = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive_zip:
        entries = [(BUNDLE_NAME, bundle_pdf), *((part.zip_name, part.original) for part in parts)]
        for name, content in entries:
            archive_zip.writestr(name, content)
            lines.append(f"{hashlib.sha256(content).hexdigest()}  {name}\n")
        archive_zip.writestr(MANIFEST_NAME, "".join(lines))


def archive_bundle_build(archive_id: int, *, job_id: int | None = None) -> CaseArchive:
    """Build and store the bundle of a filed case; safe to run again (the newer files replace the older)."""
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if job_id is not None:
            job_progress(job_id, done)

    archive = CaseArchive.objects.select_related(
        "case__org", "case__institution", "case__owner", "case__backup", "filed_by", "approved_by"
    ).get(pk=archive_id)
    if archive.destroyed_at is not None:
        return archive
    case = archive.case
    built_at = timezone.now()
    events = list(case.events.select_related("actor", "approver"))
    supplements = list(case.supplements.select_related("added_by"))
    record = render_pdf(
        "complaints/pdf_bundle_record.html", {"case": case, "events": events, "supplements": supplements}
    )
    parts = [Part(title=_("办理过程记录及补充材料"), reference=case.number, date=archive.filed_on, pdf=record)]
    step()
    documents = list(case.documents.select_related("issued_by").order_by("issued_on", "id"))
    for part in _document_parts(case, documents):
        parts.append(part)
        step()
    for part in _attachment_parts(case.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")):
        parts.append(part)
        step()
    for part in parts:
        part.pages = _page_count(part.pdf) if part.pdf else 0
        part.sha256 = hashlib.sha256(part.original or part.pdf).hexdigest()
    front = _front_matter(archive, parts, built_at=built_at)
    bundle_pdf = _merge([front, *(part.pdf for part in parts if part.pdf)])
    step()
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        _write_zip(spool, bundle_pdf, parts[1:])
        spool.seek(0)
        zip_digest = hashlib.sha256()
        for chunk in iter(lambda: spool.read(1024 * 1024), b""):
            zip_digest.update(chunk)
        spool.seek(0)
        _store(archive_id, bundle_pdf, spool, zip_digest.hexdigest(), built_at=built_at)
    step()
    if job_id is not None:
        job_finish(job_id)
    return CaseArchive.objects.get(pk=archive_id)


def _store(archive_id: int, bundle_pdf: bytes, zip_file, zip_sha256: str, *, built_at) -> None:
    with transaction.atomic():
        archive = CaseArchive.objects.select_for_update().select_related("case").get(pk=archive_id)
        old = [archive.bundle_pdf.name, archive.bundle_zip.name]
        stem = f"{archive.case.number}-{built_at:%Y%m%d%H%M%S}"
        archive.bundle_pdf.save(f"{stem}.pdf", ContentFile(bundle_pdf), save=False)
        archive.bundle_zip.save(f"{stem}.zip", File(zip_file), save=False)
        archive.bundle_pdf_sha256 = hashlib.sha256(bundle_pdf).hexdigest()
        archive.bundle_zip_sha256 = zip_sha256
        archive.bundle_pages = _page_count(bundle_pdf)
        archive.bundle_built_at = built_at
        archive._change_reason = _("生成卷宗")
        archive.save(
            update_fields=[
                "bundle_pdf",
                "bundle_zip",
                "bundle_pdf_sha256",
                "bundle_zip_sha256",
                "bundle_pages",
                "bundle_built_at",
            ]
        )
        storage = archive.bundle_pdf.storage
        for name in old:
            if name and name not in (archive.bundle_pdf.name, archive.bundle_zip.name):
                transaction.on_commit(lambda n=name: storage.delete(n))
