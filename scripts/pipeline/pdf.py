"""Step 4 for paper: the print edition's HTML to PDF with WeasyPrint, refusing any PDF that would miss
something. (pipeline.print_build runs it for every document of every language, in worker processes.)

WeasyPrint exits happily while dropping what it cannot lay out, so each document is checked before it is
written: every resource loaded, no box wider than the page, every character in the embedded fonts.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import mimetypes
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyphen
import weasyprint
from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox, TableBox, TextBox
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from .background import Background, BackgroundError, cores
from .content_rules import printable_characters
from .images import FORMATS, image_format, print_image
from .model import Card
from .pdf_files import LayoutError, RenderedPdf, document_name
from .pdf_join import JoinError, join_parts
from .print_edition import BookletPart, Edition, PageNumbers, PrintEdition

__all__ = ["LayoutError", "PdfJob", "document_job", "render_booklet", "render_job", "render_pdf",
           "slow_font_subsetting"]

PDF_VARIANT = "pdf/ua-1"  # a tagged PDF that screen readers can read
TOLERANCE = 1.0  # CSS px a box may stick out by (rounding)


# Seconds one document may take to lay out: a card takes about one, the booklet about half a second a card.
SECONDS_PER_DOCUMENT = 120
SECONDS_PER_CARD = 3


def slow_font_subsetting() -> str | None:
    """What to install when WeasyPrint cannot subset the embedded fonts with HarfBuzz: it then falls back to
    fontTools, which gives the same PDFs about four times slower (measured: a card's PDF 1.8 s instead of 0.46 s)
    and says so only in a log line nobody sees. None when HarfBuzz does it."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return None
    return ("the PDFs' fonts are subset by fontTools, about four times slower than with HarfBuzz: install "
            "HarfBuzz-Subset 4.1 or newer (Debian: libharfbuzz-subset0)")


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


@contextlib.contextmanager
def _weasyprint_warnings() -> Iterator[list[str]]:
    """What WeasyPrint warns about meanwhile (a resource it could not load, a rule it dropped)."""
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        yield collect.messages
    finally:
        logger.removeHandler(collect)


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


# The stylesheet every document is laid out with, in the print templates' folder.
PRINT_STYLESHEET = "print.css"


@dataclass(frozen=True)
class PrintStyle:
    """The print stylesheet, parsed once, with the fonts its @font-face rules load, and what WeasyPrint
    warned about while reading it (a rule it dropped, a font it could not load): a problem of every document."""

    css: weasyprint.CSS | None  # None: it could not be read (a problem of every document)
    fonts: FontConfiguration
    warnings: tuple[str, ...]


def print_style(base_dir: Path) -> PrintStyle:
    """`base_dir`'s print stylesheet, read once per process for as long as it and its fonts are unchanged.

    Parsing it and loading its four fonts took a tenth of a second for every document, about 12 % of a card's
    PDF. It is given to WeasyPrint as a user stylesheet: it still comes after the browser's defaults and before
    the template's own <style> (an author sheet), and WeasyPrint reads no presentational HTML attributes."""
    fonts = base_dir / "fonts"
    files = [base_dir / PRINT_STYLESHEET, *sorted(fonts.iterdir() if fonts.is_dir() else ())]
    stamp = tuple((path.name, stat.st_mtime_ns, stat.st_size) for path in files if path.is_file()
                  for stat in [path.stat()])
    return _parsed_style(base_dir, stamp)


@functools.lru_cache(maxsize=4)
def _parsed_style(base_dir: Path, stamp: tuple) -> PrintStyle:
    fonts, css = FontConfiguration(), None
    with _weasyprint_warnings() as warnings:
        try:
            # Through the fetcher, as every file: a print.css linked to a file elsewhere is refused.
            css = weasyprint.CSS(url=(base_dir / PRINT_STYLESHEET).absolute().as_uri(), font_config=fonts,
                                 url_fetcher=ConfinedFetcher(base_dir, ()))
        except URLFetchingError as error:  # the fetcher's refusal, or no such file
            warnings.append(f"it cannot be read ({type(error).__name__})")
    return PrintStyle(css, fonts, tuple(f"{PRINT_STYLESHEET}: {message}" for message in warnings))


def lay_out(name: str, html: str, base_dir: Path, picture_folders: Iterable[Path] = (),
            seconds: int = SECONDS_PER_DOCUMENT) -> weasyprint.Document:
    """Lay one document out with the print stylesheet; raise LayoutError naming `name` if anything would be
    missing from its PDF.

    Resources come only from `base_dir` (the print templates) and pictures in `picture_folders`."""
    style = print_style(base_dir)
    with _weasyprint_warnings() as warnings, time_limit(seconds, name):
        document = weasyprint.HTML(string=html, base_url=f"{base_dir}/",
                                   url_fetcher=ConfinedFetcher(base_dir, picture_folders)).render(
            stylesheets=[style.css] if style.css else [], font_config=style.fonts)
    problems = [*style.warnings, *warnings, *_problems(document, base_dir / "fonts")]
    if problems:
        shown = [f"  - {p}" for p in problems[:5]]
        shown += [f"  … and {len(problems) - 5} more"] if len(problems) > 5 else []
        raise LayoutError(f"{name}: cannot be printed completely:\n" + "\n".join(shown))
    return document


def _pdf_bytes(document: weasyprint.Document) -> bytes:
    return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=[])


def write_pdf(name: str, document: weasyprint.Document, start: float) -> RenderedPdf:
    return RenderedPdf(name, _pdf_bytes(document), len(document.pages), time.perf_counter() - start)


def render_pdf(name: str, html: str, base_dir: Path, picture_folders: Iterable[Path] = (),
               seconds: int = SECONDS_PER_DOCUMENT) -> RenderedPdf:
    """Lay out and write one PDF; raise LayoutError naming `name` if anything would be missing.

    Resources come only from `base_dir` (the print templates) and pictures in `picture_folders`."""
    start = time.perf_counter()
    return write_pdf(name, lay_out(name, html, base_dir, picture_folders, seconds), start)


def anchor_pages(document: weasyprint.Document) -> dict[str, int]:
    """Where the layout put each anchor (an element's id): its page number, the first page counting 1 (the
    print CSS never resets the page counter)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def render_booklet(job: PdfJob, edition: PrintEdition, ed: Edition,
                   known: dict[str, int] | None) -> tuple[RenderedPdf, dict[str, int]]:
    """The booklet, with the page numbers of its last layout (`known`: each anchor's page, and its page count
    under TOTAL) printed as they are, and where its anchors are now.

    With them, it is laid out in two parts at once, one per core (`_in_two_parts`), and joined. A number the new
    layout moved is found by the checks after it: the booklet is laid out again in one piece with the pages just
    found, and if those moved too, with WeasyPrint's own target-counter() (no number given), which needs no
    check. A wrong `known` costs time, never a wrong page number."""
    start = time.perf_counter()
    numbers = dict(known or {})
    parts = booklet_parts(edition, numbers)
    if parts is not None:
        joined, numbers = _in_two_parts(job, edition, ed, numbers, *parts)
        if joined is not None:
            return RenderedPdf(job.name, joined, numbers[TOTAL], time.perf_counter() - start), numbers
    for attempt in range(3):
        pages = PageNumbers(numbers)
        html = edition.booklet_html(ed, pages) if pages.known else job.html
        document = lay_out(job.name, html, job.base_dir, job.picture_folders, job.seconds)
        found = {**anchor_pages(document), TOTAL: len(document.pages)}
        if all(found.get(anchor) == page for anchor, page in pages.printed.items()):
            return write_pdf(job.name, document, start), found
        numbers = found if attempt == 0 else {}
    raise AssertionError("a booklet laid out without given page numbers always passes the check")


# The kept numbers' entry for the booklet's page count (no anchor has an empty name).
TOTAL = ""
# A booklet shorter than this is laid out in one piece: two processes would not end sooner.
PAGES_TO_SPLIT = 16


def booklet_parts(edition: PrintEdition, numbers: dict[str, int]) -> tuple[BookletPart, BookletPart] | None:
    """The booklet's two parts, split before the theme whose first page (as `numbers` has it) is nearest the
    middle — a theme begins a page and sets the running head —, or None without the numbers to do so."""
    total = numbers.get(TOTAL)
    themes = edition.themes()
    if cores() < 2:  # one core: the second part would only wait for the first
        return None
    starts = [numbers.get(f"theme-{theme}") for theme in themes]
    if not total or total < PAGES_TO_SPLIT or not themes or None in starts:
        return None
    split = min(range(len(themes)), key=lambda index: abs(starts[index] - 1 - total / 2))
    first_page = starts[split]
    if not 1 < first_page <= total:
        return None
    anchors = {anchor: page for anchor, page in numbers.items() if anchor != TOTAL}
    return (BookletPart(tuple(themes[:split]), front=True, back=False, first_page=1, total_pages=total,
                        stubs=tuple(sorted(anchor for anchor, page in anchors.items() if page >= first_page))),
            BookletPart(tuple(themes[split:]), front=False, back=True, first_page=first_page, total_pages=total,
                        stubs=tuple(sorted(anchor for anchor, page in anchors.items() if page < first_page))))


@dataclass(frozen=True)
class _Part:
    """One part laid out and written: what the checks after it need."""

    data: bytes
    pages: int
    anchors: dict[str, int]  # its anchors' pages, counting its own first page as 1 (stubs included)
    links: frozenset[str]  # the anchors its links lead to
    printed: dict[str, int]  # the page numbers it printed


def _lay_out_part(job: PdfJob, edition: PrintEdition, ed: Edition, numbers: dict[str, int],
                  part: BookletPart) -> _Part | str:
    """Lay one part out and write it; a LayoutError is returned as its message (also from the child process)."""
    pages = PageNumbers(numbers)
    try:
        document = lay_out(job.name, edition.booklet_html(ed, pages, part), job.base_dir, job.picture_folders,
                           job.seconds)
    except LayoutError as error:
        return str(error)
    links = frozenset(target for page in document.pages for kind, target, *_ in page.links if kind == "internal")
    return _Part(_pdf_bytes(document), len(document.pages), anchor_pages(document), links, pages.printed)


def _links_land(part: BookletPart, laid_out: _Part, other: BookletPart, other_laid_out: _Part) -> bool:
    """Whether each link of a part leads where it would in the booklet laid out in one piece: to an anchor of
    its own, to a stub of an anchor the other part has, or — like WeasyPrint, which drops a link to an anchor
    the document does not have — to an anchor neither part has."""
    for target in laid_out.links:
        here = target in laid_out.anchors and target not in part.stubs
        there = target in other_laid_out.anchors and target not in other.stubs
        if not (here or (there and target in laid_out.anchors) or (not there and target not in laid_out.anchors)):
            return False
    return True


def _in_two_parts(job: PdfJob, edition: PrintEdition, ed: Edition, numbers: dict[str, int],
                  first: BookletPart, second: BookletPart) -> tuple[bytes | None, dict[str, int]]:
    """The booklet laid out in two parts at once (the second in a child process) and joined, or None and the
    pages found where a check fails: a part does not begin on the page the numbers gave, or has another page
    count, a link leads to an anchor the other part does not have, or a printed number is not the page found."""
    # The language's hyphenation patterns (about a second to read for German) read once, for both processes.
    if language := pyphen.language_fallback(ed.lang):
        pyphen.Pyphen(lang=language)
    other = Background(lambda: _lay_out_part(job, edition, ed, numbers, second))
    try:
        mine = _lay_out_part(job, edition, ed, numbers, first)
        theirs = other.result()
    except BackgroundError:  # the child died: the booklet is laid out in one piece, which names what failed
        return None, numbers
    finally:
        other.stop()
    if isinstance(mine, str) or isinstance(theirs, str):
        # A part refers to an anchor of the other that the numbers do not have (a new card), or the text cannot
        # be printed: the booklet laid out in one piece tells which.
        return None, numbers
    found: dict[str, int] = {}
    for part, laid_out, offset in ((first, mine, 0), (second, theirs, mine.pages)):
        for anchor, page in laid_out.anchors.items():
            if anchor not in part.stubs:
                found.setdefault(anchor, page + offset)
    found[TOTAL] = mine.pages + theirs.pages
    fits = (mine.pages == second.first_page - 1 and found[TOTAL] == first.total_pages
            and _links_land(first, mine, second, theirs) and _links_land(second, theirs, first, mine)
            and all(found.get(anchor) == page for anchor, page in {**mine.printed, **theirs.printed}.items()))
    if not fits:
        return None, found
    try:
        return join_parts(mine.data, theirs.data, first.stubs, second.stubs), found
    except JoinError:
        return None, found


@dataclass(frozen=True)
class PdfJob:
    """One document to lay out: all that decides its PDF."""

    name: str  # for messages: which card or booklet
    html: str
    base_dir: Path
    picture_folders: tuple[Path, ...]
    seconds: int = SECONDS_PER_DOCUMENT


def document_job(edition: PrintEdition, ed: Edition, slug: str | None) -> PdfJob:
    """The booklet of `ed`'s language (slug None) or one card's document, its HTML rendered here."""
    base_dir = edition.project.print_dir
    cards: list[Card] = edition.cards
    if slug is None:
        folders = tuple(card.folder for card in cards) + (edition.project.docs_dir / ed.lang,)
        return PdfJob(document_name(edition, ed.lang, None), edition.booklet_html(ed), base_dir, folders,
                      SECONDS_PER_DOCUMENT + SECONDS_PER_CARD * len(cards))
    card = next(card for card in cards if card.slug == slug)
    return PdfJob(document_name(edition, ed.lang, slug), edition.card_html(card, ed), base_dir, (card.folder,))


def render_job(job: PdfJob) -> RenderedPdf:
    return render_pdf(job.name, job.html, job.base_dir, job.picture_folders, job.seconds)
