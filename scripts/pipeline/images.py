"""Images in card texts: files in the card's folder, referred to by their names (`![A plan](plan.png)`).

The checker refuses web addresses and missing files; the site publishes each image a page uses next to
that card's page, and the PDFs embed them from the card's folder.
"""

from __future__ import annotations

import re

IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<md>[^)\s>]+)|<img\b[^>]*\ssrc\s*=\s*[\"']?(?P<html>[^\"'\s>]+)",
                   re.I)
HTML_ALT = re.compile(r"\salt\s*=\s*(\"[^\"]*\S[^\"]*\"|'[^']*\S[^']*'|[^\s\"'>]+)", re.I)
WEB_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def image_sources(text: str) -> list[str]:
    """The `src` of every image in Markdown or HTML `text`, in order."""
    return [match["md"] or match["html"] for match in IMAGE.finditer(text)]


def undescribed_images(text: str) -> list[str]:
    """The `src` of every image in `text` without a description (alt text) for readers who cannot see it."""
    found = []
    for match in IMAGE.finditer(text):
        if match["md"] and not match["alt"].strip():
            found.append(match["md"])
        elif match["html"] and not HTML_ALT.search(text[match.start():text.find(">", match.start()) + 1]):
            found.append(match["html"])
    return found


def relocate_images(markdown: str, folder: str) -> tuple[str, list[str]]:
    """`markdown` with every local image referred to inside `folder/`, and those images' names."""
    names: list[str] = []

    def move(match: re.Match) -> str:
        group = "md" if match["md"] else "html"
        source = match[group]
        if WEB_ADDRESS.match(source):
            return match[0]
        names.append(source)
        start, end = match.start(group) - match.start(), match.end(group) - match.start()
        return f"{match[0][:start]}{folder}/{source}{match[0][end:]}"

    return IMAGE.sub(move, markdown), list(dict.fromkeys(names))
