"""Guards on the toolbox's content: complete, sourced, private data kept out, Romanian spelt right."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from pipeline.project import LANGUAGES, PROJECT
from pipeline.status import translation_status
from pipeline.validate import valid_cards

FORMATS = {
    "process": {"plenary-sessions", "thematic-working-groups", "local-action-groups"},
    "heat": {"heat-check-your-school", "heat-information-campaign", "temperature-sensors", "heat-telephone"},
    "urban-green": {"climate-resilient-backyard", "water-filling-stations", "urban-gardening"},
    "heavy-rain": {"reform-your-basement", "heavy-rain-action-day", "rainwater-storage"},
}
CHAPTERS = ("index", "living-lab", "setting-up", "transfer", "about", "glossary")
CEDILLA = re.compile("[\u015e\u015f\u0162\u0163]")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+|\b0)\d[\d /()-]{6,}\d")
# People named in the seed documents: none of them may appear in the content.
PRIVATE_NAMES = ("Bußmann", "Buzatu", "Botezan", "Elias", "Moritz Hans", "Pommerenke", "Märtin")

CARDS = {card.slug: card for card in valid_cards(PROJECT)}
CONTENT_FILES = sorted([*ROOT.glob("formats/*/*.md"), *ROOT.glob("formats/*/card.yml"), *ROOT.glob("docs/*/*.md")])


def test_all_thirteen_formats_are_published_under_their_theme():
    published = {slug: card for slug, card in CARDS.items() if card.published}
    assert {theme: {s for s, c in published.items() if c.theme == theme} for theme in FORMATS} == FORMATS


def test_every_card_is_complete_in_every_language():
    incomplete = {s.slug: s.states for s in translation_status(list(CARDS.values())) if not s.complete}
    assert incomplete == {}


@pytest.mark.parametrize("slug", sorted(CARDS))
def test_card_is_sourced_and_substantial(slug):
    card = CARDS[slug]
    assert card.sources
    assert {example.source for example in card.examples} <= {source.id for source in card.sources}
    for lang, text in card.texts.items():
        words = len(" ".join(section.markdown for section in text.sections).split())
        assert 400 <= words <= 950, f"{slug}/{lang}.md has {words} words"
        assert all(section.markdown.strip() for section in text.sections)
    assert set(card.related) <= set(CARDS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_exists_in_every_language(chapter):
    for lang in LANGUAGES:
        page = ROOT / "docs" / lang / f"{chapter}.md"
        assert page.is_file(), page
        assert re.search(r"^description: \S", page.read_text(encoding="utf-8"), re.M), f"{page}: no description"


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if c not in ("index", "glossary")])
def test_chapter_lists_its_sources(chapter):
    heading = {"de": "## Quellen", "en": "## Sources", "ro": "## Surse"}
    for lang in LANGUAGES:
        assert heading[lang] in (ROOT / "docs" / lang / f"{chapter}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_data_and_no_cedilla(path):
    text = path.read_text(encoding="utf-8")
    assert not CEDILLA.search(text), f"cedilla ş/ţ in {path}: Romanian needs comma-below ș/ț"
    assert not EMAIL.search(text), EMAIL.search(text).group(0)
    assert not PHONE.search(text), PHONE.search(text).group(0)
    for name in PRIVATE_NAMES:
        assert name not in text, f"{name} in {path}"


def test_private_data_patterns_would_be_caught():
    # The guards above must be able to fail: they recognise what is in the seeds.
    assert EMAIL.search("E-Mail: pressestelle@stadtdo.de")
    assert PHONE.search("Telefon: +49 (0)231/50-2 21 34") and PHONE.search("0231 50 27299")
    assert CEDILLA.search("căldură şi ţară")
