"""Images in editors' texts: files in the text's own folder, referred to by their names (`![A plan](plan.png)`).

Which images a text shows is read from its sanitised HTML (pipeline.markdown_html); this module says whether
such a file may be published (a real file, not a link, inside the folder, no larger than MAX_BYTES or
MAX_PIXELS, and by its content, not its name, a JPEG, PNG, WebP or GIF picture), and makes the copies that are
published: smaller for the web, print-sized for the PDFs, both without the camera's metadata (which can hold
where a photo was taken).
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name → the file endings that may carry it.
FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",), "GIF": (".gif",)}
MAX_BYTES = 15 * 1024 * 1024  # a phone photo is 2–8 MB
MAX_PIXELS = 50_000_000  # a 4000 × 3000 phone photo has 12 million
WEB_SIDE = 1600  # px, the longest side on the site: twice the text column's width
PRINT_SIDE = 2400  # px, the longest side in the PDFs: 300 dpi over a 20 cm column


def image_format(path: Path) -> str | None:
    """The picture format of the file by its content (JPEG, PNG, …), or None if it is no picture Pillow reads."""
    try:
        with Image.open(path) as picture:
            picture.verify()
            return picture.format
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def image_file_problem(folder: Path, src: str) -> str | None:
    """Why the image `src`, named in a text in `folder`, cannot be published, or None if it can."""
    path = folder / src
    if path.is_symlink() or any(parent.is_symlink() for parent in path.parents if folder in parent.parents):
        return f"'{src}' is a link to another file; put the image file itself in {folder.name}/"
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except OSError:
        inside = False
    if not inside:
        return f"'{src}' lies outside {folder.name}/; put the image file in that folder and refer to it by its name"
    if not path.is_file():
        return f"'{src}' does not exist in {folder.name}/"
    if path.stat().st_size > MAX_BYTES:
        return f"'{src}' is {path.stat().st_size / 1_000_000:.0f} MB; images may be at most " \
               f"{MAX_BYTES // 1_000_000} MB: save it smaller"
    kind = image_format(path)
    if kind in FORMATS and _pixels(path) > MAX_PIXELS:
        return f"'{src}' has {_pixels(path) / 1_000_000:.0f} million pixels; at most {MAX_PIXELS // 1_000_000} " \
               "million can be used: save it smaller"
    if kind not in FORMATS:
        return f"'{src}' is not a JPEG, PNG, WebP or GIF picture (judged by its content); save it as one of these"
    if path.suffix.lower() not in FORMATS[kind]:
        return f"'{src}' is a {kind} picture but its name ends in '{path.suffix}'; name it " \
               f"{path.stem}{FORMATS[kind][0]}"
    return None


def _pixels(path: Path) -> int:
    with Image.open(path) as picture:
        return picture.width * picture.height


def resized(path: Path, longest_side: int) -> bytes:
    """The picture at most `longest_side` pixels wide and high, turned upright, without metadata, in its own
    format (an animated GIF is kept as it is)."""
    return _resized(path, longest_side, path.stat().st_mtime_ns, path.stat().st_size)


@lru_cache(maxsize=256)
def _resized(path: Path, longest_side: int, mtime: int, size: int) -> bytes:
    with Image.open(path) as picture:
        kind = picture.format
        if kind == "GIF" and getattr(picture, "is_animated", False):
            return path.read_bytes()
        image = ImageOps.exif_transpose(picture)
        image.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if kind == "JPEG":
            image.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=True)
        elif kind == "WEBP":
            image.save(out, "WEBP", quality=80)
        else:
            image.save(out, kind, optimize=True)
        return out.getvalue()


def web_image(path: Path) -> bytes:
    return resized(path, WEB_SIDE)


def print_image(path: Path) -> bytes:
    return resized(path, PRINT_SIDE)
