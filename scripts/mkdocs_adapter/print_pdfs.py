"""MkDocs hook: build the print edition (booklet and card PDFs) of each language and link it.

For each language's build (mkdocs-static-i18n builds them one after another) the PDFs are rendered before
the pages, so that the pages can show their sizes, and written into site/downloads/ after the build.
`mkdocs serve` skips them for speed (the links are then left out), and so does a build with TOOLBOX_PDF=off.
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs_adapter.pages import checked_project, fingerprint, project_of  # noqa: E402
from pipeline.print_edition import Edition, PrintEdition  # noqa: E402
from pipeline.validate import valid_project  # noqa: E402
from pipeline.vocabulary import load_interface, load_vocabulary, plural  # noqa: E402

if TYPE_CHECKING:
    from pipeline.pdf import RenderedPdf
# pipeline.pdf (WeasyPrint, about half a second to import) is imported where PDFs are made, so that a build
# without them (`mkdocs serve`, TOOLBOX_PDF=off) does not pay for it.

_command: str | None = None
_cache: dict[tuple, dict[str, RenderedPdf]] = {}


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def skip_pdfs() -> bool:
    return _command == "serve" or os.environ.get("TOOLBOX_PDF") == "off"


def edition_date() -> datetime.date:
    """Today, or the date of SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date() if epoch else datetime.date.today()


def edition_of(config, lang: str, interface: dict) -> Edition:
    """The cover and imprint of `lang` from the site configuration, whose language overrides (site_name,
    site_description) mkdocs-static-i18n sets in its `languages` list."""
    language = next(item for item in config.plugins["i18n"].config.languages if item.locale == lang)
    extra = config.extra
    contact = extra.get("contact") or (f"{config.repo_url.rstrip('/')}/issues" if config.repo_url else None)
    return Edition(lang=lang, title=language.site_name or config.site_name,
                   subtitle=language.site_description or config.site_description or "",
                   publisher=extra.get("publisher") or interface["publisher_default"][lang],
                   contact=contact, site_url=config.site_url or None, date=edition_date())


def build_print_edition(config_file: Path, site_dir: Path, languages: list[str],
                        progress: Callable[[str], None]) -> dict[str, RenderedPdf]:
    """The PDFs of `languages` written into `site_dir`, without building the site (`toolbox.py pdf`)."""
    from pipeline.pdf import render_edition, write_pdfs

    config = load_config(str(config_file))
    project = project_of(config)
    edition = PrintEdition(valid_project(project), load_vocabulary(project.vocabulary_file), project)
    pdfs = render_edition(edition, [edition_of(config, lang, _interface(config)) for lang in languages], progress)
    write_pdfs(pdfs, site_dir)
    return pdfs


def _interface(config) -> dict:
    return load_interface(project_of(config).interface_file)


def _current_language(config) -> str:
    return config.plugins["i18n"].current_language


def rendered_pdfs(config) -> dict[str, RenderedPdf]:
    """The PDFs of the language being built, rendered once per change of the sources."""
    from pipeline.pdf import LayoutError, render_edition

    project, lang = project_of(config), _current_language(config)
    key = (fingerprint(project, with_print=True), lang, config.site_name, str(edition_date()))
    if key not in _cache:
        try:
            edition = PrintEdition(checked_project(config), load_vocabulary(project.vocabulary_file), project)
            _cache[key] = render_edition(edition, [edition_of(config, lang, _interface(config))],
                                         progress=lambda message: print(f"INFO    -  {message}", flush=True))
        except LayoutError as error:
            raise PluginError(str(error)) from None
    return dict(_cache[key])


@event_priority(-110)  # after mkdocs-static-i18n has set the language's site_name
def on_config(config):
    if skip_pdfs():
        return config
    from pipeline.pdf import booklet_path, human_size

    lang = _current_language(config)
    pdfs = rendered_pdfs(config)
    booklet = pdfs.pop(booklet_path(lang))
    # What the theme templates (overrides/main.html, partials/copyright.html) link, in this language.
    pages = plural(_interface(config)["pages"][lang], booklet.pages, lang).format(count=booklet.pages)
    config.extra["toolbox_downloads"] = {
        "booklet": {"path": booklet_path(lang), "size": human_size(len(booklet.data), lang), "pages": pages},
        "cards": {path.rsplit("/", 1)[-1].removesuffix(".pdf"): {"path": path, "size": human_size(len(pdf.data), lang)}
                  for path, pdf in pdfs.items()},
    }
    return config


@event_priority(-90)  # before mkdocs-static-i18n's, which goes on to build the other languages
def on_post_build(config):
    if skip_pdfs():
        return
    from pipeline.pdf import write_pdfs

    write_pdfs(rendered_pdfs(config), Path(config.site_dir))
