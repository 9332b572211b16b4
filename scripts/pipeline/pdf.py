"""Step 4 for paper: the print edition's HTML to PDF with WeasyPrint, refusing any PDF that would miss
something, and writing the booklets and single-card PDFs of every language.

WeasyPrint exits happily while dropping what it cannot lay out, so each document is checked before it is
written: every resource loaded, no box wider than the page, every character in the embedded fonts.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox, TableBox, TextBox
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .content_rules import printable_characters
from .images import FORMATS, image_format, print_image
from .model import Card
from .pdf_cache import PdfCache
from .pdf_files import RenderedPdf, booklet_path, card_pdf_path
from .print_edition import Edition, PrintEdition

PDF_VARIANT = "pdf/ua-1"  # a tagged PDF that screen readers can read
TOLERANCE = 1.0  # CSS px a box may stick out by (rounding)


class LayoutError(Exception):
    """A document could not be laid out completely; the message names it and says why."""


# Seconds one document may take to lay out: a card takes about one, the booklet about half a second a card.
SECONDS_PER_DOCUMENT = 120
SECONDS_PER_CARD = 3


class ConfinedFetcher(URLFetcher):
    """WeasyPrint's only way to read a resource: real files (symlinks resolved) inside the print templates'
    folder, and pictures inside the folders the document's texts come from. Every other path, URL and
    scheme is refused, so that no text can pull a file of the build machine, or anything from a network,
    into a PDF."""

    def __init__(self, templates: Path, picture_folders: Iterable[Path]):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=1)
        self.templates = templates.resolve()
        self.picture_folders = tuple(folder.resolve() for folder in picture_folders)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused: {url[:80]} (the PDFs use only the toolbox's own files)")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_file():
            raise ValueError(f"refused: {path} is not a file of the toolbox")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.is_relative_to(self.templates):
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})
        if any(path.is_relative_to(folder) for folder in self.picture_folders) and image_format(path) in FORMATS:
            # Print-sized, without the camera's metadata. Not answered as a file: URL, from which WeasyPrint
            # would embed the original file instead.
            return URLFetcherResponse(f"toolbox-picture:{path.name}", print_image(path), {"Content-Type": mime})
        raise ValueError(f"refused: {path.name} lies outside the print templates and is no picture of a text")


@contextlib.contextmanager
def time_limit(seconds: int, name: str) -> Iterator[None]:
    """Stop a layout that runs longer than `seconds` with a LayoutError naming the document (main thread only:
    the builds lay documents out there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise LayoutError(f"{name}: laying it out took longer than {seconds} s; look for a very long table, "
                          "line or list in its text")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _problems(document: weasyprint.Document, font_dir: Path) -> list[str]:
    problems: list[str] = []
    covered = printable_characters(font_dir)
    missing: set[str] = set()
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width + TOLERANCE
        for box in page_box.descendants():
            if isinstance(box, TextBox):
                missing.update(c for c in box.text if c not in covered and not c.isspace())
            if isinstance(box, (TableBox, ReplacedBox, LineBox)) and box.position_x + box.margin_width() > right:
                what = {TableBox: "a table", ReplacedBox: "an image"}.get(type(box), "a line")
                sample = "".join(b.text for b in box.descendants() if isinstance(b, TextBox))[:60]
                problems.append(f"{what} is wider than the page on page {number}" + (f": “{sample}”" if sample else ""))
    if missing:
        problems.append("characters the print fonts cannot show: " + " ".join(f"{c} (U+{ord(c):04X})"
                                                                           for c in sorted(missing)))
    return problems


def render_pdf(name: str, html: str, base_dir: Path, picture_folders: Iterable[Path] = (),
               seconds: int = SECONDS_PER_DOCUMENT) -> RenderedPdf:
    """Lay out and write one PDF; raise LayoutError naming `name` if anything would be missing.

    Resources come only from `base_dir` (the print templates) and pictures in `picture_folders`."""
    start = time.perf_counter()
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        with time_limit(seconds, name):
            document = weasyprint.HTML(string=html, base_url=f"{base_dir}/",
                                       url_fetcher=ConfinedFetcher(base_dir, picture_folders)).render()
    finally:
        logger.removeHandler(collect)
    problems = collect.messages + _problems(document, base_dir / "fonts")
    if problems:
        shown = [f"  - {p}" for p in problems[:5]]
        shown += [f"  … and {len(problems) - 5} more"] if len(problems) > 5 else []
        raise LayoutError(f"{name}: cannot be printed completely:\n" + "\n".join(shown))
    data = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=[])
    return RenderedPdf(name, data, len(document.pages), time.perf_counter() - start)


@dataclass(frozen=True)
class PdfJob:
    """One document to lay out: everything a worker process needs, and all that decides its PDF."""

    name: str  # for messages: which card or booklet
    path: str  # under the site: downloads/…
    html: str
    base_dir: Path
    picture_folders: tuple[Path, ...]
    seconds: int = SECONDS_PER_DOCUMENT


def _render_job(job: PdfJob) -> RenderedPdf:
    return render_pdf(job.name, job.html, job.base_dir, job.picture_folders, job.seconds)


def edition_jobs(edition: PrintEdition, editions: Iterable[Edition]) -> list[PdfJob]:
    """The booklet and the single-card documents of each edition, as jobs (their HTML rendered here)."""
    jobs: list[PdfJob] = []
    base_dir = edition.project.print_dir
    cards: list[Card] = edition.cards
    for ed in editions:
        folders = tuple(card.folder for card in cards) + (edition.project.docs_dir / ed.lang,)
        jobs.append(PdfJob(f"booklet {ed.lang}", booklet_path(ed.lang), edition.booklet_html(ed), base_dir,
                           folders, SECONDS_PER_DOCUMENT + SECONDS_PER_CARD * len(cards)))
        jobs += [PdfJob(f"{card.folder.name}/{ed.lang}: card {card.slug}", card_pdf_path(ed.lang, card.slug),
                        edition.card_html(card, ed), base_dir, (card.folder,)) for card in cards]
    return jobs


def workers() -> int:
    """The processes that lay documents out at once: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class PdfRun:
    """PDFs being made. Started at once — unchanged documents taken from the cache, the others submitted to
    worker processes, the longest first — and collected with `results()` when they are needed, so that the
    caller (the site build) goes on meanwhile. A failing document stops the run with a LayoutError naming it."""

    def __init__(self, jobs: list[PdfJob], cache: PdfCache | None = None, processes: int | None = None):
        self.cache = cache
        self.keys = {job.path: cache.key(job) for job in jobs} if cache else {}
        self.pdfs: dict[str, RenderedPdf] = {}
        self.missing: list[PdfJob] = []
        for job in jobs:
            cached = cache.get(self.keys[job.path]) if cache else None
            if cached is None:
                self.missing.append(job)
            else:
                self.pdfs[job.path] = RenderedPdf(job.name, cached.data, cached.pages, 0.0)
        self.from_cache = f"PDF: {len(self.pdfs)} of {len(jobs)} documents unchanged, taken from the cache" \
            if self.pdfs else ""
        self.missing.sort(key=lambda job: len(job.html), reverse=True)  # the booklets first: the longest
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict = {}
        self.done = False
        processes = min(processes or workers(), len(self.missing))
        if processes > 1:
            # fork: the workers start with WeasyPrint and the fonts already imported, and need nothing pickled
            # back but the jobs and their PDFs. ProcessPoolExecutor forks all of them here, on the first
            # submit, before its own thread starts: call this from the build's only thread.
            self.pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
            self.futures = {self.pool.submit(_render_job, job): job for job in self.missing}

    def results(self, progress: Callable[[str], None] = lambda message: None) -> dict[str, RenderedPdf]:
        """Every job's PDF, keyed by its path, once all are made (waits for the workers)."""
        if self.done:
            return dict(self.pdfs)
        if self.from_cache:
            progress(self.from_cache)
        if self.pool is None:
            for job in self.missing:
                self.pdfs[job.path] = self._finished(job, _render_job(job), progress)
        else:
            broken: list[PdfJob] = []
            try:
                for future in as_completed(self.futures):
                    job = self.futures[future]
                    try:
                        pdf = future.result()
                    except BrokenProcessPool:
                        broken.append(job)
                        continue
                    self.pdfs[job.path] = self._finished(job, pdf, progress)
            finally:
                self.stop()
            for job in broken:  # a worker died (out of memory, a crash): find the document, one process each
                with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
                    try:
                        pdf = pool.submit(_render_job, job).result()
                    except BrokenProcessPool:
                        raise LayoutError(f"{job.name}: the process laying it out stopped unexpectedly "
                                          "(out of memory, or a crash of the layout engine)") from None
                self.pdfs[job.path] = self._finished(job, pdf, progress)
        self.done = True
        return dict(self.pdfs)

    def stop(self) -> None:
        """End the workers (waiting for the documents they are laying out; the others are not started)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _finished(self, job: PdfJob, pdf: RenderedPdf, progress: Callable[[str], None]) -> RenderedPdf:
        if self.cache:
            self.cache.put(self.keys[job.path], pdf.data, pdf.pages)
        progress(f"PDF {job.name}: {pdf.pages} pages, {pdf.seconds:.1f} s")
        return pdf


def start_edition(edition: PrintEdition, editions: Iterable[Edition], cache: PdfCache | None = None,
                  processes: int | None = None) -> PdfRun:
    """Start making every PDF of the given editions (booklet and single cards)."""
    return PdfRun(edition_jobs(edition, editions), cache, processes)
