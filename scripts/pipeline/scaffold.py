"""`toolbox.py new`: a new card folder that `check` accepts as a draft."""

from __future__ import annotations

import re
from pathlib import Path

from .schema import SLUG_PATTERN
from .vocabulary import Vocabulary

PLACEHOLDER_TEXT = "TODO"


def _options(vocabulary: Vocabulary, kind: str) -> str:
    return ", ".join(vocabulary.values(kind))


def _fact_lines(vocabulary: Vocabulary, given: dict[str, str]) -> list[str]:
    """A line per declared fact, with its allowed values: a required fact filled in with its example (or the
    value given), a list fact the card may leave empty as [], an optional single fact commented out."""
    lines: list[str] = []
    parents: set[str] = set()
    # a parent of nested facts is written plainly if any of its facts is, else commented out with them
    plain = {fact.path[0] for fact in vocabulary.facts if len(fact.path) > 1 and (fact.required or fact.many)}
    for fact in vocabulary.facts:
        *parent, name = fact.path
        indent = "  " * len(parent)
        example = given.get(fact.key) or fact.example or vocabulary.values(fact.vocabulary)[0]
        if fact.required:
            value, comment = (f"[{example}]" if fact.many else example), ""
        elif fact.many:
            value, comment = "[]", ""
        else:
            value, comment = example, "# "
        if parent and parent[0] not in parents:
            parents.add(parent[0])
            lines.append(f"{'' if parent[0] in plain else '# '}{parent[0]}:")
        line = f"{comment}{indent}{name}: {value}"
        lines.append(f"{line:<24} # {_options(vocabulary, fact.vocabulary)}")
    return lines


def card_yml(slug: str, theme: str, lang: str, vocabulary: Vocabulary) -> str:
    facts = "\n".join(_fact_lines(vocabulary, {"theme": theme}))
    return f"""# yaml-language-server: $schema=../card.schema.json
# The facts of this format that do not depend on language. Leave a fact out rather than guess it.
slug: {slug}
status: draft            # {_options(vocabulary, "statuses")}: only published cards appear on the site
source_language: {lang}     # the language the text is first written in
{facts}
related: []              # slugs of related formats
examples: []             # - place: Dortmund-Jungferntal
                         #   year: 2020
                         #   source: an-id-from-sources
sources: []              # - id: short-id
                         #   title: Title of the document or web page
                         #   url: https://…  (if it has one)
"""


def card_text(lang: str, vocabulary: Vocabulary) -> str:
    headings = vocabulary.section_headings(lang).values()
    sections = "\n".join(f"## {heading}\n\n{PLACEHOLDER_TEXT}\n" for heading in headings)
    return f"---\ntitle: {PLACEHOLDER_TEXT}\nsummary: {PLACEHOLDER_TEXT}\nrevision: 1\n---\n\n{sections}"


class ScaffoldError(Exception):
    pass


def create_card(formats_dir: Path, slug: str, theme: str, lang: str, vocabulary: Vocabulary) -> Path:
    """Create formats/<slug>/ with card.yml and one text per language; refuse a bad or existing slug."""
    if not re.match(SLUG_PATTERN, slug):
        raise ScaffoldError(f"'{slug}' is not a valid slug: use lowercase English words joined by hyphens, "
                            "like 'heat-walk'")
    if theme not in vocabulary.values("themes"):
        raise ScaffoldError(f"'{theme}' is not a theme; use one of: {_options(vocabulary, 'themes')}")
    if lang not in vocabulary.codes:
        raise ScaffoldError(f"'{lang}' is not a language of the site; use one of: {', '.join(vocabulary.codes)}")
    folder = formats_dir / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} exists already: choose another slug")
    folder.mkdir(parents=True)
    (folder / "card.yml").write_text(card_yml(slug, theme, lang, vocabulary), encoding="utf-8")
    for language in vocabulary.codes:
        (folder / f"{language}.md").write_text(card_text(language, vocabulary), encoding="utf-8")
    return folder
