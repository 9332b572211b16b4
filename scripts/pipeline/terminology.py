"""The termbase (formats/terminology.yml): for each concept, the term the toolbox uses in each language, the
variants it must not use, and the everyday words readers search for. `check` reports an avoided variant in
any card, chapter or interface text with the preferred term."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .languages import languages_in
from .load import read_words
from .model import Problem

# What is not prose: web addresses and the targets of Markdown links.
NOT_PROSE = re.compile(r"https?://\S+|\]\([^)\s]*\)")
# Chapters that explain the variants themselves.
EXPLAINS_VARIANTS = ("glossary",)


@dataclass(frozen=True)
class Term:
    concept: str
    lang: str
    use: str
    avoid: tuple[str, ...] = ()
    search: tuple[str, ...] = ()

    @property
    def avoided(self) -> re.Pattern:
        """The variants as written, and with a capital first letter (at the start of a sentence)."""
        variants = {form for variant in self.avoid for form in (variant, variant[:1].upper() + variant[1:])}
        words = "|".join(re.escape(variant) for variant in sorted(variants, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{words})(?!\w)")


def _strings(value) -> list[str] | None:
    """A list of non-empty texts (None: absent, an empty list), or None when it is something else."""
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return value
    return None


def check_terminology(path: Path) -> tuple[list[Term], list[Problem]]:
    """The terms of the termbase, or the problems of its file (each with its line)."""
    if not path.is_file():
        return [], []
    document, problems = read_words(path)
    if document is None:
        return [], problems
    terms = []
    codes = languages_in(path.parent).codes
    for concept, languages in document.data.items():
        if not isinstance(languages, dict) or set(languages) - set(codes):
            problems.append(Problem(path, document.line_of((concept,)), str(concept),
                                    f"must give terms by language ({', '.join(codes)})"))
            continue
        for lang, entry in languages.items():
            where = (concept, lang)
            use = entry.get("use") if isinstance(entry, dict) else None
            avoid = _strings(entry.get("avoid")) if isinstance(entry, dict) else None
            search = _strings(entry.get("search")) if isinstance(entry, dict) else None
            unknown = set(entry) - {"use", "avoid", "search"} if isinstance(entry, dict) else set()
            if not isinstance(use, str) or not use.strip() or avoid is None or search is None or unknown:
                problems.append(Problem(path, document.line_of(where), f"{concept}.{lang}",
                                        "must be {use: the term, avoid: [variants], search: [words readers type]}"))
                continue
            terms.append(Term(str(concept), lang, use, tuple(avoid), tuple(search)))
    return terms, problems


@functools.lru_cache(maxsize=32)
def _patterns(terms: tuple[Term, ...], lang: str) -> tuple[re.Pattern | None, tuple[tuple[Term, re.Pattern], ...]]:
    """The avoided variants of `lang`: one pattern for them all (most lines have none), and one per term."""
    patterns = tuple((term, term.avoided) for term in terms if term.lang == lang and term.avoid)
    return (re.compile("|".join(p.pattern for _, p in patterns)) if patterns else None), patterns


def term_problems(path: Path, lines: list[str], lang: str, terms: list[Term], first_line: int = 1) -> list[Problem]:
    """Each avoided variant in `lines` (a text in `lang`), with its line and the preferred term."""
    problems = []
    any_variant, patterns = _patterns(tuple(terms), lang)
    for number, line in enumerate(lines, start=first_line):
        prose = NOT_PROSE.sub(" ", line)
        if any_variant is None or not any_variant.search(prose):
            continue
        for term, pattern in patterns:
            if match := pattern.search(prose):
                problems.append(Problem(path, number, "terms", f"'{match[0]}': the toolbox says '{term.use}' "
                                        f"(formats/terminology.yml, {term.concept})"))
    return problems


def words_problems(path: Path, terms: list[Term]) -> list[Problem]:
    """Avoided variants in the texts of a words file (interface.yml, vocabularies.yml), by language."""
    document, problems = read_words(path)
    if document is None:
        return []
    found = []
    codes = languages_in(path.parent).codes

    def walk(value, where: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*where, key))
        elif isinstance(value, str):
            # key.lang, or key.lang.category for plural forms
            lang = next((part for part in reversed(where[-2:]) if part in codes), None)
            for problem in term_problems(path, [value], lang, terms) if lang else ():
                found.append(Problem(path, document.line_of(where), ".".join(map(str, where)), problem.message))

    walk(document.data, ())
    return found


def search_words(text: str, lang: str, terms: list[Term]) -> list[str]:
    """The words readers type for the concepts `text` (in `lang`) names with the preferred term, so that the
    search finds the page by them too. A term counts in any inflection: its last letter may differ."""
    found: list[str] = []
    folded = text.casefold()
    for term in terms:
        stem = term.use[:-1] if len(term.use) > 3 else term.use
        # The substring test is only a quick way to skip the terms a text does not contain (most of them);
        # the pattern decides.
        if term.lang == lang and term.search and stem.casefold() in folded and _stem_pattern(stem).search(text):
            found += [word for word in term.search if word not in found]
    return found


@functools.lru_cache(maxsize=1024)
def _stem_pattern(stem: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(stem)}", re.IGNORECASE)
