"""A Pagefind search index per language, made while the next language is built.

mkdocs-static-i18n builds the languages one after another. As soon as one language's pages are written, a
Pagefind process indexes them into `<language root>pagefind/` (`pagefind/`, `en/pagefind/`, `ro/pagefind/`),
on the machine's other core, while the build goes on with the next language; the build waits for all of them
at its end. Pagefind folds diacritics and stems German, English and Romanian words; each page's search box
(assets/search.js) loads the index of its own language only.

The default language's pages lie at the site's root, next to the other languages' folders, so its run is
limited by a glob to the folders and files of its own pages.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import IO

from pagefind.service import get_executable


class SearchIndexError(Exception):
    pass


@dataclass
class _Run:
    lang: str
    process: subprocess.Popen
    log: IO[str]


def glob_of(prefix: str, first_parts: set[str]) -> str:
    """Pagefind's glob for the pages of a language under `prefix`: its folder, or for the default language
    (prefix "") its own parts."""
    if prefix:
        return f"{prefix}**/*.html"
    parts = sorted(part if part.endswith(".html") else f"{part}/**/*.html" for part in first_parts)
    return "{" + ",".join(parts) + "}"


@dataclass
class SearchIndex:
    runs: list[_Run] = field(default_factory=list)
    written: dict[str, set[str]] = field(default_factory=dict)  # language → first parts of its pages' paths

    def page_written(self, lang: str, dest_uri: str) -> None:
        self.written.setdefault(lang, set()).add(dest_uri.split("/", 1)[0])

    def start(self, lang: str, prefix: str, site_dir: str) -> None:
        """Index the pages of `lang`, under `prefix` in the site, in the background."""
        binary = get_executable()  # the binary of the `pagefind[bin]` package, as `python -m pagefind` runs it
        if binary is None:
            raise SearchIndexError("Pagefind's binary is missing: install requirements.txt (pagefind[bin])")
        log = tempfile.TemporaryFile("w+", encoding="utf-8")  # not a pipe: a full pipe would stall Pagefind
        # Headings' permalink signs (¶) are not words of the page.
        command = [str(binary), "--site", site_dir, "--glob", glob_of(prefix, self.written.get(lang, set())),
                   "--output-subdir", f"{prefix}pagefind", "--exclude-selectors", ".headerlink"]
        self.runs.append(_Run(lang, subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True), log))

    def wait(self) -> list[str]:
        """Wait for every run; each language with the number of pages indexed. Raises SearchIndexError."""
        summary, failed = [], []
        for run in self.runs:
            code = run.process.wait()
            run.log.seek(0)
            output = run.log.read()
            run.log.close()
            if code != 0:
                failed.append(f"{run.lang}:\n{output}")
            pages = [line.strip() for line in output.splitlines() if "Indexed" in line and "page" in line]
            summary.append(f"{run.lang} {pages[0].removeprefix('Indexed ') if pages else '?'}")
        self.runs.clear()
        self.written.clear()
        if failed:
            raise SearchIndexError("Pagefind could not index the site:\n" + "\n".join(failed))
        return summary

    def stop(self) -> None:
        """End the runs of a build that stopped half-way (a broken card during `properdocs serve`)."""
        for run in self.runs:
            run.process.kill()
            run.process.wait()
            run.log.close()
        self.runs.clear()
        self.written.clear()
