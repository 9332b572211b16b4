"""Step 3 for machines: the catalogue as open data — `formats.json` (every card, every language), its JSON
Schema, and a CSV per language for spreadsheets — from the same validated cards as the site."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urljoin

from .model import Card
from .project import LANGUAGES, language_prefix
from .status import translation_status
from .vocabulary import Vocabulary

LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


def page_url(slug: str, lang: str, site_url: str) -> str:
    """The card's page: absolute with the site's address, else from the site's root."""
    path = f"{language_prefix(lang)}formats/{slug}/"
    return urljoin(site_url, path) if site_url else "/" + path


def catalog_data(cards: list[Card], vocabulary: Vocabulary, site_url: str, date: str) -> dict:
    """Every published card with its facts and, per language, title, summary, page and translation state."""
    published = sorted((c for c in cards if c.published), key=lambda c: c.slug)
    states = {s.slug: s.states for s in translation_status(published)}
    return {
        "title": "Living-lab toolbox: participation formats for climate-resilient neighbourhoods",
        "licence": LICENCE,
        "generated": date,
        "languages": list(LANGUAGES),
        "formats": [{
            "slug": card.slug,
            "theme": card.theme,
            "hazards": list(card.hazards),
            "target_groups": list(card.target_groups),
            "settings": list(card.settings),
            "group_size": card.group_size,
            "duration": {"preparation": card.duration.preparation, "event": card.duration.event},
            "effort": card.effort,
            "cost": card.cost,
            "phases": list(card.phases),
            "related": list(card.related),
            "examples": [{"place": e.place, "year": e.year, "source": e.source} for e in card.examples],
            "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in card.sources],
            "source_language": card.source_language,
            "texts": {lang: {
                "title": card.text_for(lang, ("en", "de", "ro")).title,
                "summary": card.text_for(lang, ("en", "de", "ro")).summary,
                "text_language": card.text_for(lang, ("en", "de", "ro")).lang,
                "translation": states[card.slug][lang],
                "url": page_url(card.slug, lang, site_url),
            } for lang in LANGUAGES},
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
                           "text_language": {"enum": list(LANGUAGES)},
                           "translation": {"enum": ["source", "complete", "outdated", "missing"]},
                           "url": {"type": "string", "minLength": 1}}}
    card = {"type": "object", "additionalProperties": False,
            "required": ["slug", "theme", "hazards", "target_groups", "settings", "group_size", "duration", "effort",
                         "cost", "phases", "related", "examples", "sources", "source_language", "texts"],
            "properties": {
                "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                "theme": choice("themes"), "hazards": choices("hazards"), "target_groups": choices("target_groups"),
                "settings": choices("settings"), "group_size": choice("group_sizes", nullable=True),
                "duration": {"type": "object", "additionalProperties": False,
                             "properties": {"preparation": choice("preparation_times", nullable=True),
                                            "event": choice("event_durations", nullable=True)}},
                "effort": choice("levels", nullable=True), "cost": choice("levels", nullable=True),
                "phases": choices("phases"), "related": {"type": "array", "items": {"type": "string"}},
                "examples": {"type": "array", "items": {"type": "object", "required": ["place", "source"]}},
                "sources": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["id", "title"],
                    "properties": {"title": {"oneOf": [{"type": "string"}, {"type": "object"}]}}}},
                "source_language": {"enum": list(LANGUAGES)},
                "texts": {"type": "object", "required": list(LANGUAGES), "additionalProperties": False,
                          "properties": {lang: text for lang in LANGUAGES}},
            }}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "formats.json of the living-lab toolbox",
            "type": "object", "required": ["title", "licence", "generated", "languages", "formats"],
            "properties": {"title": {"type": "string"},
                           "licence": {"type": "object", "required": ["name", "url"],
                                       "properties": {"name": {"const": LICENCE["name"]},
                                                      "url": {"const": LICENCE["url"]}}},
                           "generated": {"type": "string", "format": "date"},
                           "languages": {"const": list(LANGUAGES)},
                           "formats": {"type": "array", "items": card}}}


# A spreadsheet evaluates a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character is preceded by an apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


CSV_FIELDS = ["slug", "title", "summary", "url", "theme", "hazards", "target_groups", "settings", "group_size",
              "preparation", "duration", "effort", "cost", "phases", "translation", "licence"]


def catalog_csv(data: dict, vocabulary: Vocabulary, lang: str) -> str:
    """One language's catalogue as CSV, with labels in that language; the licence stands in every row."""
    def labels(kind: str, values) -> str:
        values = [values] if isinstance(values, str) else (values or [])
        return "; ".join(vocabulary.label(kind, v, lang) for v in values if v)

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for item in data["formats"]:
        text = item["texts"][lang]
        writer.writerow({name: spreadsheet_text(value) for name, value in {
            "slug": item["slug"], "title": text["title"], "summary": text["summary"], "url": text["url"],
            "theme": labels("themes", item["theme"]), "hazards": labels("hazards", item["hazards"]),
            "target_groups": labels("target_groups", item["target_groups"]),
            "settings": labels("settings", item["settings"]), "group_size": labels("group_sizes", item["group_size"]),
            "preparation": labels("preparation_times", item["duration"]["preparation"]),
            "duration": labels("event_durations", item["duration"]["event"]),
            "effort": labels("levels", item["effort"]),
            "cost": labels("levels", item["cost"]), "phases": labels("phases", item["phases"]),
            "translation": text["translation"], "licence": f"{LICENCE['name']} {LICENCE['url']}",
        }.items()})
    return out.getvalue()


def open_data_files(cards: list[Card], vocabulary: Vocabulary, site_url: str, date: str) -> dict[str, str]:
    """The files of site/data/, by name."""
    data = catalog_data(cards, vocabulary, site_url, date)
    files = {"formats.json": json.dumps(data, ensure_ascii=False, indent=2) + "\n",
             "formats.schema.json": json.dumps(catalog_schema(vocabulary), ensure_ascii=False, indent=2) + "\n"}
    for lang in LANGUAGES:
        files[f"formats-{lang}.csv"] = catalog_csv(data, vocabulary, lang)
    return files
