"""The pipeline run the two MkDocs hooks share: load, validate and render every generated page.

The project is the folder of the MkDocs config file (this repository, or a test fixture).
mkdocs-static-i18n builds the site once per language, so the hooks are called three times per build;
the result is kept while no file under formats/ or overrides/toolbox/ changes (as in `mkdocs serve`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.model import InvalidContent  # noqa: E402
from pipeline.project import Project  # noqa: E402
from pipeline.render import RenderedPage, Renderer  # noqa: E402
from pipeline.validate import CheckedProject, valid_project  # noqa: E402
from pipeline.vocabulary import load_vocabulary  # noqa: E402

_cache: dict[tuple, dict[str, RenderedPage]] = {}
_checked: dict[tuple, CheckedProject] = {}
# Whether the site is being previewed (`mkdocs serve`): drafts are shown then, marked as drafts. Set by the
# add_card_pages hook at startup.
MODE = {"preview": False}


def project_of(config) -> Project:
    return Project(Path(config.config_file_path).resolve().parent)


def fingerprint(project: Project, with_print: bool = False) -> tuple:
    """What the generated pages (and, `with_print`, the PDFs) depend on: every source file's time and size."""
    folders = [project.formats_dir, project.docs_dir, project.templates_dir]
    folders += [project.print_dir] if with_print else []
    stats = []
    for folder in folders:
        for directory, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(directory, name)
                stat = os.stat(path)
                stats.append((path, stat.st_mtime_ns, stat.st_size))
    return (project.root, *sorted(stats))


def checked_project(config) -> CheckedProject:
    """The project's cards and chapters, validated once per change of the sources (all hooks share it)."""
    project = project_of(config)
    key = fingerprint(project)
    if key not in _checked:
        try:
            checked = valid_project(project)
        except InvalidContent as error:
            problems = "\n".join(f"  {p}" for p in error.problems)
            raise PluginError(f"The cards or chapters have {len(error.problems)} problem(s); "
                              f"nothing was built:\n{problems}") from None
        _checked.clear()
        _checked[key] = checked
    return _checked[key]


def generated_pages(config) -> dict[str, RenderedPage]:
    """Every generated page, keyed by its path under docs/ (`<lang>/formats/<slug>.md`)."""
    project = project_of(config)
    key = (fingerprint(project), MODE["preview"])
    if key not in _cache:
        cards = checked_project(config).cards
        pages = Renderer(cards, load_vocabulary(project.vocabulary_file), project,
                         drafts=MODE["preview"]).all_pages()
        _cache.clear()
        _cache[key] = {f"{page.lang}/{page.path}": page for page in pages}
    return _cache[key]


def generated_files(config) -> dict[str, Path]:
    """The files the generated pages show (card images), keyed by their path under docs/
    (`<lang>/formats/<slug>/<name>`), with the source file in the card's folder."""
    return {f"{page.lang}/{path}": source for page in generated_pages(config).values() for path, source in page.files}
