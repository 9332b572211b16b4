"""MkDocs hook: what the engine gets from hand-written pages is safe to publish.

- Pages that say `site_values: true` (the statements, the legal notice) get the site's configured values by
  plain substitution of named placeholders (pipeline.site_values); no page is evaluated as a template.
- Every page's title is handed to the theme as escaped text: Material inserts titles into the page unescaped.
- The HTML MkDocs makes of a hand-written page is sanitised with the toolbox's allowlist (pipeline.safe_html),
  as the generated pages' texts are by the pipeline.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs_adapter.pages import generated_pages  # noqa: E402
from mkdocs_adapter.print_pdfs import edition_date  # noqa: E402
from pipeline.safe_html import sanitise  # noqa: E402
from pipeline.site_values import SiteValues, fill  # noqa: E402

TITLE_LINE = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$", re.M)


def site_values(config) -> SiteValues:
    repository = (config.repo_url or "").rstrip("/")
    return SiteValues(operator=config.extra.get("operator") or "",
                      contact=config.extra.get("contact") or (f"{repository}/issues" if repository else ""),
                      enforcement=config.extra.get("enforcement") or "", repository=repository,
                      date=edition_date().isoformat())


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.meta.get("site_values"):
        markdown = fill(markdown, site_values(config), config.extra["words"]["not_yet_named"])
    title = page.meta.get("title")
    if not isinstance(title, str):
        heading = TITLE_LINE.search(markdown)
        title = heading["title"] if heading else None
    if title:
        page.meta["title"] = html.escape(title)
    return markdown


def on_page_content(content: str, page, config, files) -> str:
    if page.file.src_uri in generated_pages(config):
        return content  # made by the pipeline: its editors' text is sanitised there, the rest are templates
    return sanitise(content)
