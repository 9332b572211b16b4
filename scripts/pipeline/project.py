"""Where things are, and the languages of the toolbox."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The first language is the default one, served at the site root.
LANGUAGES = ("de", "en", "ro")
DEFAULT_LANGUAGE = LANGUAGES[0]
# When a card lacks a language, its text is shown from the first of these it has.
FALLBACK_ORDER = ("en", "de", "ro")


def language_prefix(lang: str) -> str:
    """Where a language's pages are in the site: the default language at the root, the others under <lang>/."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


@dataclass(frozen=True)
class Project:
    """The folders and files of a toolbox project (this repository, or a test fixture)."""

    root: Path

    @property
    def formats_dir(self) -> Path:
        return self.root / "formats"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def templates_dir(self) -> Path:
        return self.root / "overrides" / "toolbox"

    @property
    def print_dir(self) -> Path:
        return self.root / "overrides" / "print"

    @property
    def vocabulary_file(self) -> Path:
        return self.formats_dir / "vocabularies.yml"

    @property
    def facts_file(self) -> Path:
        return self.formats_dir / "facts.yml"

    @property
    def interface_file(self) -> Path:
        return self.formats_dir / "interface.yml"

    @property
    def terminology_file(self) -> Path:
        return self.formats_dir / "terminology.yml"

    @property
    def content_rules_file(self) -> Path:
        return self.formats_dir / "content-rules.yml"

    @property
    def schema_file(self) -> Path:
        return self.formats_dir / "card.schema.json"


PROJECT = Project(ROOT)
