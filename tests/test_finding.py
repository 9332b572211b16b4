"""Finding a format in a real browser: the search box of each language, and the catalogue's filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build, make_project, serve
from pipeline.project import PROJECT
from pipeline.validate import valid_project
from pipeline.vocabulary import load_vocabulary

CARDS = {card.slug: card for card in valid_project(PROJECT).cards if card.published}
PREFIX = {code: PROJECT.languages.prefix(code) for code in PROJECT.languages.codes}
# the catalogue's filters: their names in the address, and the card field each filters by
FACETS = {fact.label: fact.key for fact in load_vocabulary().facts if fact.facet}

# (language, what a user types, a card it must find). Without diacritics, with them, inflected, in other
# spellings: as people type on phones and keyboards that lack ș ț ă ß.
QUERIES = [
    ("ro", "caldura", "heat-telephone"),
    ("ro", "căldura", "heat-telephone"),
    ("ro", "caldură", "heat-telephone"),
    ("ro", "canicula", "heat-information-campaign"),
    ("ro", "inundatii", "rainwater-storage"),
    ("ro", "inundațiile", "rainwater-storage"),
    ("ro", "incalzire", "heat-check-your-school"),
    ("ro", "subsoluri", "reform-your-basement"),
    ("ro", "şcoală", "heat-check-your-school"),  # cedilla typed, comma-below in the text
    ("ro", "bătrâni", "heat-telephone"),  # an everyday word from the termbase: the card says "vârstnici"
    ("ro", "batrani", "heat-telephone"),
    ("de", "Kellern", "reform-your-basement"),
    ("de", "keller", "reform-your-basement"),
    ("de", "uberflutung", "local-action-groups"),
    ("de", "Strasse", "heavy-rain-action-day"),
    ("de", "Hitzetelefon", "heat-telephone"),
    ("de", "garten", "urban-gardening"),
    ("en", "basements", "reform-your-basement"),
    ("en", "flooded", "heavy-rain-action-day"),
    ("en", "heatwave", "heat-telephone"),
    ("en", "gardening", "urban-gardening"),
]


def search(page, base: str, lang: str, query: str) -> list[str]:
    """Type `query` into the search box of the language's home page; the result links."""
    page.goto(base + PREFIX[lang])
    box = page.get_by_role("searchbox")
    box.click()
    box.press_sequentially(query, delay=15)
    # the list of the whole query, not of a prefix typed on the way (the script marks which query it shows)
    page.wait_for_function("query => document.querySelector('[data-toolbox-search]').dataset.shown === query",
                           arg=query)
    return page.eval_on_selector_all(".toolbox-search__list a", "links => links.map(a => a.pathname)")


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang, query, slug", QUERIES, ids=[f"{q[0]}-{q[1]}" for q in QUERIES])
def test_search_finds_the_format_in_the_page_language_only(page, repository_url, lang, query, slug):
    found = search(page, repository_url, lang, query)
    assert f"/{PREFIX[lang]}formats/{slug}/" in found, f"{query!r} on /{PREFIX[lang]} found {found}"
    for path in found:
        other = path.split("/")[1]
        assert (other == lang) if lang != "de" else (other not in ("en", "ro")), f"{path} is not in {lang}"


@pytest.mark.parametrize("lang, word", [("de", "imqxzwerk"), ("en", "theqxzvork"), ("ro", "dinqxzvor")])
def test_a_word_no_page_contains_finds_nothing_rather_than_its_first_letters(page, repository_url, lang, word):
    # Pagefind itself answers a word it has not indexed with the pages of a beginning it has ("im", "the",
    # "din"): the search box must not show those.
    page.goto(repository_url + PREFIX[lang])
    raw = page.evaluate("""async word => {
        const root = document.querySelector('[data-toolbox-search]');
        const pagefind = await import(new URL(root.dataset.index, location.href).href);
        return (await pagefind.search(word)).results.length; }""", word)
    assert raw > 0, "Pagefind no longer answers with a beginning of the word: this test shows nothing then"
    assert search(page, repository_url, lang, word) == []
    assert page.locator(".toolbox-search__status").inner_text() == page.locator(
        "[data-toolbox-search]").get_attribute("data-none")
    # ... while a word that is there, and a longer word made of it, still find their pages
    assert search(page, repository_url, lang, {"de": "Hitzeschutz", "en": "heatwaves", "ro": "caniculei"}[lang])


def test_search_box_is_labelled_in_the_page_language_and_works_by_keyboard(page, repository_url):
    page.goto(repository_url + "ro/")
    box = page.get_by_role("searchbox", name="Căutare")
    page.keyboard.press("Tab")  # the skip link, then the page: reach the box by keyboard
    box.focus()
    page.keyboard.type("ploi torentiale")
    page.wait_for_function("() => document.querySelector('.toolbox-search__list a') !== null")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.pathname")
    assert focused.startswith("/ro/")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{focused}")
    assert page.locator("html").get_attribute("lang") == "ro"


def test_search_index_loads_only_when_the_search_is_used(page, repository_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(repository_url + "en/formats/heat-telephone/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/pagefind/" in url]
    search(page, repository_url, "en", "heat")
    assert [url for url in requested if "/pagefind/" in url]


def test_cedilla_typed_finds_comma_below_in_a_new_card(browser, tmp_path: Path):
    project = make_project(tmp_path / "project")  # the fixture card's Romanian text has "școală" (comma below)
    assert build(project).returncode == 0
    with serve(project / "site") as base:
        context = browser.new_context()
        found = search(context.new_page(), base, "ro", "şcoală")  # typed with a cedilla, as old keyboards do
        context.close()
    assert "/ro/formats/street-party/" in found


# The catalogue -------------------------------------------------------------------------------------------

def expected(lang_filters: dict[str, list[str]]) -> set[str]:
    """The cards the catalogue must show for a filter: any value within a filter, every filter."""
    return {slug for slug, card in CARDS.items()
            if all(any(v in card.values(FACETS[key]) for v in chosen) for key, chosen in lang_filters.items())}


def shown(page) -> set[str]:
    """The formats the catalogue shows, once its script has run (after a click, the new page may not have)."""
    page.wait_for_load_state("load")
    return set(page.eval_on_selector_all("li.tile:not([hidden]) h2 a",
                                         "links => links.map(a => a.pathname.split('/').slice(-2)[0])"))


@pytest.mark.parametrize("lang", ["de", "en", "ro"])
def test_catalog_filters_combine_and_the_url_holds_them(page, repository_url, lang):
    page.goto(repository_url + PREFIX[lang] + "formats/")
    assert shown(page) == set(CARDS)
    page.locator('input[name="theme"][value="heavy-rain"]').check()
    assert shown(page) == expected({"theme": ["heavy-rain"]})
    page.locator('input[name="theme"][value="urban-green"]').check()
    page.locator('input[name="hazards"][value="drought"]').check()
    want = expected({"theme": ["heavy-rain", "urban-green"], "hazards": ["drought"]})
    assert shown(page) == want and want
    status = page.get_by_role("status").filter(has_text=str(len(want)))
    assert status.count() == 1
    url = page.url
    assert "theme=heavy-rain" in url and "theme=urban-green" in url and "hazards=drought" in url
    # A value's count is what checking it would leave.
    count = page.locator('input[name="effort"][value="medium"] ~ [data-count-for]').inner_text()
    with_medium = expected({"theme": ["heavy-rain", "urban-green"], "hazards": ["drought"], "effort": ["medium"]})
    assert count == f"({len(with_medium)})"
    # The URL round-trips: opened anew, it shows the same filter.
    page.goto("about:blank")
    page.goto(url)
    assert shown(page) == want
    assert page.locator('input[name="hazards"][value="drought"]').is_checked()
    page.get_by_role("button", name={"de": "Alle Filter zurücksetzen", "en": "Clear all filters",
                                     "ro": "Resetați toate filtrele"}[lang]).click()
    page.wait_for_function("() => document.querySelectorAll('li.tile[hidden]').length === 0")
    assert shown(page) == set(CARDS) and "?" not in page.url


def test_theme_pages_link_into_the_filtered_catalog(page, repository_url):
    page.goto(repository_url + "en/themes/heat/")
    page.get_by_role("link", name="All formats on this theme in the catalogue").click()
    assert "theme=heat" in page.url
    assert shown(page) == expected({"theme": ["heat"]})


def test_catalog_without_javascript_lists_everything(browser, repository_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(repository_url + "ro/formats/?theme=heat")
    assert shown(page) == set(CARDS)
    assert page.locator("details[data-catalog-filters-box]").is_hidden()  # by the <noscript> style
    context.close()


def test_each_card_links_into_the_catalog_filtered_by_its_theme(page, repository_url):
    for slug in ("heat-telephone", "plenary-sessions"):
        page.goto(repository_url + f"ro/formats/{slug}/")
        page.get_by_role("link", name="Toate formatele pe această temă în catalog").click()
        assert f"theme={CARDS[slug].theme}" in page.url
        assert shown(page) == expected({"theme": [CARDS[slug].theme]})


def test_everyday_words_of_the_termbase_find_the_card(browser, tmp_path: Path):
    project = make_project(tmp_path / "project")
    (project / "formats" / "terminology.yml").write_text(
        "shade:\n  en: {use: shade, search: [parasol, sunshade]}\n", encoding="utf-8")
    assert build(project, env={"TOOLBOX_PDF": "off"}).returncode == 0
    with serve(project / "site") as base:
        context = browser.new_context()
        found = search(context.new_page(), base, "en", "parasol")
        context.close()
    assert "/en/formats/street-party/" in found  # its text says "shade", never "parasol"
    page = (project / "site" / "en" / "formats" / "street-party" / "index.html").read_text(encoding="utf-8")
    assert ">parasol<" not in page and "parasol sunshade" in page  # indexed, not shown
