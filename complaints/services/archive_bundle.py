"""Building a filed case's bundle (卷宗): one PDF and a ZIP of the original files with a SHA-256 manifest.

The PDF is the cover (number, parties masked as core/personal.py masks them, dates, retention), the contents list
with page numbers, the record of the case's steps and supplements, every generated document (rendered by
WeasyPrint as it is printed) and every attachment in upload order: PDFs merged page by page (pypdf), images as
a page each (reduced to 200 dpi on A4); anything else is listed in the contents with its SHA-256 and kept in the
ZIP only. Every file is read and written through Django's storage API, in chunks through a temporary folder, so
that a case with dozens of large attachments is never held in memory at once (docs/performance.md「卷宗」). Run
by the task `complaints.tasks.build_case_bundle`; progress goes to the job (docs/architecture.md, "Background
work").
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import tempfile
import zipfile
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader, PdfWriter

from core.pdf import render_pdf
from core.personal import mask_free_text, mask_id, mask_name, mask_phone
from core.services.jobs import job_finish, job_progress
from core.services.report_files import file_sha256
from core.uploads import IMAGE_TYPES, extension_of

from ..models import CaseArchive
from ..models.choices import CaseType
from .document_pdf import TEMPLATES, document_context

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest-sha256.txt"
BUNDLE_NAME = "卷宗.pdf"
# A4 at the size Pillow writes an image page: 8.27 × 11.69 inches.
A4_INCHES = (8.27, 11.69)
# An image's page is printed at up to 200 dpi (the original, at full size, is in the ZIP).
PAGE_DPI = 200
CHUNK = 1024 * 1024
# Rows of the contents list on one A4 page (measured: 12–14 with typical titles and file names).
ENTRIES_PER_CONTENTS_PAGE = 12
# Kinds stored in the ZIP without deflating them again.
PRECOMPRESSED = {"pdf", "jpg", "jpeg", "png", "gif", "docx", "xlsx", "zip", "mp3", "mp4"}


@dataclass
class Part:
    """One entry of the contents: the file of its PDF pages (None: not embeddable) and, for the ZIP, the file of
    its original; both in the build's temporary folder, so that no more than one file is in memory at a time."""

    title: str
    reference: str
    date: object
    pdf: Path | None
    original: Path | None = None
    zip_name: str = ""
    sha256: str = ""
    pages: int = 0
    start: int = 0


def _page_count(pdf: bytes | Path) -> int:
    return len(PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf).pages)


def _safe_name(name: str) -> str:
    """A file name for the ZIP: no folders, no control characters."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return cleaned[:120] or "file"


def _fit_to_page(image: Image.Image) -> Image.Image:
    """The image reduced to at most PAGE_DPI on A4 (a JPEG is decoded at a reduced scale straight away: a phone
    photo of 12 million pixels never needs its full size in memory to be printed on one page)."""
    box = (A4_INCHES[0] * PAGE_DPI, A4_INCHES[1] * PAGE_DPI)
    factor = max(image.width / box[0], image.height / box[1])
    if factor <= 1:
        return image.convert("RGB")
    wanted = (max(int(image.width / factor), 1), max(int(image.height / factor), 1))
    # JPEG decodes at 1/2, 1/4 or 1/8 of its size, no smaller than asked: asking for three quarters of the page's
    # size lets an 8-megapixel photo decode at half size (at least 150 dpi on the page).
    image.draft("RGB", (max(wanted[0] * 3 // 4, 1), max(wanted[1] * 3 // 4, 1)))
    fitted = image.convert("RGB")
    fitted.thumbnail(wanted)
    return fitted


def image_page(content: bytes | Path, target=None) -> bytes | None:
    """An image as one PDF page, scaled to fit A4 (the resolution is chosen so that the longer side fits); written
    to `target` when given, else returned."""
    with Image.open(io.BytesIO(content) if isinstance(content, bytes) else content) as image:
        image = _fit_to_page(image)
        resolution = max(image.width / A4_INCHES[0], image.height / A4_INCHES[1], 72.0)
        buffer = io.BytesIO() if target is None else target
        image.save(buffer, "PDF", resolution=resolution)
    return buffer.getvalue() if target is None else None


def _attachment_pdf(attachment, original: Path, folder: Path) -> tuple[Path | None, int]:
    """The attachment's pages and their number; (None, 0) when it cannot be shown as pages (audio, video, office
    files, a broken PDF)."""
    extension = extension_of(attachment.original_name)
    try:
        if extension == "pdf":
            return original, _page_count(original)  # refuses a file pypdf cannot read
        if extension in IMAGE_TYPES:
            page = folder / f"{original.name}.pdf"
            image_page(original, page)
            return page, 1
    except Exception:  # a damaged file is kept in the ZIP and listed, never lost
        logger.warning("bundle: attachment %s could not be shown as pages", attachment.pk)
    return None, 0


def _copy(source, target) -> str:
    """Copy one open file to another in chunks; the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: source.read(CHUNK), b""):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def _pdf_part(folder: Path, name: str, pdf: bytes, **fields) -> Part:
    path = folder / name
    path.write_bytes(pdf)
    return Part(pdf=path, original=path, sha256=hashlib.sha256(pdf).hexdigest(), pages=_page_count(pdf), **fields)


def _document_parts(case, documents, folder: Path):
    for number, document in enumerate(documents, start=1):
        document.case = case
        title = document.get_kind_display()
        yield _pdf_part(
            folder,
            f"document-{number}.pdf",
            render_pdf(TEMPLATES[document.kind], document_context(document)),
            title=title,
            reference=document.number,
            date=document.issued_on,
            zip_name=f"文书/{number:02d}-{_safe_name(title)}.pdf",
        )


def _attachment_parts(attachments, folder: Path):
    for number, attachment in enumerate(attachments, start=1):
        original = folder / f"attachment-{number}"
        with attachment.file.storage.open(attachment.file.name, "rb") as stored, original.open("wb") as local:
            sha256 = _copy(stored, local)
        pdf, pages = _attachment_pdf(attachment, original, folder)
        yield Part(
            title=_("附件：%(kind)s") % {"kind": attachment.get_kind_display()},
            reference=mask_free_text(f"{attachment.original_name} {attachment.description}".strip()),
            date=timezone.localdate(attachment.uploaded_at),
            pdf=pdf,
            original=original,
            zip_name=f"附件/{number:02d}-{_safe_name(attachment.original_name)}",
            sha256=sha256,
            pages=pages,
        )


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
    # The first guess: the cover and about ENTRIES_PER_CONTENTS_PAGE entries a page; a wrong guess costs one more
    # rendering (seconds, with dozens of attachments), never a wrong page number.
    front_pages = 1 + max(1, -(-len(parts) // ENTRIES_PER_CONTENTS_PAGE))
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


def _merge(pdfs: list[Path], target: Path) -> int:
    """Write the PDFs one after another into `target`; the number of pages."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(pdf)
    with target.open("wb") as output:
        writer.write(output)
    return len(writer.pages)


def _write_zip(target: Path, entries: list[tuple[str, Path]]) -> None:
    """The originals, the bundle itself and the manifest (`sha256sum -c` reads it) of every other file, each copied
    in chunks. Files that are compressed already (PDF, photos, Office files) are stored as they are: deflating them
    again costs seconds and saves nothing."""
    lines = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive_zip:
        for name, path in entries:
            info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
            info.external_attr = 0o644 << 16  # readable when unpacked (as `writestr` would give a name)
            stored = extension_of(name) in PRECOMPRESSED
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            with path.open("rb") as source, archive_zip.open(info, "w") as member:
                lines.append(f"{_copy(source, member)}  {name}\n")
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
    with tempfile.TemporaryDirectory(prefix="bundle-") as temporary:
        folder = Path(temporary)
        events = list(case.events.select_related("actor", "approver"))
        supplements = list(case.supplements.select_related("added_by"))
        record = render_pdf(
            "complaints/pdf_bundle_record.html", {"case": case, "events": events, "supplements": supplements}
        )
        title = _("办理过程记录及补充材料")
        parts = [_pdf_part(folder, "record.pdf", record, title=title, reference=case.number, date=archive.filed_on)]
        step()
        documents = list(case.documents.select_related("issued_by").order_by("issued_on", "id"))
        attachments = case.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")
        for part in chain(_document_parts(case, documents, folder), _attachment_parts(attachments, folder)):
            parts.append(part)
            step()
        front = folder / "front.pdf"
        front.write_bytes(_front_matter(archive, parts, built_at=built_at))
        bundle_pdf = folder / BUNDLE_NAME
        pages = _merge([front, *(part.pdf for part in parts if part.pdf)], bundle_pdf)
        step()
        bundle_zip = folder / "bundle.zip"
        _write_zip(bundle_zip, [(BUNDLE_NAME, bundle_pdf), *((part.zip_name, part.original) for part in parts[1:])])
        _store(archive_id, bundle_pdf, bundle_zip, pages=pages, built_at=built_at)
    step()
    if job_id is not None:
        job_finish(job_id)
    return CaseArchive.objects.get(pk=archive_id)


def _store(archive_id: int, bundle_pdf: Path, bundle_zip: Path, *, pages: int, built_at) -> None:
    with transaction.atomic():
        archive = CaseArchive.objects.select_for_update().select_related("case").get(pk=archive_id)
        old = [archive.bundle_pdf.name, archive.bundle_zip.name]
        stem = f"{archive.case.number}-{built_at:%Y%m%d%H%M%S}"
        with bundle_pdf.open("rb") as pdf_file, bundle_zip.open("rb") as zip_file:
            archive.bundle_pdf.save(f"{stem}.pdf", File(pdf_file), save=False)
            archive.bundle_zip.save(f"{stem}.zip", File(zip_file), save=False)
        archive.bundle_pdf_sha256 = file_sha256(bundle_pdf)
        archive.bundle_zip_sha256 = file_sha256(bundle_zip)
        archive.bundle_pages = pages
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
