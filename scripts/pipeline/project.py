"""Where things are in a toolbox project, and its languages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .languages import Languages, languages_in

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Project:
    """The folders and files of a toolbox project (this repository, or a test fixture)."""

    root: Path

    @property
    def languages(self) -> Languages:
        """The project's languages (formats/languages.yml); raises InvalidContent if that file is broken."""
        return languages_in(self.formats_dir)

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
