"""Files the plugin adds to the built site around what the engine writes."""

from __future__ import annotations

import os
from pathlib import Path

# Material's script fetches `sitemap.xml` relative to every `<link rel="alternate">` of a page, expecting the
# alternates to be language roots. mkdocs-static-i18n points them, rightly, at the same page in the other
# language, so each fetch would be a 404 and a console error. The language switcher already links the right
# page, so an empty sitemap there loses nothing; the real sitemap, with every page and its alternates, stays
# at the site's root.
EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')


def write_sitemap_stubs(site_dir: Path) -> None:
    """An empty sitemap next to every page that has none: one file, hard-linked into the other folders (writing
    1,600 files took 1.4 s at 500 cards, linking them 0.03 s)."""
    first: str | None = None
    for folder, _, names in os.walk(site_dir):
        if "index.html" not in names or "sitemap.xml" in names:
            continue
        sitemap = os.path.join(folder, "sitemap.xml")
        if first is not None:
            try:
                os.link(first, sitemap)
                continue
            except OSError:  # a file system without hard links
                pass
        Path(sitemap).write_text(EMPTY_SITEMAP, encoding="utf-8")
        first = sitemap


def keep_language_404(site_dir: Path, lang: str, default_page: bytes | None) -> None:
    """The engine writes the theme's 404.html into the site's root for every language, the last one winning:
    move the page of `lang` to `<lang>/404.html` and put the default language's back at the root."""
    page = site_dir / "404.html"
    if not page.is_file():
        return
    target = site_dir / lang / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(page.read_bytes())
    if default_page is not None:
        page.write_bytes(default_page)


def write_files(site_dir: Path, folder: str, files: dict[str, str]) -> None:
    target = site_dir / folder
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")


# The print fonts a plan's PDF, assembled in the browser (assets/plan-pdf.js), writes its cover with: the same
# as the cards' own, with their licence.
PLAN_PDF_FONTS = ("SourceSans3-Regular.ttf", "SourceSans3-Bold.ttf", "LICENSE.md")


def copy_plan_pdf_fonts(site_dir: Path, fonts_dir: Path) -> None:
    target = site_dir / "assets" / "fonts"
    target.mkdir(parents=True, exist_ok=True)
    for name in PLAN_PDF_FONTS:
        (target / name).write_bytes((fonts_dir / name).read_bytes())
