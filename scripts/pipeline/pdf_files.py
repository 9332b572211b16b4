"""The PDF files the toolbox publishes: their paths, their sizes as a language writes them, a finished PDF.

Kept apart from the layout (pipeline.pdf), which imports WeasyPrint: a build without PDFs does not load it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.numbers import format_decimal

if TYPE_CHECKING:
    from .print_edition import PrintEdition


class LayoutError(Exception):
    """A document could not be laid out completely; the message names it and says why."""


@dataclass(frozen=True)
class RenderedPdf:
    name: str
    data: bytes
    pages: int
    seconds: float


def booklet_path(lang: str) -> str:
    return f"downloads/toolbox-{lang}.pdf"


def card_pdf_path(lang: str, slug: str) -> str:
    return f"downloads/{lang}/{slug}.pdf"


def document_name(edition: PrintEdition, lang: str, slug: str | None) -> str:
    """How messages name a document: "booklet de", or the card's folder, language and identifier."""
    if slug is None:
        return f"booklet {lang}"
    folder = next(card.folder.name for card in edition.cards if card.slug == slug)
    return f"{folder}/{lang}: card {slug}"


def path_language(path: str) -> str:
    """The language of a PDF by its path: downloads/toolbox-<lang>.pdf or downloads/<lang>/<slug>.pdf."""
    name = path.removeprefix("downloads/")
    return name.split("/", 1)[0] if "/" in name else name.removeprefix("toolbox-").removesuffix(".pdf")


def human_size(size: int, lang: str) -> str:
    """1234567 → '1,2 MB' (de, ro) or '1.2 MB' (en): the number as the language writes it (Babel)."""
    value, unit = (size / 1_000_000, "MB") if size >= 1_000_000 else (size / 1000, "kB")
    number = format_decimal(value, format="0.0" if value < 10 else "0", locale=lang)
    return f"{number} {unit}"
