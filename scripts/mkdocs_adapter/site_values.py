"""What the engine gets from hand-written pages is safe to publish.

- Pages that say `site_values: true` (the statements, the legal notice) get the site's configured values by
  plain substitution of named placeholders (pipeline.site_values); no page is evaluated as a template.
- Every page's title is handed to the theme as escaped text: Material inserts titles into the page unescaped.
"""

from __future__ import annotations

import html
import re

from pipeline.site_values import SiteValues, fill

TITLE_LINE = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$", re.M)


def prepare_page(markdown: str, meta: dict, values: SiteValues, not_named: str) -> str:
    """The page's Markdown with its placeholders filled (if it asks for them); its title escaped in `meta`."""
    if meta.get("site_values"):
        markdown = fill(markdown, values, not_named)
    title = meta.get("title")
    if not isinstance(title, str):
        heading = TITLE_LINE.search(markdown)
        title = heading["title"] if heading else None
    if title:
        meta["title"] = html.escape(title)
    return markdown
