"""A content-addressed cache of laid-out PDFs (in an ignored folder, `.cache/pdf/` of the project).

A document's key is a hash of everything that decides its PDF: its HTML, every file of the print templates
(CSS, fonts), every picture in the folders its pictures may come from (the only files of those folders the
layout can read: pdf.ConfinedFetcher), the code that lays it out and checks it, and the versions of WeasyPrint,
pydyf, Pillow and fontTools. A card's texts lie in the same folder as its pictures but are not part of the
key: they reach the PDF only through the HTML. An unchanged document is taken from the cache; a changed one gets a
new key.

Each entry carries a keyed hash (HMAC-SHA-256) of its bytes, with the machine's key (cache_files, kept
outside the project): an entry that does not match — a torn write, a disk error, a hand
edit, or a cache folder committed to the repository by a pull request, whose PDFs would otherwise be
published without ever passing the layout's guards — is deleted and laid out again, never published.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .cache_files import code_fingerprint, machine_key, sign, signed, write_atomically
from .images import FORMATS, image_format

CACHE_FORMAT = "1"
# How many entries are kept: the documents of the last few builds (the least recently used go first).
KEEP_PER_DOCUMENT = 3
# The kept page numbers of a booklet (PdfCache.page_numbers): the toolbox's anchor names, and their size.
ANCHOR = re.compile(r"|[A-Za-z][A-Za-z0-9_-]{0,200}")
MAX_PAGE_NUMBERS_BYTES = 4_000_000


class _Job(Protocol):
    html: str
    base_dir: Path
    picture_folders: tuple[Path, ...]


@dataclass(frozen=True)
class CachedPdf:
    data: bytes
    pages: int


# The modules whose change changes a PDF or what is refused (the layout, its checks, the pictures), and the
# libraries that lay it out.
CODE = ("pdf.py", "pdf_join.py", "pdf_cache.py", "images.py", "content_rules.py")
PACKAGES = ("weasyprint", "pydyf", "pillow", "fonttools", "pikepdf")


class PdfCache:
    def __init__(self, folder: Path, key: bytes | None = None):
        self.folder = folder
        self._key = key if key is not None else machine_key()
        self._code = code_fingerprint(CODE, PACKAGES)
        self._files: dict[tuple, str] = {}
        self.used: set[str] = set()
        self.discarded: list[str] = []

    def _file_hash(self, path: Path) -> str:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in self._files:
            self._files[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._files[key]

    def _is_picture(self, path: Path) -> bool:
        stat = path.stat()
        key = ("picture", str(path), stat.st_mtime_ns, stat.st_size)
        if key not in self._files:
            self._files[key] = "yes" if image_format(path) in FORMATS else ""
        return bool(self._files[key])

    def _folder_hash(self, folder: Path, pictures_only: bool) -> str:
        digest = hashlib.sha256()
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                if not pictures_only or self._is_picture(path):
                    digest.update(f"{path.relative_to(folder)}\0{self._file_hash(path)}\0".encode())
        return digest.hexdigest()

    def key(self, job: _Job) -> str:
        digest = hashlib.sha256(f"{CACHE_FORMAT}\0{self._code}\0".encode())
        digest.update(f"{self._folder_hash(job.base_dir, pictures_only=False)}\0".encode())
        for folder in job.picture_folders:
            digest.update(f"{folder}\0{self._folder_hash(folder, pictures_only=True)}\0".encode())
        digest.update(job.html.encode())
        return digest.hexdigest()

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.pdf", self.folder / f"{key}.json"

    def get(self, key: str) -> CachedPdf | None:
        pdf, meta = self._paths(key)
        if not pdf.is_file() or not meta.is_file():
            return None
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            data = pdf.read_bytes()
            pages = int(info["pages"])
            good = signed(self._key, f"{pages}\0".encode() + data, str(info["hmac"])) \
                and data.startswith(b"%PDF-") and pages > 0
        except (OSError, ValueError, KeyError, TypeError):
            good = False
        if not good:
            self.discarded.append(key)
            for path in (pdf, meta):
                path.unlink(missing_ok=True)
            return None
        os.utime(meta)  # recently used
        self.used.add(key)
        return CachedPdf(data, pages)

    def put(self, key: str, data: bytes, pages: int) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        pdf, meta = self._paths(key)
        write_atomically(pdf, data)
        write_atomically(meta, json.dumps({"pages": pages, "hmac": sign(self._key, f"{pages}\0".encode() + data)})
                         .encode())
        self.used.add(key)

    def page_numbers(self, document: str) -> dict[str, int]:
        """The page of each anchor in `document`'s last layout (pipeline.pdf.render_booklet), or nothing. Not
        signed: every number is checked against the new layout before a PDF is kept."""
        path = self.folder / f"{document}.pages"
        try:
            if path.stat().st_size > MAX_PAGE_NUMBERS_BYTES:
                return {}
            pages = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(pages, dict):
            return {}
        # Only names the toolbox gives its anchors (they become empty anchors of a booklet's part) and the page
        # count under "": a file committed by a pull request can cost time, nothing else.
        return {anchor: page for anchor, page in pages.items()
                if isinstance(anchor, str) and ANCHOR.fullmatch(anchor) and type(page) is int and 0 < page < 100_000}

    def keep_page_numbers(self, document: str, pages: dict[str, int]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.folder / f"{document}.pages", json.dumps(pages, sort_keys=True).encode())

    def prune(self, documents: int) -> None:
        """Keep the entries of about the last KEEP_PER_DOCUMENT builds of `documents` documents."""
        if not self.folder.is_dir():
            return
        metas = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for meta in metas[max(documents * KEEP_PER_DOCUMENT, len(self.used)):]:
            if meta.stem not in self.used:
                meta.unlink(missing_ok=True)
                meta.with_suffix(".pdf").unlink(missing_ok=True)
        for stray in self.folder.glob("tmp*"):
            stray.unlink(missing_ok=True)
