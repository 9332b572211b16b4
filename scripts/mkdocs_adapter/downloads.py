"""The PDFs' links on the site's pages, with their sizes and page counts filled in once the PDFs are made.

The print edition is laid out in worker processes while the engine builds the pages, so the pages are written
before the PDFs' sizes are known: they carry a marker in the sizes' place, which `fill_sizes` replaces in the
built pages once every PDF is made (outside what the search indexes: the links are not part of a page's body).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from pipeline.cache_files import write_atomically
from pipeline.pdf_files import RenderedPdf, booklet_path, card_pdf_path, human_size, path_language
from pipeline.vocabulary import plural

MARKER = re.compile(r"@@toolbox-pdf-(?P<what>size|pages):(?P<path>[A-Za-z0-9_./-]+)@@")


def _marker(what: str, path: str) -> str:
    return f"@@toolbox-pdf-{what}:{path}@@"


def download_links(lang: str, slugs: list[str]) -> dict:
    """What the theme templates (overrides/main.html, partials/copyright.html) link in `lang`."""
    booklet = booklet_path(lang)
    return {
        "booklet": {"path": booklet, "size": _marker("size", booklet), "pages": _marker("pages", booklet)},
        "cards": {slug: {"path": card_pdf_path(lang, slug), "size": _marker("size", card_pdf_path(lang, slug))}
                  for slug in slugs},
    }


def fill_sizes(site_dir: Path, pdfs: dict[str, RenderedPdf], interface: dict) -> None:
    """Replace the markers in every built page by the PDFs' sizes and page counts, in the PDF's language.
    A marker of a PDF that was not made is an error: the page would link nothing."""
    def value(match: re.Match) -> str:
        path, lang = match["path"], path_language(match["path"])
        pdf = pdfs.get(path)
        if pdf is None:
            raise LookupError(f"a page links {path}, which was not made")
        if match["what"] == "size":
            return human_size(len(pdf.data), lang)
        return html.escape(plural(interface["pages"][lang], pdf.pages, lang).format(count=pdf.pages))

    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "@@toolbox-pdf-" not in text:
            continue
        write_atomically(page, MARKER.sub(value, text).encode("utf-8"))  # the search indexer may be reading it
