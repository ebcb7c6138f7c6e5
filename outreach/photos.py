"""Checks and thumbnails for event photos.

core.uploads checks size and the file's signature; Pillow then proves the file really decodes as an image
(a renamed or truncated file fails here) and makes the thumbnail shown in lists.
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
# Far above any camera's output; larger images are refused before they are decoded (decompression bombs).
MAX_PIXELS = 80_000_000


def photo_max_bytes() -> int:
    return settings.OUTREACH_PHOTO_MAX_BYTES


@dataclass
class CheckedPhoto:
    upload: object
    extension: str
    sha256: str
    width: int
    height: int
    thumbnail: ContentFile


def check_photo(upload) -> CheckedPhoto:
    """Refuse what is too large or not an image; return the photo with its hash and thumbnail."""
    extension = validate_upload(upload, allowed=IMAGE_TYPES, max_bytes=photo_max_bytes())
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("图片“%(name)s”的像素过多（%(w)s×%(h)s），请缩小后再上传。")
                    % {"name": upload.name, "w": width, "h": height},
                    code="too_many_pixels",
                )
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            thumbnail = _thumbnail(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("文件“%(name)s”不是有效的图片（无法识别或已损坏），请上传 JPG、PNG 或 GIF 照片。")
            % {"name": upload.name},
            code="not_an_image",
        ) from exc
    finally:
        upload.seek(0)
    return CheckedPhoto(
        upload=upload,
        extension="jpg" if extension == "jpeg" else extension,
        sha256=sha256_of(upload),
        width=width,
        height=height,
        thumbnail=thumbnail,
    )


def _thumbnail(image) -> ContentFile:
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
