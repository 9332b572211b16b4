"""The facts of a card, each declared once (formats/facts.yml): its vocabulary, whether it is a list, whether
it is required, a catalogue filter or shown on the tiles, and the interface word of its name.

Everything that lists a card's facts follows from this declaration: the JSON Schema of card.yml (schema.py),
the field reference (field_reference.py), the validated card (validate.py), the catalogue's filters and tiles
and the facts boxes (render.py and the templates), the open data (open_data.py) and the scaffold (scaffold.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .load import read_words
from .model import InvalidContent, Problem
from .project import PROJECT

SETTINGS = {"vocabulary": str, "list": bool, "required": bool, "facet": bool, "tile": bool, "label": str,
            "description": str, "example": str}
# Fields of card.yml that are not facts (identity, relations, evidence): declared by the schema itself.
RESERVED = ("slug", "status", "source_language", "related", "examples", "sources")
KEY_PART = "abcdefghijklmnopqrstuvwxyz_"


@dataclass(frozen=True)
class Fact:
    key: str  # its field in card.yml; dotted when nested (duration.event)
    vocabulary: str
    many: bool = False
    required: bool = False
    facet: bool = False
    tile: bool = False
    label: str = ""
    description: str = ""
    example: str | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    def read(self, data: dict) -> tuple[str, ...]:
        """The card's values of this fact (validated card.yml data): () when it gives none."""
        value = data
        for part in self.path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return ()
        return tuple(value) if isinstance(value, list) else (value,)


def _fact_problems(path: Path, document, key, spec) -> list[Problem]:
    line = document.line_of((key,))
    if not isinstance(key, str) or not all(part and set(part) <= set(KEY_PART) for part in key.split(".")):
        return [Problem(path, line, str(key), "a fact's name is lowercase letters and _ (nested: parent.child)")]
    if key.split(".")[0] in RESERVED:
        return [Problem(path, line, key, f"is a field of every card already ({', '.join(RESERVED)})")]
    if not isinstance(spec, dict):
        return [Problem(path, line, key, "must be a mapping (vocabulary: …, list: …, …)")]
    problems = [Problem(path, document.line_of((key, name)) or line, f"{key}.{name}",
                        f"unknown setting; use: {', '.join(SETTINGS)}") for name in spec if name not in SETTINGS]
    problems += [Problem(path, document.line_of((key, name)) or line, f"{key}.{name}",
                         f"must be {kind.__name__}") for name, kind in SETTINGS.items()
                 if name in spec and not isinstance(spec[name], kind)]
    if "vocabulary" not in spec:
        problems.append(Problem(path, line, f"{key}.vocabulary", "missing: the list of values in vocabularies.yml"))
    return problems


def check_facts(path: Path = PROJECT.facts_file, vocabulary_kinds: tuple[str, ...] | None = None,
                interface_keys: tuple[str, ...] | None = None) -> tuple[tuple[Fact, ...] | None, list[Problem]]:
    """The declared facts, or every problem with its line: also a vocabulary or an interface word (its name)
    that the project's files do not have, when those are given."""
    document, problems = read_words(path)
    if document is None:
        return None, problems
    facts: list[Fact] = []
    parents = {key.split(".")[0] for key in document.data if isinstance(key, str) and "." in key}
    for key, spec in document.data.items():
        found = _fact_problems(path, document, key, spec)
        if not found and key in parents:
            found = [Problem(path, document.line_of((key,)), key, "is also the parent of a nested fact")]
        vocabulary = spec.get("vocabulary") if isinstance(spec, dict) else None
        if vocabulary_kinds is not None and isinstance(vocabulary, str) and vocabulary not in vocabulary_kinds:
            found.append(Problem(path, document.line_of((key, "vocabulary")), f"{key}.vocabulary",
                                 f"vocabularies.yml has no list '{vocabulary}'"))
        problems += found
        if found:
            continue
        fact = Fact(key=key, vocabulary=spec["vocabulary"], many=spec.get("list", False),
                    required=spec.get("required", False), facet=spec.get("facet", False),
                    tile=spec.get("tile", False), label=spec.get("label", key.split(".")[-1]),
                    description=spec.get("description", ""), example=spec.get("example"))
        if interface_keys is not None and fact.label not in interface_keys:
            problems.append(Problem(path, document.line_of((key, "label")) or document.line_of((key,)),
                                    f"{key}.label", f"interface.yml has no word '{fact.label}' (the fact's name "
                                    "in every language)"))
        facts.append(fact)
    if "theme" not in document.data:
        problems.append(Problem(path, None, "theme", "missing: every card belongs to a theme"))
    labels = [fact.label for fact in facts]
    problems += [Problem(path, document.line_of((fact.key,)), fact.key, f"its label '{fact.label}' is used twice")
                 for fact in facts if labels.count(fact.label) > 1]
    return (None, problems) if problems else (tuple(facts), [])


def load_facts(path: Path = PROJECT.facts_file) -> tuple[Fact, ...]:
    facts, problems = check_facts(path)
    if problems:
        raise InvalidContent(problems)
    return facts

