"""How the toolbox grows: a copy of the project with N synthetic cards, measured step by step.

The HTML build is compared with a plain `mkdocs build` of the same pages written as ordinary Markdown files
(no hooks), on the same machine, in the same run.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PARTS = ("mkdocs.yml", "docs", "overrides", "scripts", "formats")
WORDS = {
    "de": "Quartier Hitze Starkregen Nachbarschaft Verwaltung Garten Wasser Keller Schatten Treffen Plan Stadt".split(),
    "en": "neighbourhood heat rain residents council garden water basement shade meeting plan city".split(),
    "ro": "cartier caniculă ploaie locuitori primărie grădină apă subsol umbră întâlnire plan oraș".split(),
}


def _text(vocabulary, lang: str, i: int, rng: random.Random) -> str:
    sections = "\n".join(
        f"## {heading}\n\n" + " ".join(rng.choice(WORDS[lang]) for _ in range(80)) + f" ({i}).\n"
        for heading in vocabulary.section_headings(lang).values())
    return f"---\ntitle: Synthetic format {i} ({lang})\nsummary: A synthetic card for measuring, number {i}.\n" \
           f"revision: 1\n---\n\n{sections}"


def add_synthetic_cards(formats: Path, count: int, vocabulary) -> None:
    """`count` valid, published cards in three languages, with facts cycling through the vocabularies."""
    rng = random.Random(7)
    themes, hazards = vocabulary.values("themes"), vocabulary.values("hazards")
    groups, levels = vocabulary.values("target_groups"), vocabulary.values("levels")
    for i in range(count):
        folder = formats / f"synthetic-{i:04d}"
        folder.mkdir()
        related = f"[synthetic-{(i + 1) % count:04d}]" if count > 1 else "[]"
        (folder / "card.yml").write_text(
            f"slug: synthetic-{i:04d}\nstatus: published\nsource_language: en\ntheme: {themes[i % len(themes)]}\n"
            f"hazards: [{hazards[i % len(hazards)]}]\ntarget_groups: [{groups[i % len(groups)]}]\n"
            f"settings: [on-site]\neffort: {levels[i % len(levels)]}\nrelated: {related}\n"
            f"sources:\n  - id: synthetic\n    title: Synthetic source {i}\n", encoding="utf-8")
        for lang in ("de", "en", "ro"):
            (folder / f"{lang}.md").write_text(_text(vocabulary, lang, i, rng), encoding="utf-8")


def _timed(args: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _plain_project(project: Path, plain: Path) -> None:
    """The same site as ordinary Markdown files: the generated pages written into docs/, no hooks."""
    from pipeline.project import Project
    from pipeline.render import Renderer
    from pipeline.validate import valid_project
    from pipeline.vocabulary import load_vocabulary

    shutil.copytree(project, plain, ignore=shutil.ignore_patterns("site"))
    source = Project(project)
    for page in Renderer(valid_project(source).cards, load_vocabulary(source.vocabulary_file), source).all_pages():
        target = plain / "docs" / page.lang / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        for path, source in page.files:  # card images
            image = plain / "docs" / page.lang / path
            image.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, image)
    config = (plain / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^  - toolbox\n", "", config, flags=re.M)  # no plugin of the toolbox's
    # ... which gives mkdocs-static-i18n the project's languages: written out here instead
    languages = source.languages
    listed = "".join(f"        - locale: {code}\n          name: {name}\n" + ("          default: true\n"
                                                                         if code == languages.default else "")
                     for code, name in languages.names.items())
    config = re.sub(r"^      languages:\n(?:        .*\n)+", "      languages:\n" + listed, config, flags=re.M)
    # Not strict: the statements' placeholders ({{ contact }}) are links only the toolbox plugin fills.
    config = config.replace("strict: true", "strict: false")
    (plain / "mkdocs.yml").write_text(config, encoding="utf-8")
    for override in ("main.html", "404.html", "partials/copyright.html"):  # they need the plugin's context
        (plain / "overrides" / override).unlink()


def _browser_times(site: Path) -> dict[str, float]:
    """In Debian's chromium: the slowest of a few filter changes in the catalogue and of a few "add to plan"
    clicks on its tiles (each click runs the whole change), and the plan page of 50 formats: reading its data
    and drawing it (plan.js measures that as "toolbox-plan"), best of three loads."""
    from playwright.sync_api import sync_playwright

    from .local_site import CHROMIUM, CHROMIUM_ARGS, serve

    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "en/formats/")
        click_each = """selector => Array.from(document.querySelectorAll(selector)).slice(0, 8)
            .map(input => { const start = performance.now(); input.click(); return performance.now() - start; })"""
        filters = page.evaluate(click_each, "[data-catalog-filters] input")
        figures = {"filter change in the catalogue (ms)": max(filters),
                   "add to plan in the catalogue (ms)": max(page.evaluate(click_each, "[data-plan-add]"))}
        slugs = page.eval_on_selector_all("[data-plan-add]", "buttons => buttons.map(b => b.dataset.planAdd)")[:50]
        drawn = []
        for _ in range(3):
            page.goto(base + "en/plan/?formats=" + ",".join(slugs))
            page.wait_for_selector(".plan-list__item")
            drawn.append(page.evaluate("performance.getEntriesByName('toolbox-plan')[0].duration"))
        figures["plan page of 50 formats, drawn (ms)"] = min(drawn)
        browser.close()
    return figures


def run(root: Path, count: int, pdf: bool, echo: Callable[[str], None], repeat: int = 3) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / "project"
        project.mkdir()
        for part in PARTS:
            (shutil.copytree if (root / part).is_dir() else shutil.copy2)(root / part, project / part)
        from pipeline.vocabulary import load_vocabulary

        add_synthetic_cards(project / "formats", count, load_vocabulary(project / "formats" / "vocabularies.yml"))
        total = len([p for p in (project / "formats").iterdir() if p.is_dir()])
        python = sys.executable
        figures["check (s)"] = _timed([python, "scripts/toolbox.py", "check"], project)
        build = [python, "-m", "mkdocs", "build", "--quiet"]
        _plain_project(project, Path(temp) / "plain")
        # Side by side, taking turns, `repeat` times each: a shared virtual machine's timings vary by a fifth
        # from run to run, and the fastest run of each is the one least disturbed.
        ours, plain = [], []
        for _ in range(repeat):
            ours.append(_timed(build, project, {"TOOLBOX_PDF": "off"}))
            plain.append(_timed(build, Path(temp) / "plain"))
        echo(f"  HTML builds:  {', '.join(f'{t:.1f}' for t in ours)} s")
        echo(f"  plain builds: {', '.join(f'{t:.1f}' for t in plain)} s")
        figures["HTML build, fastest (s)"] = min(ours)
        figures["plain mkdocs build, fastest (s)"] = min(plain)
        figures["build / plain"] = min(ours) / min(plain)
        # The builds' peak, read before the browser below (a child process too) can add its own.
        figures["peak memory of a build (MiB)"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if pdf:
            for lang in ("de", "en", "ro"):
                start = time.perf_counter()
                output = subprocess.run([python, "scripts/toolbox.py", "pdf", "--lang", lang], cwd=project,
                                        capture_output=True, text=True, check=True).stdout
                figures[f"PDFs {lang} (s)"] = time.perf_counter() - start
                booklet = re.search(r"booklet, (\d+) pages, ([\d.]+) s", output)  # "PDF de: booklet, 61 pages, 8.1 s"
                figures[f"booklet {lang} (pages)"] = float(booklet[1])
                figures[f"booklet {lang} (s)"] = float(booklet[2])
            figures["peak memory with the PDFs (MiB)"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        site = project / "site"
        bundles = [entry.parent for entry in site.rglob("pagefind-entry.json")]
        for bundle in bundles:  # one Pagefind bundle per language
            for lang, info in json.loads((bundle / "pagefind-entry.json").read_text())["languages"].items():
                figures[f"search pages {lang}"] = info["page_count"]
        figures["search index, all languages (KiB)"] = sum(
            f.stat().st_size for bundle in bundles for f in bundle.rglob("*") if f.is_file()) / 1024
        catalog = (site / "formats" / "index.html").read_bytes()
        figures["catalog page (KiB, gzip)"] = len(gzip.compress(catalog)) / 1024
        figures["plan page (KiB, gzip)"] = len(gzip.compress((site / "plan" / "index.html").read_bytes())) / 1024
        figures.update(_browser_times(site))
        card_pages = list((site / "formats").glob("*/index.html"))
        figures["largest card page (KiB)"] = max(p.stat().st_size for p in card_pages) / 1024
    echo(f"{total} cards ({count} synthetic):")
    for name, value in figures.items():
        echo(f"  {name:<36} {value:>10.2f}")
    return figures
