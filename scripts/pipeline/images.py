"""Images in editors' texts: files in the text's own folder, referred to by their names (`![A plan](plan.png)`).

Which images a text shows is read from its sanitised HTML (pipeline.markdown_html); this module says whether
such a file may be published: a real file (not a link) inside the folder, no larger than MAX_BYTES, and by its
content (not its name) a JPEG, PNG, WebP or GIF picture.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

# Pillow's format name → the file endings that may carry it.
FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",), "GIF": (".gif",)}
MAX_BYTES = 15 * 1024 * 1024  # a phone photo is 2–8 MB


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
    if kind not in FORMATS:
        return f"'{src}' is not a JPEG, PNG, WebP or GIF picture (judged by its content); save it as one of these"
    if path.suffix.lower() not in FORMATS[kind]:
        return f"'{src}' is a {kind} picture but its name ends in '{path.suffix}'; name it " \
               f"{path.stem}{FORMATS[kind][0]}"
    return None
