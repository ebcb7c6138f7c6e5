"""PDF documents: an HTML template rendered by WeasyPrint with explicit CJK fonts.

The documents the office signs follow GB/T 9704-2012 as far as a generated PDF can (docs/domain.md “文书”;
templates/pdf/base.html):
A4, margins 37/35/28/26 mm, the title in a 小标宋-style face at 22 pt, the body in a 仿宋-style face at 16 pt,
22 lines of 28 characters. The faces are settings (PDF_TITLE_FONT_FAMILY, PDF_BODY_FONT_FAMILY): the first
installed family of each list is used, then Noto Serif CJK SC, then the generic serif — never a sans-serif face.
"""

from __future__ import annotations

import functools
import shutil
import subprocess  # nosec B404 # runs only fc-list, by its full path, with fixed arguments

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from core.exporters import file_response

PDF_CONTENT_TYPE = "application/pdf"
# Family names that mark a sans-serif (黑体-style) face: never the body of a document.
SANS_MARKERS = ("sans", "hei", "黑", "gothic", "arial", "helvetica")


def cjk_font_families() -> list[str]:
    """Font families fontconfig offers for Chinese; WeasyPrint finds fonts through fontconfig."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    result = subprocess.run(  # noqa: S603  # nosec B603 # fixed arguments, no user input
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False
    )
    families = set()
    for line in result.stdout.splitlines():
        # A font may carry several names ("FangSong,仿宋"); each of them selects it.
        families.update(name.strip() for name in line.split(",") if name.strip())
    return sorted(families)


@functools.lru_cache(maxsize=1)
def _installed_families() -> frozenset[str]:
    return frozenset(cjk_font_families())


def is_sans(family: str) -> bool:
    lowered = family.lower()
    return any(marker in lowered for marker in SANS_MARKERS)


def chosen_family(configured: list[str], installed: frozenset[str] | None = None) -> str:
    """The first configured family that is installed (and not sans-serif), else the fallback."""
    installed = _installed_families() if installed is None else installed
    for family in configured:
        if family in installed and not is_sans(family):
            return family
    return settings.PDF_FALLBACK_FONT_FAMILY


def _css_stack(family: str) -> str:
    families = [family]
    if settings.PDF_FALLBACK_FONT_FAMILY not in families:
        families.append(settings.PDF_FALLBACK_FONT_FAMILY)
    return ", ".join(f'"{name}"' for name in families) + ", serif"


def document_fonts() -> dict[str, str]:
    """CSS font-family values for the templates: `title` (小标宋-style) and `body` (仿宋-style).

    Noto Serif CJK has no 小标宋 weight: when it stands in for the title face the title is set in its bold.
    """
    title = chosen_family(settings.PDF_TITLE_FONT_FAMILY)
    body = chosen_family(settings.PDF_BODY_FONT_FAMILY)
    return {
        "title": _css_stack(title),
        "body": _css_stack(body),
        "title_weight": "bold" if title == settings.PDF_FALLBACK_FONT_FAMILY else "normal",
    }


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` (which extends "pdf/base.html") to PDF bytes, in Chinese."""
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, {"fonts": document_fonts(), **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    return file_response(content, filename, content_type=PDF_CONTENT_TYPE, inline=inline)
