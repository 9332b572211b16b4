"""The toolbox's languages (formats/languages.yml), declared once: their codes and names in the order of the
language switcher (the first is the default language, at the site's root) and the order in which a missing
text falls back to another language."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .load import read_words
from .model import InvalidContent, Problem

FILE = "languages.yml"
# ISO 639-1, optionally with a region (pt-BR): what Babel, Pagefind, hyphenation and the engine accept.
CODE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")


@dataclass(frozen=True)
class Languages:
    names: dict[str, str]  # code → the language's name in itself, in the switcher's order
    fallback: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.names)

    @property
    def default(self) -> str:
        return self.codes[0]

    def prefix(self, lang: str) -> str:
        """Where a language's pages are in the site: the default language at the root, the others in <code>/."""
        return "" if lang == self.default else f"{lang}/"


def check_languages(path: Path) -> tuple[Languages | None, list[Problem]]:
    document, problems = read_words(path)
    if document is None:
        return None, problems
    names = document.data.get("languages")
    if not isinstance(names, dict) or not names:
        return None, problems + [Problem(path, document.line_of(("languages",)), "languages",
                                         "must list the languages: code: name in the language itself")]
    for code, name in names.items():
        if not isinstance(code, str) or not CODE.match(code):
            problems.append(Problem(path, document.line_of(("languages", code)), f"languages.{code}",
                                    "a language code is two lowercase letters (ISO 639-1), like fr or pl"))
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(path, document.line_of(("languages", code)), f"languages.{code}",
                                    "give the language's name in the language itself, like Français"))
    fallback = document.data.get("fallback", list(names))
    if not isinstance(fallback, list) or any(code not in names for code in fallback):
        problems.append(Problem(path, document.line_of(("fallback",)), "fallback",
                                f"must list languages of this file ({', '.join(map(str, names))})"))
    unknown = set(document.data) - {"languages", "fallback"}
    problems += [Problem(path, document.line_of((key,)), str(key), "unknown setting; use: languages, fallback")
                 for key in unknown]
    if problems:
        return None, problems
    return Languages(dict(names), tuple(fallback)), []


@functools.lru_cache(maxsize=16)
def _languages(path: Path, mtime: int | None, size: int | None) -> Languages:
    languages, problems = check_languages(path)
    if problems:
        raise InvalidContent(problems)
    return languages


def languages_in(formats_dir: Path) -> Languages:
    """The languages declared in `formats_dir` (read again when the file changes); raises InvalidContent naming
    each problem of the file."""
    path = formats_dir / FILE
    try:
        stat = path.stat()
        return _languages(path, stat.st_mtime_ns, stat.st_size)
    except OSError:
        return _languages(path, None, None)
