"""MkDocs hook: fill pages that ask for it (`site_values: true` in their front matter) with the site's
configured values, as Jinja: `{{ operator }}`, `{{ contact }}`, `{{ issues }}`, `{{ enforcement }}`,
`{{ date }}`. Used by the accessibility statement and the privacy notice, whose operator and addresses must
come from mkdocs.yml and never be made up."""

from __future__ import annotations

import datetime

import jinja2


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not page.meta.get("site_values"):
        return markdown
    issues = f"{config.repo_url.rstrip('/')}/issues" if config.repo_url else ""
    values = {
        "operator": config.extra.get("operator", ""),
        "contact": config.extra.get("contact", "") or issues,
        "issues": issues,
        "enforcement": config.extra.get("enforcement", ""),
        "date": datetime.date.today().isoformat(),
    }
    return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(markdown).render(values)
