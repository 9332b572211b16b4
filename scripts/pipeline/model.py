"""The validated objects every output is rendered from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a source file, written for the person who made it."""

    path: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.field}: {self.message}"


class InvalidContent(Exception):
    """Raised when cards or chapters do not pass the checks; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Source:
    id: str
    title: str | dict[str, str]  # as it is, or by language when it is a description
    url: str | None = None

    def title_for(self, lang: str, fallback_order: tuple[str, ...] = ()) -> tuple[str, str | None]:
        """The title for a page in `lang`, and the language it is in (None: a title as it is)."""
        if isinstance(self.title, str):
            return self.title, None
        for candidate in (lang, *fallback_order, *self.title):
            if candidate in self.title:
                return self.title[candidate], candidate
        raise LookupError(self.id)


@dataclass(frozen=True)
class Example:
    place: str
    source: str
    year: int | None = None


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    markdown: str
    html: str = ""  # the markdown rendered and sanitised (pipeline.markdown_html)
    images: tuple = ()  # the images it shows (pipeline.markdown_html.Image)


@dataclass(frozen=True)
class CardText:
    """One language's text of a card."""

    lang: str
    path: Path
    title: str
    summary: str
    revision: int
    sections: tuple[Section, ...]

    @property
    def body(self) -> str:
        return "\n\n".join(f"## {s.heading}\n\n{s.markdown}" for s in self.sections)


@dataclass(frozen=True)
class Chapter:
    """A hand-written chapter of one language (docs/<lang>/<name>.md)."""

    name: str
    lang: str
    title: str
    description: str
    markdown: str  # the body, without its title


@dataclass(frozen=True)
class Card:
    """A participation format: its language-independent facts and its texts."""

    slug: str
    folder: Path
    status: str
    source_language: str
    theme: str
    # every declared fact (pipeline.facts, formats/facts.yml) by its field: its values, () when not given
    facts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    sources: tuple[Source, ...] = ()
    texts: dict[str, CardText] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return self.status == "published"

    def values(self, fact: str) -> tuple[str, ...]:
        """The card's values of a fact (`hazards`, `duration.event`): () when it gives none."""
        return self.facts.get(fact, ())

    def value(self, fact: str) -> str | None:
        """The card's one value of a single-valued fact, or None."""
        values = self.facts.get(fact, ())
        return values[0] if values else None

    def text_for(self, lang: str, fallback_order: tuple[str, ...]) -> CardText:
        """The text in `lang`, or the first available one: the source language, then `fallback_order`."""
        if lang in self.texts:
            return self.texts[lang]
        for candidate in (self.source_language, *fallback_order):
            if candidate in self.texts:
                return self.texts[candidate]
        raise LookupError(f"card {self.slug} has no text at all")
