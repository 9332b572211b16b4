"""Rules about the content every text must keep, checked by `check` in every card and chapter file: no
contact data of a person, Romanian with comma-below letters, no name of a private person from the sources,
and a length that still prints as a card."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from .load import read_yaml
from .model import Problem
from .terminology import Term, term_problems

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+|\b0)\d[\d /()-]{6,}\d")
CEDILLA = {"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"}
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
MAX_WORDS = 1500  # about three printed pages of a card


@cache  # texts repeat their words: most windows are looked up, not hashed again
def _hash(words: str) -> str:
    return hashlib.sha256(words.casefold().encode("utf-8")).hexdigest()


def private_name_hashes(rules_file: Path) -> frozenset[str]:
    """The SHA-256 of each private person's name that must not be published (formats/content-rules.yml keeps
    hashes, so that the list does not publish the names either)."""
    if not rules_file.is_file():
        return frozenset()
    data = read_yaml(rules_file) or {}
    return frozenset(str(value) for value in data.get("private_names", []) or [])


@cache
def printable_characters(font_dir: Path) -> frozenset[str]:
    """The characters every font of the print edition has a glyph for (none are known without fonts)."""
    maps = [set(TTFont(path).getBestCmap()) for path in sorted(font_dir.glob("*.ttf"))]
    return frozenset(chr(code) for code in set.intersection(*maps)) if maps else frozenset()


def line_problems(path: Path, lines: list[str], private_names: frozenset[str], first_line: int = 1,
                  printable: frozenset[str] = frozenset()) -> list[Problem]:
    """Contact data, cedilla letters, private names and characters the PDFs cannot show, each with its line."""
    problems = []
    for number, line in enumerate(lines, start=first_line):
        if printable:
            missing = sorted(c for c in set(line) - printable if not c.isspace())
            if missing:
                shown = " ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5])
                problems.append(Problem(path, number, "characters", f"{shown}: the PDFs' fonts have no glyph for "
                                        "this, so the PDF could not be made; leave it out or write it in words"))
        if email := EMAIL.search(line):
            problems.append(Problem(path, number, "privacy", f"'{email[0]}' looks like an e-mail address: publish "
                                    "no person's contact data; name the organisation and link its web page"))
        if phone := PHONE.search(line):
            problems.append(Problem(path, number, "privacy", f"'{phone[0]}' looks like a phone number: publish "
                                    "no person's contact data; name the organisation and link its web page"))
        for cedilla, comma in CEDILLA.items():
            if cedilla in line:
                problems.append(Problem(path, number, "spelling", f"'{cedilla}' has a cedilla: Romanian is "
                                        f"written with a comma below, '{comma}'"))
        if private_names:
            words = WORD.findall(line)
            pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
            triples = [f"{a} {b}" for a, b in zip(pairs, words[2:], strict=False)]
            problems += [Problem(path, number, "privacy", f"'{name}' is the name of a private person in the "
                                 "sources: publish no private person's name")
                         for name in (*words, *pairs, *triples) if _hash(name) in private_names]
    return problems


def length_problem(path: Path, markdown: str) -> Problem | None:
    words = len(markdown.split())
    if words > MAX_WORDS:
        return Problem(path, None, "length", f"the text has {words} words; a card has at most {MAX_WORDS} "
                       "(about three printed pages): shorten it, or link a longer publication as a source")
    return None


@dataclass(frozen=True)
class Rules:
    """The rules every line of a card or chapter is held to (see line_problems and the termbase)."""

    private_names: frozenset[str] = frozenset()
    printable: frozenset[str] = frozenset()
    terms: tuple[Term, ...] = ()

    def fingerprint(self) -> str:
        """What the rules are, as a hash (for the cache of checked texts)."""
        digest = hashlib.sha256("\n".join(sorted(self.private_names)).encode())
        digest.update("".join(sorted(self.printable)).encode())
        digest.update(repr(self.terms).encode())
        return digest.hexdigest()

    def lines(self, path: Path, lines: list[str], lang: str | None = None) -> list[Problem]:
        """The problems of a file's lines; with `lang`, avoided terms of that language too."""
        problems = line_problems(path, lines, self.private_names, printable=self.printable)
        return problems + (term_problems(path, lines, lang, list(self.terms)) if lang else [])


NO_RULES = Rules()
