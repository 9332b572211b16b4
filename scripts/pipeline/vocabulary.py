"""The controlled vocabularies (formats/vocabularies.yml): values and their labels per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .load import read_yaml
from .project import LANGUAGES, PROJECT


@dataclass(frozen=True)
class Vocabulary:
    """Every vocabulary by kind (`themes`, `hazards`, …): value → {language: label}."""

    kinds: dict[str, dict[str, dict[str, str]]]
    languages: dict[str, str]

    def values(self, kind: str) -> list[str]:
        return list(self.kinds[kind])

    def label(self, kind: str, value: str, lang: str) -> str:
        return self.kinds[kind][value][lang]

    def labels(self, kind: str, lang: str) -> dict[str, str]:
        return {value: labels[lang] for value, labels in self.kinds[kind].items()}

    def section_headings(self, lang: str) -> dict[str, str]:
        """Section key → the exact level-2 heading a card text uses in `lang`."""
        return self.labels("sections", lang)


class VocabularyError(Exception):
    pass


def load_vocabulary(path: Path = PROJECT.vocabulary_file) -> Vocabulary:
    """Read the vocabularies and make sure every value has a label in every language."""
    data = read_yaml(path)
    languages = data.pop("languages")
    if tuple(languages) != LANGUAGES:
        raise VocabularyError(f"{path}: languages: must be {', '.join(LANGUAGES)} in this order")
    for kind, values in data.items():
        for value, labels in values.items():
            missing = [lang for lang in LANGUAGES if not (labels or {}).get(lang)]
            if missing:
                raise VocabularyError(f"{path}: {kind}.{value}: no label in {', '.join(missing)}")
    return Vocabulary(kinds=data, languages=languages)
