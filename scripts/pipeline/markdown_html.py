"""Markdown to safe HTML: the one way editors' text becomes HTML, for the site, the PDFs and the search index.

Markdown is rendered with the site's extensions, then sanitised with the allowlist of `safe_html`; only then
are links between pages and image paths pointed where the product needs them (a page of the site, a place in
the booklet). The images a text shows are read from the sanitised HTML, so the list that is checked is the
list that is published.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

from .safe_html import Removal, removed, sanitise

# The site's `markdown_extensions` (mkdocs.yml); a test keeps the two lists equal.
MARKDOWN_EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc",
                       "pymdownx.details", "pymdownx.superfences"]

# A link to a page of the toolbox (relative, to a Markdown page), with an optional fragment.
PAGE_LINK = re.compile(r"^(?P<path>(?:\.\./|\./)*[\w/-]+)\.md(?:#(?P<fragment>[\w-]+))?$")
# nh3 writes every attribute as name="value", with " inside a value written as &quot;.
_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")')
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'(\ssrc=")([^"]*)(")')
_ALT = re.compile(r'\salt="([^"]*)"')
_ID = re.compile(r'(<h[1-6]\b[^>]*?\sid=")([^"]*)(")')


@dataclass(frozen=True)
class Image:
    src: str  # as the editor wrote it: a file name in the text's folder
    alt: str


@dataclass(frozen=True)
class SafeHtml:
    """Editors' Markdown as sanitised HTML, the images it shows, and whether the sanitiser removed anything
    (`explain` says what, block by block)."""

    html: str
    images: tuple[Image, ...] = ()
    removed_anything: bool = False


class _ShiftHeadings(Treeprocessor):
    """Move headings down `shift` levels, so that a card's ### sits below its section heading."""

    def __init__(self, md, shift: int):
        super().__init__(md)
        self.shift = shift

    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(int(element.tag[1]) + self.shift, 6)}"


class _Shift(Extension):
    def __init__(self, shift: int):
        super().__init__()
        self.shift = shift

    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's name)
        md.treeprocessors.register(_ShiftHeadings(md, self.shift), "shift_headings", 1)


class _Converter:
    """One Markdown instance per heading shift, reused: heading ids get the prefix of the text being rendered."""

    def __init__(self, shift: int):
        self.prefix = ""
        self.md = markdown.Markdown(
            extensions=[*MARKDOWN_EXTENSIONS, _Shift(shift)],
            extension_configs={"toc": {"slugify": self._slug, "permalink": False}})

    def _slug(self, value: str, separator: str) -> str:
        return f"{self.prefix}-{slugify(value, separator)}" if self.prefix else slugify(value, separator)

    def convert(self, text: str, prefix: str) -> str:
        self.prefix = prefix
        return self.md.reset().convert(text)


@cache
def _converter(shift: int) -> _Converter:
    return _Converter(shift)


def _images(html: str) -> tuple[Image, ...]:
    found = []
    for tag in _IMG.findall(html):
        src, alt = _SRC.search(tag), _ALT.search(tag)
        if src:
            found.append(Image(html_lib.unescape(src.group(2)), html_lib.unescape(alt.group(1)) if alt else ""))
    return tuple(found)


def _own_ids(safe_html: str, prefix: str) -> str:
    """Every heading id of a text in its own namespace, `prefix`-…: the ids Markdown makes from the headings'
    words already are; one an editor wrote (`{#id}`, `<h3 id>`) is put there too, with the links to it in the
    same text. So no text can take an id the toolbox gives its own headings, cards, chapters and themes
    (card-…, theme-…, a section's key), which would send their links, and the booklet's page numbers, to it."""
    own = f"{prefix}-"
    moved = {value for _, value, _ in _ID.findall(safe_html) if not value.startswith(own)}
    taken: set[str] = set()

    def heading(match: re.Match) -> str:  # in its namespace, and once only (a second one gets -2, -3, …)
        value = match.group(2) if match.group(2).startswith(own) else own + match.group(2)
        unique, number = value, 1
        while unique in taken:
            number += 1
            unique = f"{value}-{number}"
        taken.add(unique)
        return match.group(1) + unique + match.group(3)

    safe_html = _ID.sub(heading, safe_html)

    def link(match: re.Match) -> str:
        target = html_lib.unescape(match.group(2))
        if target.startswith("#") and target[1:] in moved:
            return match.group(1) + html_lib.escape("#" + own + target[1:]) + match.group(3)
        return match.group(0)

    return _HREF.sub(link, safe_html)


def render(text: str, *, id_prefix: str = "", shift: int = 0) -> SafeHtml:
    """Editors' Markdown as sanitised HTML (heading ids in the namespace `id_prefix`-…, headings moved down
    `shift` levels), with the images it shows and what the sanitiser removed."""
    raw = _converter(shift).convert(text, id_prefix)
    safe = sanitise(raw)
    if id_prefix:
        safe = _own_ids(safe, id_prefix)
    return SafeHtml(safe, _images(safe), bool(removed(raw)))


def explain(text: str) -> list[Removal]:
    """What the sanitiser removes from the HTML of `text` (for `check`, which explains it block by block)."""
    return removed(_converter(0).convert(text, ""))


def relink(safe_html: str, page_link: Callable[[str, str | None], str] | None = None, image_prefix: str = "") -> str:
    """Sanitised HTML with its links to other pages of the toolbox (`x.md`) made `page_link(path, fragment)`,
    and `image_prefix` put before every image's file name (where the product keeps the images)."""
    def link(match: re.Match) -> str:
        page = PAGE_LINK.match(html_lib.unescape(match.group(2)))
        if page is None or page_link is None:
            return match.group(0)
        return match.group(1) + html_lib.escape(page_link(page["path"], page["fragment"])) + match.group(3)

    def image(match: re.Match) -> str:
        return _SRC.sub(lambda src: src.group(1) + html_lib.escape(image_prefix) + src.group(2) + src.group(3),
                        match.group(0))

    result = _HREF.sub(link, safe_html)
    return _IMG.sub(image, result) if image_prefix else result


def site_page_url(source: str) -> str:
    """The address of a page of the site (directory URLs) from its Markdown path: formats/x.md → formats/x/."""
    path = source.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        return path.removesuffix("index")
    return path + "/"


def site_link(page_source: str) -> Callable[[str, str | None], str]:
    """Links from the page whose Markdown path is `page_source` (formats/x.md) to other pages, as site URLs."""
    page_dir = site_page_url(page_source) or "."

    def link(path: str, fragment: str | None) -> str:
        target = site_page_url(posixpath.normpath(posixpath.join(posixpath.dirname(page_source), path + ".md")))
        relative = posixpath.relpath(target.rstrip("/") or ".", page_dir.rstrip("/") or ".")
        return ("./" if relative == "." else relative + "/") + (f"#{fragment}" if fragment else "")

    return link


def booklet_anchor(page_path: str) -> str:
    """The id a page of the site has in the booklet: formats/x.md → card-x, living-lab.md → chapter-living-lab."""
    if page_path.startswith("formats/") and page_path != "formats/index":
        return "card-" + page_path.removeprefix("formats/")
    if page_path.startswith("themes/"):
        return "theme-" + page_path.removeprefix("themes/")
    return "chapter-" + page_path.replace("/", "-")


def booklet_link(page_source: str) -> Callable[[str, str | None], str]:
    """Links from the page `page_source` to other pages, as places in the booklet."""
    def link(path: str, fragment: str | None) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_source), path))
        return "#" + booklet_anchor(target)

    return link
