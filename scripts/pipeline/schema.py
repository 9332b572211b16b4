"""The JSON Schema of card.yml, built from the vocabularies and the declared facts so that it cannot drift.

The built schema is also written to formats/card.schema.json for editors' IDEs (`toolbox.py schema`);
`check` fails when that file is out of date.
"""

from __future__ import annotations

import json

from .facts import Fact
from .vocabulary import Vocabulary

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# A web address: http or https, then no space, quote, angle bracket or other character that is not part of one.
URL_PATTERN = r"^https?://[^\s<>\"'`{}|\\^]+$"


def _choice(vocabulary: Vocabulary, kind: str, description: str) -> dict:
    values = vocabulary.values(kind)
    return {
        "description": description,
        "enum": values,
        # Shown next to each value by editors that support it (VS Code's YAML extension).
        "enumDescriptions": [vocabulary.label(kind, v, "en") for v in values],
    }


def _choices(vocabulary: Vocabulary, kind: str, description: str, min_items: int = 0) -> dict:
    return {
        "description": description,
        "type": "array",
        "minItems": min_items,
        "uniqueItems": True,
        "items": _choice(vocabulary, kind, description),
    }


def fact_schema(vocabulary: Vocabulary, fact: Fact) -> dict:
    if fact.many:
        return _choices(vocabulary, fact.vocabulary, fact.description, min_items=1 if fact.required else 0)
    return _choice(vocabulary, fact.vocabulary, fact.description)


def fact_properties(vocabulary: Vocabulary) -> dict:
    """The schema of every declared fact (pipeline.facts), nested facts in an object of their parent's name."""
    properties: dict = {}
    for fact in vocabulary.facts:
        *parents, name = fact.path
        target = properties
        for parent in parents:
            holder = target.setdefault(parent, {"type": "object", "additionalProperties": False, "properties": {}})
            target = holder["properties"]
        target[name] = fact_schema(vocabulary, fact)
        if fact.required and parents:
            holder.setdefault("required", []).append(name)
    return properties


def build_card_schema(vocabulary: Vocabulary) -> dict:
    """The JSON Schema (draft 2020-12) every formats/<slug>/card.yml must satisfy."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://living-lab-toolbox.example/card.schema.json",
        "title": "Participation-format card (card.yml)",
        "description": "The language-independent facts of one format. Generated from "
        "formats/vocabularies.yml and formats/facts.yml by `python scripts/toolbox.py schema`: do not edit by "
        "hand.",
        "type": "object",
        "additionalProperties": False,
        "required": ["slug", "status", "source_language",
                     *dict.fromkeys(f.path[0] for f in vocabulary.facts if f.required), "sources"],
        "properties": {
            "slug": {
                "description": "The card's identifier and URL part: lowercase English words joined by "
                "hyphens, equal to the folder name.",
                "type": "string",
                "pattern": SLUG_PATTERN,
            },
            "status": _choice(vocabulary, "statuses", "draft: checked but not published; published: on the site."),
            "source_language": {
                "description": "The language the text was first written in; translations follow its revision.",
                "enum": list(vocabulary.languages),
            },
            **fact_properties(vocabulary),
            "related": {
                "description": "Slugs of related formats.",
                "type": "array",
                "uniqueItems": True,
                "items": {"type": "string", "pattern": SLUG_PATTERN},
            },
            "examples": {
                "description": "Real examples from the living labs, each tied to one of the sources.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["place", "source"],
                    "properties": {
                        "place": {"type": "string", "minLength": 1},
                        "year": {"type": "integer", "minimum": 1990, "maximum": 2100},
                        "source": {"type": "string", "description": "The id of an entry in `sources`."},
                    },
                },
            },
            "sources": {
                "description": "Where the card's facts come from. A published card needs at least one.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "title"],
                    "properties": {
                        "id": {"type": "string", "pattern": SLUG_PATTERN},
                        "title": {
                            "description": "The source's title: as it is, or in the site's languages "
                                           "(title: {de: …, en: …, ro: …}) when it is a description.",
                            "oneOf": [
                                {"type": "string", "minLength": 1},
                                {"type": "object", "additionalProperties": False, "minProperties": 1,
                                 "properties": {lang: {"type": "string", "minLength": 1} for lang in vocabulary.codes}},
                            ],
                        },
                        "url": {"type": "string", "pattern": URL_PATTERN},
                    },
                },
            },
        },
        "if": {"properties": {"status": {"const": "published"}}},
        "then": {"properties": {"sources": {"minItems": 1}}},
    }


def schema_json(vocabulary: Vocabulary) -> str:
    """The schema as the text of formats/card.schema.json."""
    return json.dumps(build_card_schema(vocabulary), ensure_ascii=False, indent=2) + "\n"
