"""MkDocs hook: a 404 page in each language.

MkDocs writes the theme's 404.html into the site's root on every build, and mkdocs-static-i18n builds each
language in turn, so the last language would win. After each language's build its 404.html is kept at
`<lang>/404.html`; the default language's stays at the root.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority

_default_page: bytes | None = None


@event_priority(-90)  # before mkdocs-static-i18n's on_post_build, which goes on to the next language
def on_post_build(config):
    global _default_page
    i18n = config.plugins["i18n"]
    page = Path(config.site_dir) / "404.html"
    if not page.is_file():
        return
    if i18n.current_language == i18n.default_language:
        _default_page = page.read_bytes()
        return
    target = Path(config.site_dir) / i18n.current_language / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(page.read_bytes())
    if _default_page is not None:
        page.write_bytes(_default_page)
