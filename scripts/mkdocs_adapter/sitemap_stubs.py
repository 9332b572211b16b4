"""MkDocs hook: an empty sitemap next to every page, once all languages are built.

Material's script fetches `sitemap.xml` relative to every `<link rel="alternate">` of a page, expecting the
alternates to be language roots. mkdocs-static-i18n points them, rightly, at the same page in the other
language, so each fetch would be a 404 and a console error. The language switcher already links the right
page, so an empty sitemap there loses nothing. The real sitemap, with every page and its alternates, stays
at the site's root.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority

EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')


@event_priority(-120)  # after mkdocs-static-i18n's on_post_build, which builds the other languages
def on_post_build(config):
    if config.plugins["i18n"].building:
        return
    for page in Path(config.site_dir).rglob("index.html"):
        sitemap = page.parent / "sitemap.xml"
        if not sitemap.exists():
            sitemap.write_text(EMPTY_SITEMAP, encoding="utf-8")
