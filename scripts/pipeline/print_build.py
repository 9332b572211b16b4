"""The print edition as a product of the pipeline: each language's booklet and card PDFs, made from the
validated project, its interface words and the site's settings, with no site engine involved.

`toolbox.py pdf` calls it directly; the site adapter calls it once per build, for every language at once,
so that the worker processes lay the documents of all languages out side by side.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .background import Background, BackgroundError, cores
from .pdf_cache import PdfCache
from .pdf_files import LayoutError, RenderedPdf, booklet_path, card_pdf_path, document_name
from .print_edition import Edition, PrintEdition
from .project import Project
from .site_config import SiteSettings
from .validate import CheckedProject
from .vocabulary import load_interface, load_vocabulary


def load_layout_engine() -> None:
    """Import pipeline.pdf and WeasyPrint (about half a second), so that the worker processes forked next start
    with it: the site build calls this while the project is validated on the other core. It is imported only
    where PDFs are made: a build without them (the preview, TOOLBOX_PDF=off) does not pay for it."""
    from . import pdf  # noqa: F401


def edition_date() -> datetime.date:
    """Today, or the date of SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date() if epoch else datetime.date.today()


def edition_for(lang: str, interface: dict, settings: SiteSettings, date: datetime.date) -> Edition:
    """What the cover and the imprint of `lang`'s edition say: its title and subtitle from the interface words
    (formats/interface.yml: site_name, site_description), who publishes it from the site's settings."""
    return Edition(lang=lang, title=interface["site_name"][lang], subtitle=interface["site_description"][lang],
                   publisher=settings.publisher or interface["publisher_default"][lang],
                   contact=settings.contact_or_issues or None, site_url=settings.site_url or None, date=date)


def pdf_cache(project: Project) -> PdfCache | None:
    """The project's PDF cache, unless TOOLBOX_PDF_CACHE=off (as the benchmark sets to time cold builds)."""
    if os.environ.get("TOOLBOX_PDF_CACHE") == "off":
        return None
    return PdfCache(project.root / ".cache" / "pdf")


@dataclass(frozen=True)
class Document:
    """One PDF to make: a language's booklet (no slug) or one card's PDF."""

    lang: str
    slug: str | None = None

    @property
    def path(self) -> str:
        return booklet_path(self.lang) if self.slug is None else card_pdf_path(self.lang, self.slug)


@dataclass(frozen=True)
class Made:
    """A document made: its PDF, its cache key, whether it came from the cache, the entries found damaged."""

    document: Document
    pdf: RenderedPdf
    key: str | None
    cached: bool
    discarded: tuple[str, ...]


class _Maker:
    """Makes one document: renders its HTML, takes its PDF from the cache or lays it out (and keeps it there).

    Runs in the worker processes, so that the build's own process does none of it (rendering every document's
    HTML and hashing it to look it up took 2.5 s of the engine's time before its first page). A booklet is laid
    out with the page numbers its last layout found (kept in the cache's folder; pipeline.pdf.render_booklet)."""

    def __init__(self, edition: PrintEdition, editions: dict[str, Edition], cache: PdfCache | None):
        self.edition = edition
        self.editions = editions
        self.cache = cache

    def name(self, document: Document) -> str:
        return document_name(self.edition, document.lang, document.slug)

    def make(self, document: Document) -> Made:
        from . import pdf

        job = pdf.document_job(self.edition, self.editions[document.lang], document.slug)
        if self.cache is None:
            return Made(document, pdf.render_job(job), None, False, ())
        key = self.cache.key(job)
        seen = len(self.cache.discarded)
        cached = self.cache.get(key)
        discarded = tuple(self.cache.discarded[seen:])
        if cached is not None:
            return Made(document, RenderedPdf(job.name, cached.data, cached.pages, 0.0), key, True, discarded)
        if document.slug is None:  # a booklet: with the page numbers of its last layout
            name = f"booklet-{document.lang}"
            rendered, pages = pdf.render_booklet(job, self.edition, self.editions[document.lang],
                                                 self.cache.page_numbers(name))
            self.cache.keep_page_numbers(name, pages)
        else:
            rendered = pdf.render_job(job)
        self.cache.put(key, rendered.data, rendered.pages)
        return Made(document, rendered, key, False, discarded)

    def make_each(self, documents: list[Document], taken) -> tuple[list[Made], str | None]:
        """In a worker: make the next document no worker has taken (`taken`: a counter the workers share) until
        none is left. A document that cannot be printed ends the work of every worker (none takes another) and
        is returned as the LayoutError's message."""
        # Stopped (PrintRun.stop), a worker unwinds: a booklet's second part, laid out in a child, stops with it.
        signal.signal(signal.SIGTERM, _unwind)
        made: list[Made] = []
        while True:
            with taken.get_lock():
                index = taken.value
                taken.value += 1
            if index >= len(documents):
                return made, None
            try:
                made.append(self.make(documents[index]))
            except LayoutError as error:
                with taken.get_lock():
                    taken.value = len(documents)
                return made, str(error)


def _unwind(signum, frame) -> None:
    raise SystemExit(128 + signum)


def workers() -> int:
    """The processes that lay documents out at once: one per core this process may use."""
    return cores()


class PrintRun:
    """The print edition being made: started at once in worker processes, one per core — each takes the
    next document, the booklets first (the longest), and renders its HTML, looks it up in the project's cache
    and lays it out only if it changed — and collected with `results()` when needed, so that the caller (the
    site build) goes on meanwhile. A failing document stops the run with a LayoutError naming it."""

    def __init__(self, project: Project, checked: CheckedProject, settings: SiteSettings,
                 languages: Iterable[str], processes: int | None = None):
        interface = load_interface(project.interface_file)
        edition = PrintEdition(checked, load_vocabulary(project.vocabulary_file), project)
        date = edition_date()
        languages = list(languages)
        self.cache = pdf_cache(project)
        self.maker = _Maker(edition, {lang: edition_for(lang, interface, settings, date) for lang in languages},
                            self.cache)
        self.documents = [Document(lang) for lang in languages]
        self.documents += [Document(lang, card.slug) for lang in languages for card in edition.cards]
        self.made: dict[Document, Made] = {}
        self.done = False
        self.workers: list[Background] = []
        processes = min(processes or workers(), len(self.documents))
        if processes > 1:
            load_layout_engine()  # forked next: the workers start with it and the validated project in memory
            self.workers = self._start(self.documents, processes)

    def _start(self, documents: list[Document], processes: int) -> list[Background]:
        taken = multiprocessing.get_context("fork").Value("i", 0)
        # Not daemons: a worker lays a changed booklet out in two parts, the second in a child of its own.
        return [Background(lambda: self.maker.make_each(documents, taken), daemon=False) for _ in range(processes)]

    def results(self, progress: Callable[[str], None] = lambda message: None) -> dict[str, RenderedPdf]:
        """Every PDF, keyed by its path under the site (downloads/…), once all are made; raises
        LayoutError naming the document that cannot be printed completely."""
        if not self.done:
            self._collect()
            self.done = True
            cached = sum(made.cached for made in self.made.values())
            if cached < len(self.documents):
                from .pdf import slow_font_subsetting

                if note := slow_font_subsetting():
                    progress(f"PDF: {note}")
            if cached:
                progress(f"PDF: {cached} of {len(self.documents)} documents unchanged, taken from the cache")
            for document in self.documents:
                made = self.made[document]
                if not made.cached:
                    progress(f"PDF {made.pdf.name}: {made.pdf.pages} pages, {made.pdf.seconds:.1f} s")
            if self.cache is not None:
                self.cache.used.update(made.key for made in self.made.values() if made.key)
                self.cache.discarded += [key for made in self.made.values() for key in made.discarded]
                self.cache.prune(len(self.documents))
                if self.cache.discarded:
                    progress(f"PDF: {len(self.cache.discarded)} damaged cache entries were discarded and laid "
                             "out again")
        return {document.path: self.made[document].pdf for document in self.documents}

    def _collect(self) -> None:
        if not self.workers:
            for document in self.documents:
                self.made[document] = self.maker.make(document)
            return
        errors: list[str] = []
        try:
            for worker in self.workers:
                try:
                    made, error = worker.result()
                except BackgroundError:  # it died, or failed: its documents are made again below
                    continue
                self.made.update((each.document, each) for each in made)
                errors += [error] if error else []
        finally:
            self.stop()
        if errors:
            raise LayoutError(errors[0])
        for document in [d for d in self.documents if d not in self.made]:
            # A worker died (out of memory, a crash): find the document, one process each.
            alone, = self._start([document], 1)
            try:
                made, error = alone.result()
            except BackgroundError as failure:
                cause = ("the process laying it out stopped unexpectedly (out of memory, or a crash of the layout "
                         "engine)") if failure.died else f"laying it out failed:\n{failure}"
                raise LayoutError(f"{self.maker.name(document)}: {cause}") from None
            if error:
                raise LayoutError(error)
            self.made[document] = made[0]

    def stop(self) -> None:
        """End the workers (the documents they are laying out are not finished)."""
        for worker in self.workers:
            worker.stop()
        self.workers = []


def render_print_edition(project: Project, checked: CheckedProject, settings: SiteSettings,
                         languages: Iterable[str], progress: Callable[[str], None] = lambda message: None,
                         processes: int | None = None) -> dict[str, RenderedPdf]:
    """Every PDF of `languages`, keyed by its path under the site (downloads/…); raises LayoutError
    naming the document that cannot be printed completely."""
    return PrintRun(project, checked, settings, languages, processes).results(progress)


def write_pdfs(pdfs: dict[str, RenderedPdf], site_dir: Path) -> None:
    for path, pdf in pdfs.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf.data)
