"""MkDocs hook: index the built site with Pagefind, once all languages are built.

Pagefind makes one index per `<html lang>`, so each language's pages find only that language; it folds
diacritics and stems German, English and Romanian words.
"""

from __future__ import annotations

import subprocess
import sys

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority


@event_priority(-120)  # after mkdocs-static-i18n's on_post_build, which builds the other languages
def on_post_build(config):
    if config.plugins["i18n"].building:
        return  # a language build inside the i18n loop: index once, at the end
    # Headings' permalink signs (¶) are not words of the page.
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", config.site_dir,
                             "--exclude-selectors", ".headerlink"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise PluginError(f"Pagefind could not index the site:\n{result.stdout}\n{result.stderr}")
    summary = [line.strip() for line in result.stdout.splitlines() if "Indexed" in line]
    print(f"INFO    -  Search: {'; '.join(summary) or 'indexed'}", flush=True)
