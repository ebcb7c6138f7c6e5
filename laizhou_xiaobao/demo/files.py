"""Fictional attachment files of realistic kinds and sizes, for the demo's filed cases and the bundle benchmark
(docs/performance.md「卷宗」): phone photos (JPEG), screenshots (PNG), scanned PDFs of several pages and Word
documents. Reproducible: the same seed gives the same bytes.

A photo's size is that of a real one: a picture with texture (smoothed noise) rather than a flat colour, which
JPEG would shrink to a few kilobytes; `scale` (0–1] shrinks every side for tests.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter


@dataclass(frozen=True)
class DemoFile:
    name: str
    content: bytes
    kind: str  # Attachment.Kind
    description: str


def _textured(rng: random.Random, width: int, height: int) -> Image.Image:
    """A photo-like picture: coarse colour noise scaled up and blurred, with fine grain on top."""
    coarse = Image.frombytes(
        "RGB", (max(width // 8, 1), max(height // 8, 1)), rng.randbytes(3 * (width // 8 or 1) * (height // 8 or 1))
    )
    picture = coarse.resize((width, height), Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(2))
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    return Image.blend(picture, grain, 0.12)


def photo_jpeg(rng: random.Random, *, scale: float = 1.0) -> bytes:
    """A phone photo: 4000 × 3000 at full scale, about 1–3 MB."""
    width, height = int(rng.choice((3264, 4000)) * scale) or 1, int(rng.choice((2448, 3000)) * scale) or 1
    buffer = io.BytesIO()
    _textured(rng, width, height).save(buffer, "JPEG", quality=rng.choice((70, 75, 80)))
    return buffer.getvalue()


def screenshot_png(rng: random.Random, *, scale: float = 1.0) -> bytes:
    """A phone screenshot of a bank app: 1080 × 2340 with a photo-like banner, about 1–2 MB."""
    width, height = int(1080 * scale) or 1, int(2340 * scale) or 1
    page = Image.new("RGB", (width, height), (245, 245, 245))
    banner = _textured(rng, width, max(height // 2, 1))
    page.paste(banner, (0, 0))
    draw = ImageDraw.Draw(page)
    for line in range(12):
        top = height // 2 + line * max(height // 28, 1)
        draw.rectangle((width // 12, top, width - width // 12, top + max(height // 60, 1)), fill=(90, 90, 90))
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    return buffer.getvalue()


def scanned_pdf(rng: random.Random, *, pages: int, scale: float = 1.0) -> bytes:
    """A scanned document: each page an A4 greyscale scan at 150 dpi (about 150–300 KB a page)."""
    width, height = int(1240 * scale) or 1, int(1754 * scale) or 1
    images = []
    for _page in range(pages):
        page = Image.effect_noise((width, height), 10).point(lambda v: 235 + v // 16)
        draw = ImageDraw.Draw(page)
        for line in range(30):
            top = height // 10 + line * max(height // 40, 1)
            length = rng.randrange(width // 2, width - width // 6)
            draw.rectangle((width // 10, top, length, top + max(height // 160, 1)), fill=40)
        images.append(page)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=150.0 * scale, save_all=True, append_images=images[1:], quality=80)
    return buffer.getvalue()


def word_docx(rng: random.Random, *, paragraphs: int = 40, with_picture: bool = True, scale: float = 1.0) -> bytes:
    """A Word document (WordprocessingML in a ZIP), optionally with a photo in it as Word keeps one."""
    body = "".join(
        f"<w:p><w:r><w:t>第{n + 1}条 情况说明：客户于某日到网点办理业务，工作人员已按规定告知。</w:t></w:r></w:p>"
        for n in range(paragraphs)
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
            'main+xml"/></Types>',
        )
        docx.writestr("word/document.xml", document)
        if with_picture:
            docx.writestr("word/media/image1.jpeg", photo_jpeg(rng, scale=0.3 * scale))
    return buffer.getvalue()


# The mix of a case with many attachments: (kind of file, Attachment.Kind, description) in upload order.
MIX = [
    ("photo", "evidence", "现场照片"),
    ("pdf", "interview", "询问笔录（扫描件）"),
    ("screenshot", "evidence", "手机银行截图"),
    ("photo", "evidence", "合同照片"),
    ("docx", "other", "情况说明"),
    ("pdf", "receipt", "机构书面答复（扫描件）"),
]


def case_files(count: int, *, seed: int = 17, scale: float = 1.0) -> list[DemoFile]:
    """`count` attachments cycling through MIX: at full scale 30 of them are about 40 MB."""
    rng = random.Random(seed)  # nosec B311 # reproducible demo files, not a secret
    files = []
    for n in range(count):
        what, kind, description = MIX[n % len(MIX)]
        if what == "photo":
            name, content = f"IMG_{2000 + n}.jpg", photo_jpeg(rng, scale=scale)
        elif what == "screenshot":
            name, content = f"截图_{n + 1:02d}.png", screenshot_png(rng, scale=scale)
        elif what == "pdf":
            name, content = f"扫描件_{n + 1:02d}.pdf", scanned_pdf(rng, pages=rng.randrange(2, 9), scale=scale)
        else:
            name, content = f"情况说明_{n + 1:02d}.docx", word_docx(rng, scale=scale)
        files.append(DemoFile(name=name, content=content, kind=kind, description=f"{description}{n + 1}"))
    return files
