"""The pipeline's products for the site, made once per change of the sources and kept by the plugin."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.project import Project
from pipeline.render import RenderedPage, Renderer
from pipeline.validate import CheckedProject, valid_project
from pipeline.vocabulary import Vocabulary, load_interface, load_vocabulary


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

    Raises pipeline.model.InvalidContent, listing every problem, when a card, a chapter or a words file is
    broken; nothing is built then."""

    def __init__(self, project: Project, drafts: bool):
        self.project = project
        self.key = (fingerprint(project), drafts)
        self.checked: CheckedProject = valid_project(project)
        self.vocabulary: Vocabulary = load_vocabulary(project.vocabulary_file)
        self.interface: dict = load_interface(project.interface_file)
        pages = Renderer(self.checked.cards, self.vocabulary, project, drafts=drafts).all_pages()
        # keyed by their paths under docs/: `<lang>/formats/<slug>.md`
        self.pages: dict[str, RenderedPage] = {f"{page.lang}/{page.path}": page for page in pages}
        # the files the pages show (card images), keyed by their paths under docs/, with their source files
        self.files: dict[str, Path] = {f"{page.lang}/{path}": source
                                       for page in pages for path, source in page.files}

    @property
    def languages(self):
        """The project's languages (pipeline.languages.Languages)."""
        return self.vocabulary.language_list

    def words(self, lang: str) -> dict:
        """The interface words of `lang` (formats/interface.yml)."""
        return {key: texts[lang] for key, texts in self.interface.items()}
