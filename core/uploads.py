"""Checks for uploaded files: size, type by content (not by name), SHA-256 at upload.

The type a file is served with is decided here from the checked extension (`content_type_for`), never taken from
the uploading browser: a browser may send `text/html` or `image/svg+xml` for any file. Plain text that is really a
web page or a script (HTML, SVG, XML) is refused, since it is active content in a browser.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Signatures of the types offices exchange; the name's extension must agree with the content.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "gif": [b"GIF87a", b"GIF89a"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "doc": [b"\xd0\xcf\x11\xe0"],
    "xls": [b"\xd0\xcf\x11\xe0"],
    "mp3": [b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"],
    "mp4": [b"ftyp"],  # at offset 4
    "wav": [b"RIFF"],
    "zip": [b"PK\x03\x04"],
    "txt": [],
}
DOCUMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "doc", "xlsx", "xls", "mp3", "mp4", "wav", "zip", "txt")
IMAGE_TYPES = ("jpg", "jpeg", "png", "gif")
OCTET_STREAM = "application/octet-stream"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "wav": "audio/wav",
    "zip": "application/zip",
    "txt": "text/plain",
}
# The start of a "text" file that a browser would run or render as a page.
ACTIVE_TEXT_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe", b"<meta")


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type_for(name: str) -> str:
    """The type to store and serve for a file whose content was checked against this name's extension."""
    return CONTENT_TYPES.get(extension_of(name), OCTET_STREAM)


def served_content_type(name: str, stored: str) -> str:
    """The type to send for a stored file: the stored type only when it is the one its checked extension gives.

    Rows written before the type was decided at upload hold whatever the browser sent; anything else than the
    expected type (an HTML or SVG type on a renamed file) is sent as opaque bytes.
    """
    expected = content_type_for(name)
    return expected if stored == expected else OCTET_STREAM


def _is_active_text(head: bytes) -> bool:
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return start.startswith(ACTIVE_TEXT_STARTS)


def _matches(extension: str, head: bytes) -> bool:
    signatures = SIGNATURES.get(extension)
    if signatures is None:
        return False
    if not signatures:
        # Plain text: no NUL bytes in the first block.
        return b"\x00" not in head
    if extension == "mp4":
        return head[4:8] == b"ftyp"
    return any(head.startswith(signature) for signature in signatures)


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """Human sizes for the message; exact byte counts when rounding would make them read the same."""
    shown, allowed = filesizeformat(size), filesizeformat(limit)
    if shown == allowed:
        return f"{size:,} 字节", f"{limit:,} 字节"
    return shown, allowed


def validate_upload(upload, *, allowed: tuple[str, ...] = DOCUMENT_TYPES, max_bytes: int | None = None) -> str:
    """Refuse a file that is too large or whose content is not one of `allowed`; returns the extension."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        size, limit = _sizes(upload.size, max_bytes)
        raise ValidationError(
            _("文件“%(name)s”大小为 %(size)s，超过上限 %(max)s。") % {"name": upload.name, "size": size, "max": limit},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": upload.name}, code="empty")
    extension = extension_of(upload.name)
    if extension not in allowed:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，允许的类型：%(allowed)s。")
            % {"ext": extension or _("无扩展名"), "allowed": "、".join(allowed)},
            code="bad_type",
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if not _matches(extension, head):
        raise ValidationError(
            _("文件“%(name)s”的内容与扩展名不符，可能已损坏或被改名。") % {"name": upload.name}, code="bad_content"
        )
    if extension == "txt" and _is_active_text(head):
        raise ValidationError(
            _("文件“%(name)s”是网页或脚本内容，不能作为文本文件上传；请另存为 PDF 后上传。") % {"name": upload.name},
            code="active_content",
        )
    return extension


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
