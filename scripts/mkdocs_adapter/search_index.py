"""MkDocs hook: a Pagefind search index per language, made while the next language is built.

mkdocs-static-i18n builds the languages one after another. As soon as one language's pages are written, a
Pagefind process indexes them into `<language root>pagefind/` (`pagefind/`, `en/pagefind/`, `ro/pagefind/`),
on the machine's other core, while this process goes on with the next language; the build waits for all
of them at its end. Pagefind folds diacritics and stems German, English and Romanian words; each page's
search box (assets/search.js) loads the index of its own language only.

The default language's pages lie at the site's root, next to the other languages' folders, so its run is
limited by a glob to the folders and files of its own pages.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from pagefind.service import get_executable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.project import language_prefix  # noqa: E402


@dataclass
class _Run:
    lang: str
    process: subprocess.Popen
    log: IO[str]


_runs: list[_Run] = []
_written: dict[str, set[str]] = {}  # language → the first parts of its pages' paths (`index.html`, `formats`, …)


def _stop_all() -> None:
    """End the runs of a build that stopped half-way (a broken card during `mkdocs serve`)."""
    for run in _runs:
        run.process.kill()
        run.process.wait()
        run.log.close()
    _runs.clear()


def _language(config) -> str:
    return config.plugins["i18n"].current_language


def on_pre_build(config):
    if not config.plugins["i18n"].building:  # the start of a whole build, not of one of its languages
        _stop_all()
        _written.clear()


def on_post_page(output: str, page, config):
    _written.setdefault(_language(config), set()).add(page.file.dest_uri.split("/", 1)[0])
    return output


def on_build_error(error):
    _stop_all()


def glob_of(lang: str, first_parts: set[str]) -> str:
    """Pagefind's glob for the pages of `lang`: its folder, or for the default language its own parts."""
    prefix = language_prefix(lang)
    if prefix:
        return f"{prefix}**/*.html"
    parts = sorted(part if part.endswith(".html") else f"{part}/**/*.html" for part in first_parts)
    return "{" + ",".join(parts) + "}"


@event_priority(-90)  # before mkdocs-static-i18n's on_post_build, which goes on to build the next language
def _start(config):
    lang = _language(config)
    log = tempfile.TemporaryFile("w+", encoding="utf-8")  # not a pipe: a full pipe would stall Pagefind
    # Headings' permalink signs (¶) are not words of the page.
    binary = get_executable()  # the binary of the `pagefind[bin]` package, as `python -m pagefind` runs it
    if binary is None:
        raise PluginError("Pagefind's binary is missing: install requirements.txt (pagefind[bin])")
    command = [str(binary), "--site", config.site_dir, "--glob",
               glob_of(lang, _written.get(lang, set())), "--output-subdir", f"{language_prefix(lang)}pagefind",
               "--exclude-selectors", ".headerlink"]
    _runs.append(_Run(lang, subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True), log))


@event_priority(-130)  # after mkdocs-static-i18n's, which has built the other languages, and the other hooks'
def _wait(config):
    if config.plugins["i18n"].building:
        return  # one language's build inside the i18n loop: the whole build waits at its end
    summary, failed = [], []
    for run in _runs:
        code = run.process.wait()
        run.log.seek(0)
        output = run.log.read()
        run.log.close()
        if code != 0:
            failed.append(f"{run.lang}:\n{output}")
        pages = [line.strip() for line in output.splitlines() if "Indexed" in line and "page" in line]
        summary.append(f"{run.lang} {pages[0].removeprefix('Indexed ') if pages else '?'}")
    _runs.clear()
    if failed:
        raise PluginError("Pagefind could not index the site:\n" + "\n".join(failed))
    print(f"INFO    -  Search: {', '.join(summary)}", flush=True)


on_post_build = CombinedEvent(_start, _wait)
