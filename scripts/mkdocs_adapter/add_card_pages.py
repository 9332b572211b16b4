"""MkDocs hook, before mkdocs-static-i18n: announce the generated pages, and the images they show, as files
under docs/.

No file is written: the i18n plugin only needs each page's path to lie inside docs_dir. Their content
is filled in by fill_card_pages.py, which runs after the i18n plugin.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs_adapter.pages import MODE, generated_files, generated_pages  # noqa: E402


def on_startup(command: str, dirty: bool) -> None:
    MODE["preview"] = command == "serve"  # the preview shows drafts too; a build never publishes one


@event_priority(100)
def on_files(files: Files, config) -> Files:
    for path in [*generated_pages(config), *generated_files(config)]:
        if files.get_file_from_path(path) is None:
            files.append(File(path, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files
