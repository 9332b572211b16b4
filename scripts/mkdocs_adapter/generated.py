"""The pipeline's products for the site, made once per change of the sources and kept by the plugin."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.background import Background, BackgroundError
from pipeline.project import Project
from pipeline.render import RenderedPage, Renderer
from pipeline.validate import CheckedProject, valid_project
from pipeline.vocabulary import Vocabulary, load_interface, load_vocabulary


class RenderError(Exception):
    pass


def fingerprint(project: Project) -> tuple:
    """What the products depend on: every source file's path, time and size (cards, chapters, templates)."""
    stats = []
    for folder in (project.formats_dir, project.docs_dir, project.templates_dir, project.print_dir):
        for directory, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(directory, name)
                stat = os.stat(path)
                stats.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(stats))


class GeneratedSite:
    """The validated project and its generated pages, for one state of the sources (`key`).

    The first language's pages are rendered at once; the other languages' in a forked process (`background`)
    on the machine's other core while the engine builds the first, and taken when the engine reaches them.

    Raises pipeline.model.InvalidContent, listing every problem, when a card, a chapter or a words file is
    broken; nothing is built then."""

    def __init__(self, project: Project, drafts: bool, background: bool = True):
        self.project = project
        self.key = (fingerprint(project), drafts)
        self.checked: CheckedProject = valid_project(project)
        self.vocabulary: Vocabulary = load_vocabulary(project.vocabulary_file)
        self.interface: dict = load_interface(project.interface_file)
        renderer = Renderer(self.checked.cards, self.vocabulary, project, drafts=drafts)
        first, *others = self.languages.codes
        # Every page's path under docs/ (`<lang>/formats/<slug>.md`) and the files the pages show (card images)
        # with their source files, known before the pages are rendered.
        # (In a fixed order: the engine processes the files in the order they are announced.)
        self.paths: dict[str, None] = {}
        self.files: dict[str, Path] = {}
        for lang in self.languages.codes:
            for path, files in renderer.outline(lang).items():
                self.paths[f"{lang}/{path}"] = None
                self.files.update({f"{lang}/{name}": source for name, source in files})
        # The home page's way into the toolbox, placed under its title, by language.
        self.home_start: dict[str, str] = {lang: renderer.home_start(lang) for lang in self.languages.codes}
        self._pages: dict[str, RenderedPage] = {}
        self._add(renderer.pages(first))
        self._later: Background[list[RenderedPage]] | None = None
        if others and background:
            self._later = Background(lambda: [page for lang in others for page in renderer.pages(lang)])
        elif others:
            self._add(page for lang in others for page in renderer.pages(lang))

    def _add(self, pages) -> None:
        self._pages.update({f"{page.lang}/{page.path}": page for page in pages})

    def markdown(self, path: str) -> str:
        """The rendered page at `path` under docs/ (one of `paths`)."""
        if path not in self._pages and self._later is not None:
            try:
                self._add(self._later.result())
            except BackgroundError as error:
                raise RenderError(f"the pages of the other languages could not be rendered:\n{error}") from None
            self._later = None
        return self._pages[path].markdown

    def stop(self) -> None:
        """Stop rendering in the background (the sources changed, or the build ended early)."""
        if self._later is not None:
            self._later.stop()
            self._later = None

    @property
    def languages(self):
        """The project's languages (pipeline.languages.Languages)."""
        return self.vocabulary.language_list

    def words(self, lang: str) -> dict:
        """The interface words of `lang` (formats/interface.yml)."""
        return {key: texts[lang] for key, texts in self.interface.items()}
