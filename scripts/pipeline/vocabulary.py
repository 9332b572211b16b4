"""The controlled vocabularies (formats/vocabularies.yml): values and their labels per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from .facts import Fact, check_facts
from .languages import FILE as LANGUAGES_FILE
from .languages import Languages, check_languages
from .load import YamlDocument, read_words
from .model import InvalidContent, Problem
from .project import PROJECT


@dataclass(frozen=True)
class Vocabulary:
    """Every vocabulary by kind (`themes`, `hazards`, …): value → {language: label}; the languages they are
    written in (formats/languages.yml) and the card facts declared on them (formats/facts.yml)."""

    kinds: dict[str, dict[str, dict[str, str]]]
    language_list: Languages
    facts: tuple[Fact, ...] = ()

    @property
    def languages(self) -> dict[str, str]:
        """code → the language's own name, in the switcher's order (the first is the default language)."""
        return self.language_list.names

    @property
    def codes(self) -> tuple[str, ...]:
        return self.language_list.codes

    @property
    def fallback(self) -> tuple[str, ...]:
        return self.language_list.fallback

    def fact(self, key: str) -> Fact:
        return next(fact for fact in self.facts if fact.key == key)

    def values(self, kind: str) -> list[str]:
        return list(self.kinds[kind])

    def label(self, kind: str, value: str, lang: str) -> str:
        return self.kinds[kind][value][lang]

    def labels(self, kind: str, lang: str) -> dict[str, str]:
        return {value: labels[lang] for value, labels in self.kinds[kind].items()}

    def section_headings(self, lang: str) -> dict[str, str]:
        """Section key → the exact level-2 heading a card text uses in `lang`."""
        return self.labels("sections", lang)


# The kinds every card and page needs besides the facts' own (formats/facts.yml); a file may add others.
REQUIRED_KINDS = ("themes", "statuses", "sections", "language_names")
# CLDR's plural categories: an interface text that depends on a number gives a form for each its language uses.
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def plural(forms: str | dict[str, str], count: int, lang: str) -> str:
    """The form of `forms` for `count` in `lang` (CLDR plural rules, from Babel): Romanian "20 de pagini"."""
    if isinstance(forms, str):
        return forms
    category = Locale.parse(lang).plural_form(count)
    return forms.get(category, forms["other"])


def _labels_problems(path: Path, document: YamlDocument, where: tuple, labels, what: str,
                     languages: tuple[str, ...], plurals: bool = False) -> list[Problem]:
    """`labels` must map every language of the site to non-empty text (or, with `plurals`, to plural forms:
    a mapping of CLDR categories that has at least `other`)."""
    line = document.line_of(where)
    name = ".".join(map(str, where))
    if not isinstance(labels, dict):
        return [Problem(path, line, name, f"must give the {what} in each language ({', '.join(languages)})")]
    problems = []
    for lang in languages:
        value = labels.get(lang)
        if plurals and isinstance(value, dict):
            unknown = set(value) - set(PLURAL_CATEGORIES)
            if "other" not in value or unknown or not all(isinstance(v, str) and v.strip() for v in value.values()):
                problems.append(Problem(path, document.line_of((*where, lang)) or line, f"{name}.{lang}",
                                        f"plural forms need 'other' and may use only: {', '.join(PLURAL_CATEGORIES)}"))
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(path, document.line_of((*where, lang)) or line, f"{name}.{lang}",
                                    f"the {what} in {lang} is missing or not text"))
    return problems


def check_vocabulary(path: Path = PROJECT.vocabulary_file) -> tuple[Vocabulary | None, list[Problem]]:
    """The vocabularies with the facts declared on them (facts.yml, in the same folder), or every problem that
    keeps them from being used (each with its line)."""
    language_list, problems = check_languages(path.parent / LANGUAGES_FILE)
    document, read_problems = read_words(path)
    problems += read_problems
    if document is None or language_list is None:
        return None, problems
    data = dict(document.data)
    languages = language_list.codes
    facts, fact_problems = check_facts(path.parent / "facts.yml", tuple(data))
    problems += fact_problems
    for kind in REQUIRED_KINDS:
        if kind not in data:
            problems.append(Problem(path, None, kind, "missing: this vocabulary is needed by the cards"))
    for kind, values in data.items():
        if not isinstance(values, dict) or not values:
            problems.append(Problem(path, document.line_of((kind,)), str(kind), "must list values with their labels"))
            continue
        for value, labels in values.items():
            problems += _labels_problems(path, document, (kind, value), labels, "label", languages)
    problems += [Problem(path, document.line_of(("language_names",)), f"language_names.{code}",
                         "missing: the language's name in every language") for code in languages
                 if isinstance(data.get("language_names"), dict) and code not in data["language_names"]]
    if problems:
        return None, problems
    return Vocabulary(kinds=data, language_list=language_list, facts=facts), []


# The interface words the pipeline itself reads (the templates' words are checked where they are used).
REQUIRED_WORDS = ("site_name", "site_description", "publisher_default", "pages", "not_yet_named")


def check_interface(path: Path) -> tuple[dict[str, dict[str, str]] | None, list[Problem]]:
    """The interface words (interface.yml): every key with text in every language."""
    language_list, problems = check_languages(path.parent / LANGUAGES_FILE)
    document, read_problems = read_words(path)
    problems += read_problems
    if document is None or language_list is None:
        return None, problems
    for key in REQUIRED_WORDS:
        if key not in document.data:
            problems.append(Problem(path, None, key, "missing: this interface text is needed by the site and PDFs"))
    for key, labels in document.data.items():
        problems += _labels_problems(path, document, (key,), labels, "text", language_list.codes, plurals=True)
    return (None, problems) if problems else (document.data, [])


def load_vocabulary(path: Path = PROJECT.vocabulary_file) -> Vocabulary:
    """The vocabularies; raises InvalidContent naming each problem."""
    vocabulary, problems = check_vocabulary(path)
    if problems:
        raise InvalidContent(problems)
    return vocabulary


def load_interface(path: Path = PROJECT.interface_file) -> dict[str, dict[str, str]]:
    """The interface words by key and language; raises InvalidContent naming each problem."""
    words, problems = check_interface(path)
    if problems:
        raise InvalidContent(problems)
    return words
