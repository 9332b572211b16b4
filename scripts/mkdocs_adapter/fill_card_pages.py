"""MkDocs hook, after mkdocs-static-i18n: give each generated page its rendered Markdown."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs_adapter.pages import generated_pages  # noqa: E402


@event_priority(-110)
def on_files(files: Files, config) -> Files:
    pages = generated_pages(config)
    docs_dir = Path(config.docs_dir)
    for file in files.documentation_pages():
        key = Path(file.abs_src_path).relative_to(docs_dir).as_posix()
        if key in pages:
            file.content_string = pages[key].markdown
    return files
