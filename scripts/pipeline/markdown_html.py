"""Markdown to HTML for the print edition, with the same extensions as the site (see mkdocs.yml)."""

from __future__ import annotations

import re
from collections.abc import Callable

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


class _BookletLinksExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's name)
        md.treeprocessors.register(_BookletLinks(md), "booklet_links", 0)


def to_html(text: str, id_prefix: str) -> str:
    """Render Markdown for the booklet: heading ids prefixed (unique in the book), site links made internal."""
    slug: Callable[[str, str], str] = lambda value, separator: f"{id_prefix}-{slugify(value, separator)}"  # noqa: E731
    md = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, _BookletLinksExtension()],
                           extension_configs={"toc": {"slugify": slug}})
    return md.convert(text)
