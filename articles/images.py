"""Image handling for photos and page scans: clean originals and the renditions readers get.

Every upload is re-encoded once, when it is first saved: the EXIF orientation is applied and
all metadata (EXIF with its GPS position, XMP, comments) is dropped, so nothing about where a
picture was taken can reach a reader, whichever file they are served.
"""

from __future__ import annotations

import io
import uuid
from pathlib import PurePosixPath

import pypdfium2
from django.core.files.base import ContentFile
from django.db import models
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps

WEB_SIZE = 1600
THUMBNAIL_SIZE = 400
# Formats a browser shows everywhere; anything else is refused at upload.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@deconstructible
class UploadTo:
    """Store uploads under a random name, so a file's URL says nothing about its story."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: models.Model, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()[:10]
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadTo) and other.folder == self.folder


def upload_to(folder: str) -> UploadTo:
    return UploadTo(folder)


def _encode(image: Image.Image, fmt: str, icc_profile: bytes | None) -> bytes:
    """Write an image with no metadata but its colour profile."""
    if fmt == "JPEG" and image.mode not in {"RGB", "L"}:
        image = _flatten(image)
    image.info = {}
    buffer = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if fmt == "JPEG":
        options.update(quality=85, optimize=True, progressive=True)
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """Put a transparent image on white, since JPEG renditions have no alpha channel."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _rendition(image: Image.Image, longest_side: int, icc_profile: bytes | None) -> bytes:
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    return _encode(copy, "JPEG", icc_profile)


def _clean(original) -> tuple[Image.Image, bytes | None, str]:
    """Re-encode an uploaded image in place, upright and without metadata, under a random
    name; the decoded image, its colour profile and the name's stem."""
    original.seek(0)
    with Image.open(original) as opened:
        fmt = opened.format
        icc_profile = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened)
        image.load()
    stem = uuid.uuid4().hex
    extension = ALLOWED_FORMATS.get(fmt, "jpg")
    clean = _encode(image.copy(), fmt if fmt in ALLOWED_FORMATS else "JPEG", icc_profile)
    original.save(f"{stem}.{extension}", ContentFile(clean), save=False)
    return image, icc_profile, stem


def clean_upload(original) -> None:
    """Clean a newly uploaded image that has no renditions (a paper's logo) in place."""
    if original and not getattr(original, "_committed", True):
        _clean(original)


def refresh_renditions(instance: models.Model, field: str, *, web: str, thumbnail: str) -> None:
    """Clean a newly uploaded original in place and make its web rendition and thumbnail.

    Called from the model's save(): an untouched image keeps its renditions; a cleared one
    loses them.
    """
    original = getattr(instance, field)
    if not original:
        setattr(instance, web, "")
        setattr(instance, thumbnail, "")
        return
    if getattr(original, "_committed", True):
        return
    image, icc_profile, stem = _clean(original)
    getattr(instance, web).save(
        f"{stem}-web.jpg", ContentFile(_rendition(image, WEB_SIZE, icc_profile)), save=False
    )
    getattr(instance, thumbnail).save(
        f"{stem}-thumb.jpg",
        ContentFile(_rendition(image, THUMBNAIL_SIZE, icc_profile)),
        save=False,
    )
    # The size after rotation is the one readers see; Django's own dimension update does not
    # run reliably for a file replaced inside save(), so set it from the decoded image.
    image_field = instance._meta.get_field(field)
    setattr(instance, image_field.width_field, image.width)
    setattr(instance, image_field.height_field, image.height)


# Render page PDFs at print-scan resolution; the pixel limit still caps the result.
PDF_RENDER_DPI = 200


def render_pdf_page(file, *, max_pixels: int) -> ContentFile:
    """The first page of an uploaded page PDF as a PNG, to serve as the page's scan."""
    file.seek(0)
    document = pypdfium2.PdfDocument(file.read())
    try:
        page = document[0]
        width, height = page.get_size()  # in points, 72 to the inch
        scale = PDF_RENDER_DPI / 72
        # Shrink the scale so the rendering stays under the pixel limit.
        scale = min(scale, (max_pixels / (width * height)) ** 0.5)
        image = page.render(scale=scale).to_pil()
    finally:
        document.close()
        file.seek(0)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name="page.png")
