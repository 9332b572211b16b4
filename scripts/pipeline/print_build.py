"""The print edition as a product of the pipeline: each language's booklet and card PDFs, made from the
validated project, its interface words and the site's settings, with no site engine involved.

`toolbox.py pdf` calls it directly; the site adapter calls it once per build, for every language at once,
so that the worker processes lay the documents of all languages out side by side.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .pdf_cache import PdfCache
from .print_edition import Edition, PrintEdition
from .project import Project
from .site_config import SiteSettings
from .validate import CheckedProject
from .vocabulary import load_interface, load_vocabulary

if TYPE_CHECKING:
    from .pdf_files import RenderedPdf
# pipeline.pdf (WeasyPrint, about half a second to import) is imported where PDFs are made, so that a build
# without them (the preview, TOOLBOX_PDF=off) does not pay for it.


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


class PrintRun:
    """The print edition being made in worker processes (pipeline.pdf.PdfRun), with the project's cache."""

    def __init__(self, project: Project, checked: CheckedProject, settings: SiteSettings,
                 languages: Iterable[str], processes: int | None = None):
        from .pdf import start_edition

        interface = load_interface(project.interface_file)
        edition = PrintEdition(checked, load_vocabulary(project.vocabulary_file), project)
        date = edition_date()
        self.cache = pdf_cache(project)
        self.run = start_edition(edition, [edition_for(lang, interface, settings, date) for lang in languages],
                                 self.cache, processes)

    def results(self, progress: Callable[[str], None] = lambda message: None) -> dict[str, RenderedPdf]:
        """Every PDF, keyed by its path under the site (downloads/…), once all are made; raises
        pdf.LayoutError naming the document that cannot be printed completely."""
        done = self.run.done
        pdfs = self.run.results(progress)
        if self.cache is not None and not done:
            self.cache.prune(len(pdfs))
            if self.cache.discarded:
                progress(f"PDF: {len(self.cache.discarded)} damaged cache entries were discarded and laid out again")
        return pdfs

    def stop(self) -> None:
        self.run.stop()


def render_print_edition(project: Project, checked: CheckedProject, settings: SiteSettings,
                         languages: Iterable[str], progress: Callable[[str], None] = lambda message: None,
                         processes: int | None = None) -> dict[str, RenderedPdf]:
    """Every PDF of `languages`, keyed by its path under the site (downloads/…); raises pdf.LayoutError
    naming the document that cannot be printed completely."""
    return PrintRun(project, checked, settings, languages, processes).results(progress)


def write_pdfs(pdfs: dict[str, RenderedPdf], site_dir: Path) -> None:
    for path, pdf in pdfs.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf.data)
