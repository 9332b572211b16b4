"""The pipeline's products for the site, made once per change of the sources and kept by the plugin."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.background import Background, BackgroundError
from pipeline.model import InvalidContent, Problem
from pipeline.project import Project
from pipeline.render import RenderedPage, Renderer
from pipeline.validate import CheckedProject, check_project
from pipeline.vocabulary import Vocabulary, check_interface, check_vocabulary


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


@dataclass
class _Prepared:
    """The validated project, where its pages go, and the first language's pages."""
    checked: CheckedProject
    # Every page's path under docs/ (`<lang>/formats/<slug>.md`) and the files the pages show (card images)
    # with their source files, known before the pages are rendered.
    # (In a fixed order: the engine processes the files in the order they are announced.)
    paths: dict[str, None]
    files: dict[str, Path]
    home_start: dict[str, str]  # the home page's way into the toolbox, placed under its title, by language
    first_pages: list[RenderedPage]


def _prepare(project: Project, vocabulary: Vocabulary, drafts: bool) -> _Prepared | list[Problem]:
    """Validate the project and render its first language's pages; the problems if it is not valid."""
    checked = check_project(project)
    if checked.problems:
        return checked.problems
    renderer = Renderer(checked.cards, vocabulary, project, drafts=drafts)
    codes = vocabulary.language_list.codes
    paths: dict[str, None] = {}
    files: dict[str, Path] = {}
    for lang in codes:
        for path, shown in renderer.outline(lang).items():
            paths[f"{lang}/{path}"] = None
            files.update({f"{lang}/{name}": source for name, source in shown})
    return _Prepared(checked, paths, files, {lang: renderer.home_start(lang) for lang in codes},
                     renderer.pages(codes[0]))


class GeneratedSite:
    """The validated project and its generated pages, for one state of the sources (`key`).

    With `background`, the work is done on the machine's other core while the engine starts its build: a
    forked process validates the project and renders the first language's pages (the engine needs them when it
    collects its files), then another renders the other languages' pages while the engine builds the first.
    The project's languages and interface words are read at once: the engine needs them from its start.

    Raises pipeline.model.InvalidContent, listing every problem, when a card, a chapter or a words file is
    broken; nothing is built then. (With `background`, from the first use of what validation gives.)"""

    def __init__(self, project: Project, drafts: bool, background: bool = True):
        self.project = project
        self.drafts = drafts
        self.key = (fingerprint(project), drafts)
        vocabulary, vocabulary_problems = check_vocabulary(project.vocabulary_file)
        interface, interface_problems = check_interface(project.interface_file)
        self._pages: dict[str, RenderedPage] = {}
        self._prepared: _Prepared | None = None
        self._preparing: Background[_Prepared | list[Problem]] | None = None
        self._result: _Prepared | list[Problem] | RenderError | None = None
        self._later: Background[list[RenderedPage]] | None = None
        self._background = background
        if vocabulary is None or interface is None:
            # The words every card needs are broken: the project's check reports them with the rest.
            problems = check_project(project).problems or vocabulary_problems + interface_problems
            raise InvalidContent(problems)
        self.vocabulary: Vocabulary = vocabulary
        self.interface: dict = interface
        if background:
            self._preparing = Background(lambda: _prepare(project, vocabulary, drafts))
        else:
            self._finish(_prepare(project, vocabulary, drafts))

    def _finish(self, prepared: _Prepared | list[Problem]) -> _Prepared:
        if isinstance(prepared, list):
            raise InvalidContent(prepared)
        self._prepared = prepared
        self._add(prepared.first_pages)
        prepared.first_pages = []
        others = self.languages.codes[1:]
        renderer = Renderer(prepared.checked.cards, self.vocabulary, self.project, drafts=self.drafts)
        if others and self._background:
            self._later = Background(lambda: [page for lang in others for page in renderer.pages(lang)])
        elif others:
            self._add(page for lang in others for page in renderer.pages(lang))
        return prepared

    def prepared(self) -> _Prepared:
        """What validation gives (waiting for it); raises InvalidContent or RenderError, each time asked."""
        if self._prepared is None:
            if self._preparing is not None:
                try:
                    self._result = self._preparing.result()
                except BackgroundError as error:
                    self._result = RenderError(f"the project could not be validated and rendered:\n{error}")
                self._preparing = None
            if self._result is None:
                raise RenderError("the project's validation was stopped")
            if isinstance(self._result, RenderError):
                raise self._result
            self._finish(self._result)
        return self._prepared

    @property
    def checked(self) -> CheckedProject:
        return self.prepared().checked

    @property
    def paths(self) -> dict[str, None]:
        return self.prepared().paths

    @property
    def files(self) -> dict[str, Path]:
        return self.prepared().files

    @property
    def home_start(self) -> dict[str, str]:
        return self.prepared().home_start

    def _add(self, pages) -> None:
        self._pages.update({f"{page.lang}/{page.path}": page for page in pages})

    def markdown(self, path: str) -> str:
        """The rendered page at `path` under docs/ (one of `paths`)."""
        self.prepared()
        if path not in self._pages and self._later is not None:
            try:
                self._add(self._later.result())
            except BackgroundError as error:
                raise RenderError(f"the pages of the other languages could not be rendered:\n{error}") from None
            self._later = None
        return self._pages[path].markdown

    def stop(self) -> None:
        """Stop the work in the background (the sources changed, or the build ended early)."""
        for work in (self._preparing, self._later):
            if work is not None:
                work.stop()
        self._preparing = self._later = None

    @property
    def languages(self):
        """The project's languages (pipeline.languages.Languages)."""
        return self.vocabulary.language_list

    def words(self, lang: str) -> dict:
        """The interface words of `lang` (formats/interface.yml)."""
        return {key: texts[lang] for key, texts in self.interface.items()}
