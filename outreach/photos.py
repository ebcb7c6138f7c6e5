"""Checks and thumbnails for event photos.

core.uploads checks size and the file's signature; Pillow then proves the file really decodes as an image
(a renamed or truncated file fails here) and makes the thumbnail shown in lists.

Decompression bombs: a PNG of a few hundred KB can declare 8944×8944 pixels and cost a gigabyte once decoded.
Every photo of a submission is first read only as far as its header (width and height); the submission is refused
when one photo has more than `OUTREACH_PHOTO_MAX_PIXELS` or all together more than `OUTREACH_PHOTO_TOTAL_PIXELS`,
before a single pixel is decoded. JPEGs are then decoded at a reduced scale for the thumbnail.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.uploads import IMAGE_TYPES, sha256_of, validate_upload

THUMBNAIL_SIZE = (360, 270)
# Above a 24-megapixel camera's 6000×4000 and a phone's 48-megapixel mode shrunk to 12; larger images are refused
# before they are decoded. A submission as a whole may hold three such photos' worth.


def photo_max_bytes() -> int:
    return settings.OUTREACH_PHOTO_MAX_BYTES


def photo_max_pixels() -> int:
    return settings.OUTREACH_PHOTO_MAX_PIXELS


def photo_total_pixels() -> int:
    return settings.OUTREACH_PHOTO_TOTAL_PIXELS


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}"


@dataclass
class CheckedPhoto:
    upload: object
    extension: str
    sha256: str
    width: int
    height: int
    thumbnail: ContentFile


@dataclass
class _Probe:
    upload: object
    extension: str
    width: int
    height: int


def _not_an_image(upload) -> ValidationError:
    return ValidationError(
        _("文件“%(name)s”不是有效的图片（无法识别或已损坏），请上传 JPG、PNG 或 GIF 照片。") % {"name": upload.name},
        code="not_an_image",
    )


def _probe(upload) -> _Probe:
    """Size, signature and the header's dimensions; nothing is decoded yet."""
    extension = validate_upload(upload, allowed=IMAGE_TYPES, max_bytes=photo_max_bytes())
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > photo_max_pixels():
                raise ValidationError(
                    _("图片“%(name)s”的像素过多（%(w)s×%(h)s，超过 %(max)s 百万像素），请缩小后再上传。")
                    % {"name": upload.name, "w": width, "h": height, "max": _megapixels(photo_max_pixels())},
                    code="too_many_pixels",
                )
            # Checks the structure (chunks, checksums) without decoding the pixels.
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _not_an_image(upload) from exc
    finally:
        upload.seek(0)
    return _Probe(upload=upload, extension=extension, width=width, height=height)


def _decode(probe: _Probe) -> CheckedPhoto:
    upload = probe.upload
    try:
        with Image.open(upload) as image:
            thumbnail = _thumbnail(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _not_an_image(upload) from exc
    finally:
        upload.seek(0)
    return CheckedPhoto(
        upload=upload,
        extension="jpg" if probe.extension == "jpeg" else probe.extension,
        sha256=sha256_of(upload),
        width=probe.width,
        height=probe.height,
        thumbnail=thumbnail,
    )


def check_photos(uploads) -> list[CheckedPhoto]:
    """Check every photo of one submission; raises one ValidationError listing every refused photo.

    All headers are read before any photo is decoded, so neither one huge photo nor many large ones together
    cost more memory and time than the limits allow.
    """
    probes, errors = [], []
    for upload in uploads or []:
        try:
            probes.append(_probe(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    total = sum(probe.width * probe.height for probe in probes)
    if not errors and total > photo_total_pixels():
        errors.append(
            _("一次上传的照片合计 %(total)s 百万像素，超过上限 %(max)s 百万像素，请分批上传或缩小后再上传。")
            % {"total": _megapixels(total), "max": _megapixels(photo_total_pixels())}
        )
    checked = []
    if not errors:
        for probe in probes:
            try:
                checked.append(_decode(probe))
            except ValidationError as exc:
                errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def check_photo(upload) -> CheckedPhoto:
    """Refuse what is too large or not an image; return the photo with its hash and thumbnail."""
    return check_photos([upload])[0]


def _thumbnail(image) -> ContentFile:
    # A JPEG is decoded straight at 1/2, 1/4 or 1/8 scale when that still covers the thumbnail.
    image.draft("RGB", THUMBNAIL_SIZE)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    image.thumbnail(THUMBNAIL_SIZE)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name="thumb.jpg")
