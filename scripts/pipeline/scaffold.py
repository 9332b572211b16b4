"""`toolbox.py new`: a new card folder that `check` accepts as a draft."""

from __future__ import annotations

import re
from pathlib import Path

from .project import LANGUAGES
from .schema import SLUG_PATTERN
from .vocabulary import Vocabulary

PLACEHOLDER_TEXT = "TODO"


def _options(vocabulary: Vocabulary, kind: str) -> str:
    return ", ".join(vocabulary.values(kind))


def card_yml(slug: str, theme: str, lang: str, vocabulary: Vocabulary) -> str:
    v = lambda kind: _options(vocabulary, kind)  # noqa: E731
    return f"""# yaml-language-server: $schema=../card.schema.json
# The facts of this format that do not depend on language. Leave a fact out rather than guess it.
slug: {slug}
status: draft            # {v("statuses")}: only published cards appear on the site
source_language: {lang}     # the language the text is first written in
theme: {theme}           # {v("themes")}
hazards: []              # {v("hazards")}
target_groups: [residents]   # {v("target_groups")}
settings: [on-site]      # {v("settings")}
# group_size: small      # {v("group_sizes")}
# duration:
#   preparation: weeks   # {v("preparation_times")}
#   event: hours         # {v("event_durations")}
# effort: medium         # {v("levels")}
# cost: low              # {v("levels")}
phases: []               # {v("phases")}
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
    if lang not in LANGUAGES:
        raise ScaffoldError(f"'{lang}' is not a language of the site; use one of: {', '.join(LANGUAGES)}")
    folder = formats_dir / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} exists already: choose another slug")
    folder.mkdir(parents=True)
    (folder / "card.yml").write_text(card_yml(slug, theme, lang, vocabulary), encoding="utf-8")
    for language in LANGUAGES:
        (folder / f"{language}.md").write_text(card_text(language, vocabulary), encoding="utf-8")
    return folder
