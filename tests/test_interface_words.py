"""Interface words follow each language's grammar: plural forms by CLDR's rules (Romanian "20 de formate"),
and a language named in the language of the page."""

from __future__ import annotations

import re

import pytest

from conftest import build, make_project, serve
from pipeline.project import PROJECT
from pipeline.vocabulary import load_interface, load_vocabulary, plural

WORDS = load_interface(PROJECT.interface_file)


@pytest.mark.parametrize("count, expected", [(1, "1 pagină"), (2, "2 pagini"), (19, "19 pagini"),
                                             (20, "20 de pagini"), (61, "61 de pagini"), (101, "101 pagini"),
                                             (120, "120 de pagini")])
def test_romanian_counts_take_de_from_twenty(count, expected):
    assert plural(WORDS["pages"]["ro"], count, "ro").format(count=count) == expected


def test_german_and_english_counts():
    assert plural(WORDS["pages"]["de"], 1, "de").format(count=1) == "1 Seite"
    assert plural(WORDS["pages"]["en"], 61, "en").format(count=61) == "61 pages"


def test_a_plural_text_without_other_is_reported(project):
    from pipeline.project import Project
    from pipeline.validate import check_project

    path = project / "formats" / "interface.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('{one: "{count} pagină", few: "{count} pagini", other: "{count} de pagini"}',
                                 '{one: "{count} pagină", few: "{count} pagini"}'), encoding="utf-8")
    problems = check_project(Project(project), project / "formats", project / "docs").problems
    assert [(p.field, p.line is not None) for p in problems] == [("pages.ro", True)]


def test_the_catalogue_counts_and_the_notice_names_languages_in_the_page_language(tmp_path, browser):
    from benchmarks.scale import add_synthetic_cards

    project = make_project(tmp_path / "project")
    add_synthetic_cards(project / "formats", 19, load_vocabulary(project / "formats" / "vocabularies.yml"))
    assert build(project, env={"TOOLBOX_PDF": "off"}).returncode == 0
    with serve(project / "site") as url:
        page = browser.new_page()
        page.goto(url + "ro/formats/")
        status = page.locator("[data-catalog-count]")
        assert status.inner_text() == "21 din 21 de formate"  # before the script and after it
        page.locator("details.catalog-filters-box").evaluate("box => box.open = true")
        page.locator('input[name="theme"][value="heat"]').check()
        page.wait_for_function("() => location.search !== ''")
        assert re.fullmatch(r"\d+ din 21 de formate", status.inner_text())
        page.goto(url + "en/formats/")
        assert page.locator("[data-catalog-count]").inner_text() == "21 of 21 formats"
        page.goto(url + "ro/formats/shade-map/")  # English text only
        notice = page.locator(".toolbox-notice").inner_text()
        assert "(engleză)" in notice and "English" not in notice
        page.goto(url + "formats/shade-map/")
        assert "(Englisch)" in page.locator(".toolbox-notice").inner_text()
        page.close()


def test_the_romanian_footer_counts_the_booklet_pages(repository_site):
    footer = (repository_site / "ro" / "index.html").read_text(encoding="utf-8")
    pages = int(re.search(r"PDF, [^,]+, (\d+) ", footer).group(1))
    assert re.search(rf"{pages} {'de ' if pages % 100 >= 20 or pages % 100 == 0 else ''}pagini\)", footer)
