"""Configured values in hand-written pages: `{{ operator }}`, `{{ contact }}`, `{{ enforcement }}`,
`{{ repository }}`, `{{ date }}`, and the repository's pages for contributors, `{{ contributing }}` (the guide,
in the page's language where the project has it) and `{{ propose }}` (the form for proposing a format), in a
page whose front matter says `site_values: true` (the statements, the legal notice, the contribute page),
replaced by plain substitution. Pages are never evaluated as templates: no text an editor writes can run as
code at build time. A value not configured yet is shown as "not yet named" in the page's language, so that who
runs the site is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .model import Problem
from .site_config import SiteSettings

# Linear-time patterns (lines come from editors): the name is stripped in code, not by backtracking.
PLACEHOLDER = re.compile(r"\{\{(?P<name>[^{}]*)\}\}")
TEMPLATE_TAG = re.compile(r"\{%")
NAMES = ("operator", "contact", "enforcement", "repository", "date", "contributing", "propose")
# The issue form for proposing a format (.github/ISSUE_TEMPLATE/), opened on the hosted repository.
PROPOSE_FORM = "issues/new?template=propose-a-format.yml"
EMAIL = re.compile(r"^[^@\s<>()\[\]]+@[^@\s<>()\[\]]+\.[a-z]{2,}$", re.I)
WEB = re.compile(r"^https?://[^\s<>()\[\]\"']+$")


@dataclass(frozen=True)
class SiteValues:
    """What the operator configured (empty where nothing is)."""

    operator: str = ""
    contact: str = ""
    enforcement: str = ""
    repository: str = ""
    date: str = ""
    contributing: str = ""
    propose: str = ""

    @classmethod
    def from_settings(cls, settings: SiteSettings, date: str, guide: str = "CONTRIBUTING.md") -> SiteValues:
        """The values of the site's settings (the contact defaults to the repository's issue tracker); `guide`
        is the contributors' guide for the page's language, a file at the repository's root."""
        repository = settings.repository
        return cls(operator=settings.operator, contact=settings.contact_or_issues, enforcement=settings.enforcement,
                   repository=repository, date=date,
                   contributing=f"{repository}/blob/HEAD/{guide}" if repository else "",
                   propose=f"{repository}/{PROPOSE_FORM}" if repository else "")

    def markdown(self, name: str, not_named: str) -> str:
        """The value of `name` as Markdown: addresses as links, plain text escaped, a missing one `not_named`."""
        value = getattr(self, name).strip()
        if not value:
            return not_named
        value = value.removeprefix("mailto:")
        if EMAIL.match(value):
            return f"[{value}](mailto:{value})"
        if WEB.match(value):
            return f"[{value}]({value})"
        return re.sub(r"([\\`*_{}\[\]()<>#+!|&])", r"\\\1", value)


def fill(markdown: str, values: SiteValues, not_named: str) -> str:
    """`markdown` with every placeholder replaced by its value (unknown names are left, as `check` reports)."""
    def value(match: re.Match) -> str:
        name = match["name"].strip()
        return values.markdown(name, not_named) if name in NAMES else match[0]

    return PLACEHOLDER.sub(value, markdown)


def placeholder_problems(path: Path, text: str) -> list[Problem]:
    """Placeholders that name no configured value, and template code, which pages may not contain."""
    problems = []
    uses_values = re.search(r"^site_values:\s*true\s*$", text, re.M) is not None
    for number, line in enumerate(text.splitlines(), start=1):
        tag = TEMPLATE_TAG.search(line)
        if tag:
            end = line.find("%}", tag.start())
            code = line[tag.start():end + 2 if end >= 0 else tag.start() + 20][:80]
            problems.append(Problem(path, number, "body", f"'{code}' is template code, "
                                    "which pages may not contain; write the text, and use a placeholder such as "
                                    "{{ operator }} for a configured value"))
        for match in PLACEHOLDER.finditer(line):
            if not uses_values:
                problems.append(Problem(path, number, "body", f"'{match[0]}' is a placeholder, but the page does "
                                        "not say 'site_values: true' in its front matter"))
            elif match["name"].strip() not in NAMES:
                problems.append(Problem(path, number, "body", f"'{match[0]}' names no configured value; the "
                                        f"placeholders are: {', '.join('{{ ' + n + ' }}' for n in NAMES)}"))
    return problems
