"""MkDocs hook, after mkdocs-static-i18n: give each generated page its rendered Markdown, and each image
a generated page shows its file in the card's folder."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs_adapter.pages import generated_files, generated_pages  # noqa: E402
from pipeline.images import web_image  # noqa: E402


@event_priority(-110)
def on_files(files: Files, config) -> Files:
    pages, images = generated_pages(config), generated_files(config)
    for file in files:  # their paths under docs/, as add_card_pages.py announced them
        if file.src_uri in pages:
            file.content_string = pages[file.src_uri].markdown
        elif file.src_uri in images:
            file.content_bytes = web_image(images[file.src_uri])  # the card's picture, sized for the web
    return files
