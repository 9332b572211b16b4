"""Translation status: which card text is complete, missing or out of date in which language.

A card's `source_language` text carries a `revision` number; an editor raises it when the meaning of the
text changes. A translation is out of date while its own `revision` is lower than the source's; the
translator brings it up to date and sets the same number.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Card

SOURCE, COMPLETE, MISSING, OUTDATED = "source", "complete", "missing", "outdated"


def text_state(card: Card, lang: str) -> str:
    """The state of one language's text of a card."""
    if lang not in card.texts:
        return MISSING
    if lang == card.source_language:
        return SOURCE
    if card.texts[lang].revision < card.texts[card.source_language].revision:
        return OUTDATED
    return COMPLETE


@dataclass(frozen=True)
class CardStatus:
    slug: str
    status: str
    states: dict[str, str]

    @property
    def complete(self) -> bool:
        return all(state in (SOURCE, COMPLETE) for state in self.states.values())


def translation_status(cards: list[Card], languages: tuple[str, ...]) -> list[CardStatus]:
    return [CardStatus(card.slug, card.status, {lang: text_state(card, lang) for lang in languages})
            for card in sorted(cards, key=lambda c: c.slug)]


def status_table(statuses: list[CardStatus], languages: tuple[str, ...]) -> str:
    """A plain-text table, one row per card, one column per language."""
    header = ["card", "status", *languages]
    rows = [[s.slug, s.status, *(s.states[lang] for lang in languages)] for s in statuses]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])
