"""Shared test helpers: small fixture projects built from this repository's code and templates."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.local_site import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: F401  (used by the tests)

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CARDS = ROOT / "tests" / "fixtures" / "cards"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # axe-core, from npm (package.json)

PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "scripts")
SHARED_FORMAT_FILES = ("languages.yml", "vocabularies.yml", "facts.yml", "interface.yml", "card.schema.json",
                       "content-rules.yml", "terminology.yml")


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command of the project as a user would, capturing its output."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def toolbox(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return run(str(ROOT / "scripts" / "toolbox.py"), *args, cwd=cwd)


def make_project(target: Path, cards: tuple[str, ...] = ("street-party", "shade-map"),
                 with_chapters: bool = False) -> Path:
    """A copy of this project whose formats/ holds only the named fixture cards."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    if not with_chapters:
        # Keep the home pages and the statements only, and a nav that lists just the generated pages.
        kept = ("index.md", "accessibility.md", "privacy.md", "imprint.md")
        for page in (target / "docs").rglob("*.md"):
            if page.name not in kept:
                page.unlink()
            else:  # a link to a chapter left out becomes its text
                text = page.read_text(encoding="utf-8")
                text = re.sub(r"\[([^\]]*)\]\((?!(?:" + "|".join(map(re.escape, kept)) + r")\b)[\w-]+\.md(#[\w-]*)?\)",
                              r"\1", text)
                page.write_text(text, encoding="utf-8")
        config = (target / "mkdocs.yml").read_text(encoding="utf-8")
        for chapter in ("living-lab", "setting-up", "transfer", "glossary", "about"):
            config = config.replace(f"  - {chapter}.md\n", "")
        (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    formats = target / "formats"
    formats.mkdir()
    for name in SHARED_FORMAT_FILES:
        shutil.copy2(ROOT / "formats" / name, formats / name)
    for card in cards:
        shutil.copytree(FIXTURE_CARDS / card, formats / card)
    return target


def build(project: Path, site: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    site = site or project / "site"
    return run("-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site), cwd=project,
               env=env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def repository_site(tmp_path_factory) -> Path:
    """This repository, built as a user builds it: `properdocs build --strict`, PDFs included.

    Built once for the whole run: pytest-xdist's workers (pyproject.toml: one test module per worker at a time)
    share the folder above their own temporary folders, and the first to need the site builds it there while
    the others wait on a lock."""
    import fcntl

    shared = tmp_path_factory.getbasetemp()
    shared = shared.parent if os.environ.get("PYTEST_XDIST_WORKER") else shared
    site, log = shared / "repository" / "site", shared / "repository" / "build.log"
    with open(shared / "repository.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            result = build(ROOT, site)
            log.parent.mkdir(exist_ok=True)
            log.write_text(f"{result.returncode}\n{result.stderr}", encoding="utf-8")
    returncode, _, stderr = log.read_text(encoding="utf-8").partition("\n")
    assert returncode == "0", stderr
    assert "WARNING" not in stderr, stderr
    return site


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by Playwright (never Playwright's own browser download).

    The site's Content-Security-Policy forbids eval: give `wait_for_function` a function ("() => …"), which
    Playwright calls, not an expression string, which it would evaluate in the page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def repository_url(repository_site):
    with serve(repository_site) as url:
        yield url


def read_csv(path: Path, lang: str) -> list[dict[str, str]]:
    """The rows of one of the site's CSV files, read as a spreadsheet in `lang` reads it."""
    import csv

    from pipeline.open_data import csv_delimiter

    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=csv_delimiter(lang)))
