"""Markdown to HTML for the print edition, with the same extensions as the site (see mkdocs.yml)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

# The site's `markdown_extensions` (mkdocs.yml); a test keeps the two lists equal.
MARKDOWN_EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc",
                       "pymdownx.details", "pymdownx.superfences"]

# A site link (relative, to a Markdown page) → the anchor of that page in the booklet.
LINK = re.compile(r"^(?:\.\./|\./)*(?P<path>[\w/-]+)\.md(?:#(?P<fragment>[\w-]+))?$")


def booklet_anchor(page_path: str) -> str:
    """The id a page of the site has in the booklet: formats/x.md → card-x, living-lab.md → chapter-living-lab."""
    if page_path.startswith("formats/") and page_path != "formats/index":
        return "card-" + page_path.removeprefix("formats/")
    if page_path.startswith("themes/"):
        return "theme-" + page_path.removeprefix("themes/")
    return "chapter-" + page_path.replace("/", "-")


class _BookletLinks(Treeprocessor):
    """Point links between site pages to their place in the booklet; keep web links."""

    def run(self, root):
        for link in root.iter("a"):
            match = LINK.match(link.get("href", ""))
            if match:
                link.set("href", "#" + booklet_anchor(match["path"]))


class _ShiftHeadings(Treeprocessor):
    """Move headings down `shift` levels, so that a card's ### sits below its section heading."""

    def __init__(self, md, shift: int):
        super().__init__(md)
        self.shift = shift

    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(int(element.tag[1]) + self.shift, 6)}"


class _LocalImages(Treeprocessor):
    """Resolve relative image paths against the folder of the text they stand in."""

    def __init__(self, md, base_dir: Path):
        super().__init__(md)
        self.base_dir = base_dir

    def run(self, root):
        for image in root.iter("img"):
            src = image.get("src", "")
            if src and "://" not in src and not src.startswith("data:"):
                image.set("src", (self.base_dir / src).resolve().as_uri())


class _BookletExtension(Extension):
    def __init__(self, shift: int, base_dir: Path):
        super().__init__()
        self.shift, self.base_dir = shift, base_dir

    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's name)
        md.treeprocessors.register(_BookletLinks(md), "booklet_links", 0)
        md.treeprocessors.register(_ShiftHeadings(md, self.shift), "shift_headings", 1)
        md.treeprocessors.register(_LocalImages(md, self.base_dir), "local_images", 2)


def to_html(text: str, id_prefix: str, base_dir: Path, shift: int = 0) -> str:
    """Render Markdown for the booklet: heading ids prefixed (unique in the book), headings moved down
    `shift` levels, site links made internal, local images resolved against `base_dir`."""
    slug: Callable[[str, str], str] = lambda value, separator: f"{id_prefix}-{slugify(value, separator)}"  # noqa: E731
    md = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, _BookletExtension(shift, base_dir)],
                           extension_configs={"toc": {"slugify": slug}})
    return md.convert(text)
