"""A cache of each card text's checked and rendered state (in the ignored folder `.cache/check/`), so that a
build or `check` renders and checks again only the texts that changed.

An entry is keyed by a hash of everything its result depends on: the text file's bytes, its language's section
headings, the content rules and the termbase, and the code and library versions that render and check it.
It holds the problems of the text's lines, its sections as sanitised HTML with their images, and the problems
found in that HTML. Entries are signed with the machine's key (cache_files.machine_key): an entry this machine
did not write — damaged, or committed by a pull request — is ignored and the text checked again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .cache_files import code_fingerprint, machine_key, sign, signed, write_atomically
from .load import RawText
from .markdown_html import Image, SafeHtml
from .model import Problem

CACHE_FORMAT = "1"
CODE = ("validate.py", "markdown_html.py", "safe_html.py", "content_rules.py", "terminology.py", "load.py",
        "check_cache.py")
PACKAGES = ("markdown", "pymdown-extensions", "nh3")

Result = tuple[list[Problem], dict[str, SafeHtml], list[Problem]]


class TextCache:
    def __init__(self, folder: Path, rules_fingerprint: str, key: bytes | None = None):
        self.folder = folder
        code = code_fingerprint(CODE, PACKAGES)
        self._base = hashlib.sha256(f"{CACHE_FORMAT}\0{code}\0{rules_fingerprint}\0".encode()).hexdigest()
        self._key = key if key is not None else machine_key()
        self.hits = 0

    def key(self, text: RawText, headings: dict[str, str]) -> str:
        digest = hashlib.sha256(f"{self._base}\0{text.lang}\0{json.dumps(headings, sort_keys=True)}\0".encode())
        digest.update("\n".join(text.lines).encode())
        return digest.hexdigest()

    def chapter_key(self, path: Path, text: str) -> str:
        """A chapter's entry (its problems only): the chapter's language and name, on which its rules depend,
        and its text."""
        digest = hashlib.sha256(f"{self._base}\0chapter\0{path.parent.name}/{path.name}\0".encode())
        digest.update(text.encode())
        return digest.hexdigest()

    def get(self, key: str, path: Path) -> Result | None:
        file = self.folder / f"{key}.json"
        try:
            entry = json.loads(file.read_text(encoding="utf-8"))
            body = json.dumps(entry["result"], sort_keys=True, ensure_ascii=False).encode()
            if not signed(self._key, body, str(entry["hmac"])):
                return None
            lines, sections, rendered = entry["result"]
            result = ([Problem(path, *problem) for problem in lines],
                      {k: SafeHtml(html, tuple(Image(*image) for image in images), bool(removed))
                       for k, (html, images, removed) in sections.items()},
                      [Problem(path, *problem) for problem in rendered])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: Result) -> None:
        lines, sections, rendered = result
        data = [[[p.line, p.field, p.message] for p in lines],
                {k: [s.html, [[i.src, i.alt] for i in s.images], s.removed_anything] for k, s in sections.items()},
                [[p.line, p.field, p.message] for p in rendered]]
        body = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.folder / f"{key}.json",
                         json.dumps({"hmac": sign(self._key, body), "result": data}, ensure_ascii=False).encode())
