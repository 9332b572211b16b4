"""A Pagefind search index per language, made while the engine writes the pages.

Each page is handed to Pagefind as the engine writes it: one `pagefind --service` process (the binary of the
`pagefind[bin]` package) indexes it on the machine's other core while the engine goes on, and writes a
language's bundle into `<language root>pagefind/` (`pagefind/`, `en/pagefind/`, `ro/pagefind/`) when that
language is done. The build waits for the last bundle at its end only. (Indexing the written folders once a
language was done, as the `pagefind` command does, left the last language's whole index to wait for: 1.2–1.9 s
at 500 cards.) Pagefind folds diacritics and stems German, English and Romanian words; each page's search box
(assets/search.js) loads the index of its own language only.

The service speaks base64-encoded JSON messages, each ended by a comma, on its standard input and output
(the protocol of Pagefind's Python and Node APIs; the message shapes are those of `pagefind.service.types`).
The Python API itself is asynchronous and polls for each answer after a tenth of a second, which would hold
the build for a minute at 1,600 pages; here one thread writes the messages and another reads the answers, so
that the engine never waits for Pagefind until the end. Only the part of a page that Pagefind indexes is sent
(`searched_part`).
"""

from __future__ import annotations

import base64
import json
import posixpath
import queue
import re
import subprocess
import threading
from dataclasses import dataclass, field

from pagefind.service import get_executable
from pagefind.service.types import (
    InternalAddFileRequest,
    InternalNewIndexRequest,
    InternalRequestPayload,
    InternalWriteFilesRequest,
)

# Where the indexed part of a page begins and ends, as overrides/main.html writes it.
BODY_START = "<div data-pagefind-body>"
BODY_END = "<!-- end of data-pagefind-body -->"
HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
TITLE = re.compile(r"<title>.*?</title>", re.IGNORECASE | re.DOTALL)
# Headings' permalink signs (¶) are not words of the page.
EXCLUDE_SELECTORS = (".headerlink",)
# How long the build waits for one answer of Pagefind's before it gives up (it takes well under a second).
ANSWER_TIMEOUT = 300


class SearchIndexError(Exception):
    pass


def page_url(dest_uri: str) -> str:
    """The address Pagefind gives a result, from the site's root: `en/formats/x/index.html` → `/en/formats/x/`
    (as the `pagefind` command makes it from the file's path)."""
    folder, name = posixpath.split(dest_uri)
    return "/" + (f"{folder}/" if folder else "") if name == "index.html" else "/" + dest_uri


def searched_part(html: str) -> str:
    """What Pagefind reads of a page: its <html> tag (the language), its <title> (a result's title when the
    page has no <h1>) and the `data-pagefind-body` element, all it indexes of a page once any page has one.

    The theme's header, navigation and footer around that element are more than half of a page's bytes, and
    were that share of Pagefind's work (the index comes out the same: tests/test_engine.py compares it with
    Pagefind's own indexing of the written pages). The first BODY_START and the last BODY_END are the
    template's own: what editors write lies between them, sanitised (no comments) or escaped. A page without
    them (the 404 page) is given whole."""
    start, end = html.find(BODY_START), html.rfind(BODY_END)
    tag = HTML_TAG.search(html, 0, max(start, 0))
    if start < 0 or end < start or tag is None:
        return html
    title = TITLE.search(html, tag.end(), start)
    return (f"<!doctype html>{tag[0]}<head>{title[0] if title else ''}</head><body>{html[start:end]}</body>"
            "</html>")


@dataclass
class _Language:
    index_id: int
    pages: int = 0
    written: bool = False


@dataclass
class _Service:
    """One running `pagefind --service` and its two threads."""
    process: subprocess.Popen
    outbox: queue.SimpleQueue = field(default_factory=queue.SimpleQueue)
    answers: dict[int, dict] = field(default_factory=dict)
    answered: threading.Condition = field(default_factory=threading.Condition)
    ended: bool = False
    last_id: int = 0

    @classmethod
    def start(cls) -> _Service:
        binary = get_executable()
        if binary is None:
            raise SearchIndexError("Pagefind's binary is missing: install requirements.txt (pagefind[bin])")
        process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        service = cls(process)
        threading.Thread(target=service._write, name="pagefind-write", daemon=True).start()
        threading.Thread(target=service._read, name="pagefind-read", daemon=True).start()
        return service

    def send(self, payload: InternalRequestPayload) -> int:
        """Queue a message (the caller does not wait); its number, to wait for its answer."""
        self.last_id += 1
        self.outbox.put((self.last_id, payload))
        return self.last_id

    def answer(self, message_id: int, about: str) -> dict:
        """The answer to a message (waiting for it); raises SearchIndexError, saying `about` what, if Pagefind
        failed, ended or did not answer."""
        with self.answered:
            if not self.answered.wait_for(lambda: message_id in self.answers or self.ended, ANSWER_TIMEOUT):
                raise SearchIndexError(f"Pagefind did not answer within {ANSWER_TIMEOUT} s ({about})")
        if message_id not in self.answers:
            raise SearchIndexError(f"Pagefind ended before it answered ({about}; exit code {self.process.poll()})")
        answer = self.answers[message_id]
        if answer.get("type") == "Error":
            raise SearchIndexError(f"Pagefind could not do it ({about}): {answer.get('message')}")
        return answer

    def _write(self) -> None:
        assert self.process.stdin is not None
        while True:
            item = self.outbox.get()
            if item is None:
                break
            message_id, payload = item
            message = json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")
            try:
                self.process.stdin.write(base64.b64encode(message) + b",")
                self.process.stdin.flush()
            except (BrokenPipeError, ValueError):  # Pagefind ended: the reader reports it
                break

    def _read(self) -> None:
        assert self.process.stdout is not None
        pending = b""
        try:
            while chunk := self.process.stdout.read1(1 << 16):
                pending += chunk
                *messages, pending = pending.split(b",")
                for message in messages:
                    try:
                        response = json.loads(base64.b64decode(message))
                    except ValueError:  # not Pagefind's
                        return
                    with self.answered:
                        self.answers[response.get("message_id") or 0] = response.get("payload") or {}
                        self.answered.notify_all()
        finally:  # the end of its output, or output that is not Pagefind's: nothing more is answered
            with self.answered:
                self.ended = True
                self.answered.notify_all()

    def close(self) -> None:
        self.outbox.put(None)
        self.process.kill()
        self.process.wait()


@dataclass
class SearchIndex:
    service: _Service | None = None
    languages: dict[str, _Language] = field(default_factory=dict)
    pending: list[tuple[int, str]] = field(default_factory=list)  # messages checked at the end, and what for

    def page_written(self, lang: str, dest_uri: str, html: str) -> None:
        """Index a page of `lang` (its HTML as written), in the background."""
        if self.service is None:
            self.service = _Service.start()
        if lang not in self.languages:
            config = {"exclude_selectors": list(EXCLUDE_SELECTORS)}
            new = self.service.send(InternalNewIndexRequest(type="NewIndex", config=config))
            self.languages[lang] = _Language(self.service.answer(new, f"a new index for {lang}")["index_id"])
        language = self.languages[lang]
        language.pages += 1
        self.pending.append((self.service.send(InternalAddFileRequest(
            type="AddFile", index_id=language.index_id, url=page_url(dest_uri), file_contents=searched_part(html),
            file_path=None)),
            f"indexing {dest_uri}"))

    def write(self, lang: str, output_dir: str) -> None:
        """Write the bundle of `lang` into `output_dir` once its pages are indexed, in the background."""
        if self.service is None or lang not in self.languages:
            return
        language = self.languages[lang]
        language.written = True
        self.pending.append((self.service.send(InternalWriteFilesRequest(
            type="WriteFiles", index_id=language.index_id, output_path=output_dir)), f"writing {output_dir}"))

    def wait(self) -> list[str]:
        """Wait until every bundle is written; each language with the number of pages indexed. Raises
        SearchIndexError."""
        try:
            if self.service is not None:
                for message_id, about in self.pending:
                    self.service.answer(message_id, about)
            return [f"{lang} {language.pages} pages" for lang, language in self.languages.items()
                    if language.written]
        finally:
            self.stop()

    def stop(self) -> None:
        """End the service (at the end of a build, or of one that stopped half-way)."""
        if self.service is not None:
            self.service.close()
        self.service = None
        self.languages.clear()
        self.pending.clear()
