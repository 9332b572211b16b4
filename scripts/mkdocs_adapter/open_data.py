"""MkDocs hook: write the catalogue as open data into site/data/ once all languages are built."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs_adapter.pages import checked_project, project_of  # noqa: E402
from mkdocs_adapter.print_pdfs import edition_date  # noqa: E402
from pipeline.open_data import open_data_files  # noqa: E402
from pipeline.vocabulary import load_vocabulary  # noqa: E402


@event_priority(-120)  # after mkdocs-static-i18n's on_post_build, which builds the other languages
def on_post_build(config):
    if config.plugins["i18n"].building:
        return
    project = project_of(config)
    files = open_data_files(checked_project(config).cards, load_vocabulary(project.vocabulary_file),
                            config.site_url or "", edition_date().isoformat())
    folder = Path(config.site_dir) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
