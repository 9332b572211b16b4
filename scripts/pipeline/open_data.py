"""Step 3 for machines: the catalogue as open data — `formats.json` (every card, every language), its JSON
Schema, and a CSV per language for spreadsheets — from the same validated cards as the site."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from urllib.parse import urljoin

from babel.numbers import get_decimal_symbol

from .facts import Fact
from .model import Card
from .status import translation_status
from .vocabulary import Vocabulary

LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


def page_url(slug: str, prefix: str, site_url: str) -> str:
    """The card's page (in the language whose pages are under `prefix`): absolute with the site's address,
    else from the site's root."""
    path = f"{prefix}formats/{slug}/"
    return urljoin(site_url, path) if site_url else "/" + path


def _nested(facts: tuple[Fact, ...], value: Callable[[Fact], object]) -> dict:
    """{field: value} for every declared fact, nested facts (duration.event) in an object of their parent."""
    data: dict = {}
    for fact in facts:
        *parents, name = fact.path
        target = data
        for parent in parents:
            target = target.setdefault(parent, {})
        target[name] = value(fact)
    return data


def _facts_data(card: Card, facts: tuple[Fact, ...]) -> dict:
    """The card's facts: a list for a list fact, else its value or null."""
    return _nested(facts, lambda fact: list(card.values(fact.key)) if fact.many else card.value(fact.key))


def catalog_data(cards: list[Card], vocabulary: Vocabulary, site_url: str, date: str) -> dict:
    """Every published card with its facts and, per language, title, summary, page and translation state."""
    published = sorted((c for c in cards if c.published), key=lambda c: c.slug)
    states = {s.slug: s.states for s in translation_status(published, vocabulary.codes)}
    return {
        "title": "Living-lab toolbox: participation formats for climate-resilient neighbourhoods",
        "licence": LICENCE,
        "generated": date,
        "languages": list(vocabulary.codes),
        "formats": [{
            "slug": card.slug,
            **_facts_data(card, vocabulary.facts),
            "related": list(card.related),
            "examples": [{"place": e.place, "year": e.year, "source": e.source} for e in card.examples],
            "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in card.sources],
            "source_language": card.source_language,
            "texts": {lang: {
                "title": card.text_for(lang, vocabulary.fallback).title,
                "summary": card.text_for(lang, vocabulary.fallback).summary,
                "text_language": card.text_for(lang, vocabulary.fallback).lang,
                "translation": states[card.slug][lang],
                "url": page_url(card.slug, vocabulary.language_list.prefix(lang), site_url),
            } for lang in vocabulary.codes},
        } for card in published],
    }


def catalog_schema(vocabulary: Vocabulary) -> dict:
    """The JSON Schema of formats.json."""
    def choice(kind: str, nullable: bool = False) -> dict:
        values = vocabulary.values(kind) + ([None] if nullable else [])
        return {"enum": values}

    def choices(kind: str) -> dict:
        return {"type": "array", "items": choice(kind), "uniqueItems": True}

    text = {"type": "object", "additionalProperties": False,
            "required": ["title", "summary", "text_language", "translation", "url"],
            "properties": {"title": {"type": "string", "minLength": 1}, "summary": {"type": "string", "minLength": 1},
                           "text_language": {"enum": list(vocabulary.codes)},
                           "translation": {"enum": ["source", "complete", "outdated", "missing"]},
                           "url": {"type": "string", "minLength": 1}}}
    facts = _nested(vocabulary.facts, lambda fact: choices(fact.vocabulary) if fact.many
                    else choice(fact.vocabulary, nullable=not fact.required))
    for name, spec in facts.items():
        if "enum" not in spec and "type" not in spec:  # the object of nested facts
            facts[name] = {"type": "object", "additionalProperties": False, "required": list(spec),
                           "properties": spec}
    card = {"type": "object", "additionalProperties": False,
            "required": ["slug", *facts, "related", "examples", "sources", "source_language", "texts"],
            "properties": {
                "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                **facts,
                "related": {"type": "array", "items": {"type": "string"}},
                "examples": {"type": "array", "items": {"type": "object", "required": ["place", "source"]}},
                "sources": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["id", "title"],
                    "properties": {"title": {"oneOf": [{"type": "string"}, {"type": "object"}]}}}},
                "source_language": {"enum": list(vocabulary.codes)},
                "texts": {"type": "object", "required": list(vocabulary.codes), "additionalProperties": False,
                          "properties": {lang: text for lang in vocabulary.codes}},
            }}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "formats.json of the living-lab toolbox",
            "type": "object", "required": ["title", "licence", "generated", "languages", "formats"],
            "properties": {"title": {"type": "string"},
                           "licence": {"type": "object", "required": ["name", "url"],
                                       "properties": {"name": {"const": LICENCE["name"]},
                                                      "url": {"const": LICENCE["url"]}}},
                           "generated": {"type": "string", "format": "date"},
                           "languages": {"const": list(vocabulary.codes)},
                           "formats": {"type": "array", "items": card}}}


# A spreadsheet evaluates a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character is preceded by an apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_fields(vocabulary: Vocabulary) -> list[str]:
    """The CSV's columns: the card's identity and text, each declared fact (by its label), its state."""
    return ["slug", "title", "summary", "url", *(fact.label for fact in vocabulary.facts), "translation", "licence"]


def csv_delimiter(lang: str) -> str:
    """The separator a spreadsheet in `lang`'s locale expects: where numbers have a decimal comma (German,
    Romanian), Excel splits CSV at semicolons, elsewhere at commas (Babel's number symbols)."""
    return ";" if get_decimal_symbol(lang) == "," else ","


def catalog_csv(data: dict, vocabulary: Vocabulary, lang: str) -> str:
    """One language's catalogue as CSV, with labels in that language; the licence stands in every row.

    For spreadsheets: UTF-8 with a byte-order mark (without it Excel reads the file in the machine's legacy code
    page and garbles ä, ș and ț), separated as the language's spreadsheets expect (csv_delimiter)."""
    def labels(fact: Fact, item: dict) -> str:
        value = item
        for part in fact.path:
            value = value[part]
        values = [value] if isinstance(value, str) else (value or [])
        return "; ".join(vocabulary.label(fact.vocabulary, v, lang) for v in values if v)

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=csv_fields(vocabulary), delimiter=csv_delimiter(lang),
                            lineterminator="\r\n")
    writer.writeheader()
    for item in data["formats"]:
        text = item["texts"][lang]
        writer.writerow({name: spreadsheet_text(value) for name, value in {
            "slug": item["slug"], "title": text["title"], "summary": text["summary"], "url": text["url"],
            **{fact.label: labels(fact, item) for fact in vocabulary.facts},
            "translation": text["translation"], "licence": f"{LICENCE['name']} {LICENCE['url']}",
        }.items()})
    return out.getvalue()


def open_data_files(cards: list[Card], vocabulary: Vocabulary, site_url: str, date: str) -> dict[str, str]:
    """The files of site/data/, by name."""
    data = catalog_data(cards, vocabulary, site_url, date)
    files = {"formats.json": json.dumps(data, ensure_ascii=False, indent=2) + "\n",
             "formats.schema.json": json.dumps(catalog_schema(vocabulary), ensure_ascii=False, indent=2) + "\n"}
    for lang in vocabulary.codes:
        files[f"formats-{lang}.csv"] = catalog_csv(data, vocabulary, lang)
    return files
