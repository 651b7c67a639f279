"""Deep-zoom tiles of page scans: a DZI pyramid of 256-pixel JPEG tiles, made once per scan.

A broadsheet scan is thousands of pixels on a side; readers get its 1600-pixel rendition at
once and, to zoom in, only the tiles of the part they look at (OpenSeadragon, on the e-paper
page). The tiles of a scan live in the default media storage (a folder, or S3) under a name
derived from the scan's own file name, which is random and new at every upload: tiles never
need replacing, and `Page.tiled_scan` says which scan's tiles are complete. Made by the task
`make_page_tiles` (articles/tasks.py) after a page's scan changes.
"""

from __future__ import annotations

import io
import math
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

TILE_SIZE = 256
# Each tile carries one pixel of its neighbours on every inner edge, so that no seam shows
# between tiles drawn at fractional positions (the Deep Zoom default).
OVERLAP = 1
FORMAT = "jpg"
JPEG_QUALITY = 80
DZI_NAMESPACE = "http://schemas.microsoft.com/deepzoom/2008"


def stem(scan_name: str) -> str:
    """A scan's random file stem, which names its pyramid."""
    return PurePosixPath(scan_name).stem


def base_name(scan_name: str) -> str:
    """Where a scan's pyramid lives: `tiles/<stem>.dzi` and the folder `tiles/<stem>_files/`."""
    return f"tiles/{stem(scan_name)}"


def tile_name(scan_stem: str, level: int, column: int, row: int) -> str:
    return f"tiles/{scan_stem}_files/{level}/{column}_{row}.{FORMAT}"


def levels(width: int, height: int) -> list[tuple[int, int]]:
    """Each level's size, from 1×1 pixel (level 0) up to the full scan (the last level)."""
    top = math.ceil(math.log2(max(width, height, 1)))
    return [
        (
            max(1, math.ceil(width / 2 ** (top - level))),
            max(1, math.ceil(height / 2 ** (top - level))),
        )
        for level in range(top + 1)
    ]


def tile_boxes(width: int, height: int):
    """(column, row, box) of every tile of a level of that size, overlap included."""
    for column in range(math.ceil(width / TILE_SIZE)):
        for row in range(math.ceil(height / TILE_SIZE)):
            left, top = column * TILE_SIZE, row * TILE_SIZE
            yield (
                column,
                row,
                (
                    max(0, left - OVERLAP),
                    max(0, top - OVERLAP),
                    min(width, left + TILE_SIZE + OVERLAP),
                    min(height, top + TILE_SIZE + OVERLAP),
                ),
            )


def descriptor(width: int, height: int) -> str:
    """The pyramid's `.dzi` file, for any Deep Zoom viewer."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Image xmlns="{DZI_NAMESPACE}" Format="{FORMAT}" Overlap="{OVERLAP}" '
        f'TileSize="{TILE_SIZE}"><Size Width="{width}" Height="{height}"/></Image>\n'
    )


def _store(name: str, content: bytes) -> None:
    # A run after an interrupted one finds some tiles already there: replace them, since the
    # storage would otherwise keep the old file and save the new one under another name.
    default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        raise OSError(f"The media storage stored {name} as {saved}")


def write_pyramid(image: Image.Image, scan_name: str) -> int:
    """Cut every level of the image into tiles and store them with the `.dzi`; the number
    of tiles. Levels are made from the one above, halving, so each costs a quarter of it."""
    image = image.convert("RGB") if image.mode != "RGB" else image
    width, height = image.size
    count = 0
    sizes = levels(width, height)
    current = image
    for level in range(len(sizes) - 1, -1, -1):
        if current.size != sizes[level]:
            current = current.resize(sizes[level], Image.Resampling.LANCZOS)
        for column, row, box in tile_boxes(*current.size):
            buffer = io.BytesIO()
            current.crop(box).save(buffer, "JPEG", quality=JPEG_QUALITY)
            _store(tile_name(stem(scan_name), level, column, row), buffer.getvalue())
            count += 1
    _store(f"{base_name(scan_name)}.dzi", descriptor(width, height).encode())
    return count


def make_page_tiles(page_id: int) -> bool:
    """Make the tiles of a page's current scan unless they are made; whether it made them.

    Readiness is written only if the page still has that scan (a newer upload has a task of
    its own), and then the reader pages showing the page are emptied, to show the viewer.
    """
    from . import caching
    from .models import Page

    page = Page.objects.filter(pk=page_id).only("scan", "tiled_scan").first()
    if page is None or not page.scan or page.tiled_scan == page.scan.name:
        return False
    scan_name = page.scan.name
    with default_storage.open(scan_name, "rb") as file, Image.open(file) as image:
        image.load()
        write_pyramid(image, scan_name)
    if Page.objects.filter(pk=page_id, scan=scan_name).update(tiled_scan=scan_name):
        caching.page_filled(page_id)
        return True
    return False


def viewer_source(page) -> dict | None:
    """What the e-paper's viewer needs of a page's tiles, or None while it has none."""
    if not page.scan or page.tiled_scan != page.scan.name or not page.scan_width:
        return None
    return {
        "url": tile_url_template(page.scan.name),
        "width": page.scan_width,
        "height": page.scan_height,
        "tile_size": TILE_SIZE,
        "overlap": OVERLAP,
    }


PLACEHOLDERS = {"level": 987654, "column": 876543, "row": 765432}


def tile_url_template(scan_name: str) -> str:
    """A tile's address with `{level}`, `{x}` and `{y}` for the viewer to fill in.

    From the storage when its addresses are plain (a folder, a public bucket or CDN); when it
    signs each file's address (a private bucket), through the site's tile address, which
    answers with a freshly signed one.
    """
    probe = default_storage.url(tile_name(stem(scan_name), *PLACEHOLDERS.values()))
    if "?" in probe:
        probe = reverse("articles:tile", kwargs={"stem": stem(scan_name), **PLACEHOLDERS})
    return (
        probe.replace(str(PLACEHOLDERS["level"]), "{level}")
        .replace(str(PLACEHOLDERS["column"]), "{x}")
        .replace(str(PLACEHOLDERS["row"]), "{y}")
    )
