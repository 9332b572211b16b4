#!/usr/bin/env python3
"""The toolbox's command line: check, create and follow the format cards.

Run `python scripts/toolbox.py --help`, or `--help` after any command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from pipeline.model import InvalidContent
from pipeline.project import PROJECT, Project
from pipeline.scaffold import ScaffoldError, create_card
from pipeline.schema import schema_json
from pipeline.status import status_table, translation_status
from pipeline.validate import check_cards, check_project
from pipeline.vocabulary import load_vocabulary

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Check, create and follow the participation-format cards in formats/.")

FormatsOption = typer.Option(PROJECT.formats_dir, "--formats", help="The folder holding the card folders.",
                             file_okay=False, exists=True)


def github_annotation(problem) -> str:
    """A problem as GitHub Actions' workflow command, which shows it on the changed line of a pull request."""
    def escape(text: str, property_value: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if property_value else text

    try:
        path = problem.path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        path = problem.path
    where = f"file={escape(str(path), True)}" + (f",line={problem.line}" if problem.line else "")
    return f"::error {where},title={escape(problem.field, True)}::{escape(problem.message)}"


def project_for(formats: Path) -> Project:
    """The project a cards' folder belongs to: the folder that holds it, where it has its own vocabularies
    (a copy of the project), else this repository."""
    formats = formats.resolve()
    return Project(formats.parent) if Project(formats.parent).vocabulary_file.is_file() else PROJECT


@app.command()
def check(formats: Path = FormatsOption) -> None:
    """Validate every card and chapter. Prints one line per problem (path:line: field: message); exit 1 if any."""
    project = project_for(formats)
    checked = check_project(project, formats.resolve(), formats.resolve().parent / "docs")
    cards, problems = checked.cards, checked.problems
    for problem in problems:
        typer.echo(str(problem))
    if os.environ.get("GITHUB_ACTIONS") == "true":  # each problem shown on its line of the pull request
        for problem in problems:
            typer.echo(github_annotation(problem))
    if problems:
        typer.echo(f"{len(problems)} problem(s) found.", err=True)
        raise typer.Exit(1)
    published = sum(card.published for card in cards)
    typer.echo(f"All {len(cards)} cards are valid ({published} published, {len(cards) - published} draft)"
               f" and all {len(checked.chapters)} chapter pages.")


@app.command()
def new(
    slug: str = typer.Argument(..., help="The card's identifier: lowercase English words joined by hyphens."),
    theme: str = typer.Option("process", help="The card's theme (see formats/vocabularies.yml)."),
    lang: str = typer.Option(None, help="The language you write first (default: the site's default language)."),
    formats: Path = FormatsOption,
) -> None:
    """Create formats/SLUG/ with card.yml and a text per language, as a draft that `check` accepts."""
    vocabulary = load_vocabulary(project_for(formats).vocabulary_file)
    lang = lang or vocabulary.language_list.default
    try:
        folder = create_card(formats, slug, theme, lang, vocabulary)
    except ScaffoldError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Created {folder}/: fill in card.yml and {lang}.md, then run "
               "`python scripts/toolbox.py check`. Set status: published when it is ready.")


@app.command()
def status(formats: Path = FormatsOption) -> None:
    """Show which card is complete, missing or out of date in which language."""
    vocabulary = load_vocabulary(project_for(formats).vocabulary_file)
    cards, problems = check_cards(formats, vocabulary)
    typer.echo(status_table(translation_status(cards, vocabulary.codes), vocabulary.codes))
    if problems:
        typer.echo(f"\n{len(problems)} problem(s) keep some cards out of this table: run `check`.", err=True)


@app.command()
def pdf(
    lang: list[str] = typer.Option(None, "--lang", help="A language to build; repeat for several (default: all)."),
    site: Path = typer.Option(PROJECT.root / "site", help="The site folder; PDFs go to its downloads/."),
) -> None:
    """Build the printable toolbox (site/downloads/toolbox-LANG.pdf) and every card's PDF, without the site
    (and without a site engine: publisher, contact and address come from mkdocs.yml, read as plain YAML)."""
    from pipeline.pdf_files import LayoutError

    codes = PROJECT.languages.codes
    lang = lang or list(codes)
    unknown = [code for code in lang if code not in codes]
    if unknown:
        typer.echo(f"error: unknown language {', '.join(unknown)}; use one of: {', '.join(codes)}", err=True)
        raise typer.Exit(1)
    try:
        pdfs = _print_edition(lang, site, typer.echo)
    except InvalidContent as error:
        typer.echo("\n".join(str(p) for p in error.problems), err=True)
        raise typer.Exit(1) from None
    except LayoutError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    booklets = {path: pdf for path, pdf in pdfs.items() if "/toolbox-" in path}
    for path, booklet in booklets.items():
        typer.echo(f"Wrote {site / path} ({booklet.pages} pages) and {len(pdfs) // len(booklets) - 1} card PDFs")


def _print_edition(languages: list[str], site: Path, progress, processes: int | None = None) -> dict:
    """The PDFs of `languages`, written into `site` (the project validated first)."""
    from pipeline.print_build import render_print_edition, write_pdfs
    from pipeline.site_config import read_site_settings
    from pipeline.validate import valid_project

    settings = read_site_settings(PROJECT.root / "mkdocs.yml")
    pdfs = render_print_edition(PROJECT, valid_project(PROJECT), settings, languages, progress, processes)
    write_pdfs(pdfs, site)
    return pdfs


@app.command()
def bench(
    cards: int = typer.Option(0, help="Add this many synthetic cards to a copy of the project and measure it."),
    pdf: bool = typer.Option(True, help="With --cards: also build and time the PDFs."),
    repeat: int = typer.Option(3, help="How many times each build runs, taking turns (the fastest counts)."),
    pdfs: bool = typer.Option(False, "--pdfs", help="Time each PDF alone, one after another (pages, size)."),
) -> None:
    """Measure, side by side in one run: the release build (every PDF) and a rebuild after one card's text
    changed against the HTML-only build; with --cards N how the toolbox scales (check, HTML build against a
    plain build of the same pages, PDFs, search index, catalogue, memory); with --pdfs each PDF alone."""
    if cards:
        from benchmarks.scale import run

        run(PROJECT.root, cards, pdf, typer.echo, repeat)
        return
    from pipeline.pdf import slow_font_subsetting

    if note := slow_font_subsetting():
        typer.echo(f"Note: {note}; these figures are not the toolbox's.")
    if not pdfs:
        from benchmarks.builds import run as run_builds

        run_builds(PROJECT.root, typer.echo, repeat)
        return
    import tempfile

    os.environ["TOOLBOX_PDF_CACHE"] = "off"  # every document laid out, one after another: their own times
    with tempfile.TemporaryDirectory() as site:
        rendered = _print_edition(list(PROJECT.languages.codes), Path(site), lambda _: None, processes=1)
    typer.echo(f"{'PDF':<22} {'pages':>6} {'seconds':>8} {'size (kB)':>10}")
    for lang in PROJECT.languages.codes:
        booklet = rendered[f"downloads/toolbox-{lang}.pdf"]
        singles = [pdf for path, pdf in rendered.items() if path.startswith(f"downloads/{lang}/")]
        typer.echo(f"{'booklet ' + lang:<22} {booklet.pages:>6} {booklet.seconds:>8.1f} "
                   f"{len(booklet.data) / 1000:>10.0f}")
        typer.echo(f"{f'{len(singles)} cards ' + lang:<22} {sum(c.pages for c in singles):>6} "
                   f"{sum(c.seconds for c in singles):>8.1f} {sum(len(c.data) for c in singles) / 1000:>10.0f}")


@app.command()
def lighthouse(
    lang: list[str] = typer.Option(None, "--lang", help="A language to measure; repeat for several (default: all)."),
) -> None:
    """Lighthouse's four scores (mobile) for the home, catalogue, card and chapter pages of each language."""
    from benchmarks.lighthouse import run

    run(PROJECT.root, lang or list(PROJECT.languages.codes), typer.echo)


@app.command()
def publishable(config: Path = typer.Option(PROJECT.root / "mkdocs.yml", help="The site's configuration.")) -> None:
    """Exit 1 unless the configuration names who runs the site (extra.operator, extra.contact): the legal
    notice, the accessibility statement and the privacy notice need them before the site is published."""
    from pipeline.site_config import publishing_problems

    problems = publishing_problems(config)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo("The site is not ready to be published: fill in these settings.", err=True)
        raise typer.Exit(1)
    typer.echo("The operator and the contact are named.")


@app.command()
def schema() -> None:
    """Write formats/card.schema.json and the field reference in CONTRIBUTING*.md from formats/vocabularies.yml."""
    from pipeline.field_reference import field_reference, guides, with_reference

    vocabulary = load_vocabulary()
    PROJECT.schema_file.write_text(schema_json(vocabulary), encoding="utf-8")
    typer.echo(f"Wrote {PROJECT.schema_file}")
    for lang, guide in guides(PROJECT.root).items():
        if not guide.is_file():
            continue
        guide.write_text(with_reference(guide.read_text(encoding="utf-8"), field_reference(vocabulary, lang)),
                         encoding="utf-8")
        typer.echo(f"Updated the field reference in {guide}")


def main() -> None:
    """Run a command; broken project files (vocabularies, interface words) are reported, never a traceback."""
    try:
        app()
    except InvalidContent as error:
        typer.echo("\n".join(str(problem) for problem in error.problems), err=True)
        typer.echo(f"{len(error.problems)} problem(s) found: run `python scripts/toolbox.py check`.", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
