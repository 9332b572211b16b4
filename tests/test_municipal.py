"""Fit for a municipal website: no request to another host, WCAG 2.1 AA by axe-core, statements linked from
every page, light pages, a 404 page per language, and what search engines need."""

from __future__ import annotations

import gzip
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, make_project, run
from pipeline.project import PROJECT
from pipeline.validate import valid_project

LANGUAGES = PROJECT.languages.codes

PREFIX = {"de": "", "en": "en/", "ro": "ro/"}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The page types every language has: home, catalogue, a card, a chapter, a theme, the 404 page.
_SOME = ",".join(sorted(card.slug for card in valid_project(PROJECT).cards if card.published)[:3])
PAGE_TYPES = {"home": "", "catalog": "formats/", "card": "formats/reform-your-basement/",
              "chapter": "setting-up/", "theme": "themes/heat/", "404": "404.html",
              "plan": f"plan/?formats={_SOME}", "compare": f"compare/?formats={_SOME}"}
BUDGET = 90 * 1024  # bytes, gzip-compressed, fonts included, before the search is used


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.requested, page.failed = [], []
    page.on("request", lambda request: page.requested.append(request.url))
    page.on("response", lambda response: page.failed.append(response.url) if response.status >= 400 else None)
    yield page
    context.close()


def read_as_a_reader(page) -> None:
    """Move the mouse and scroll, as a reader does: Material's script comes then (overrides/main.html)."""
    page.wait_for_load_state("networkidle")
    page.mouse.move(10, 10)
    page.mouse.wheel(0, 600)
    page.wait_for_function("() => document.documentElement.classList.contains('js')")
    page.wait_for_load_state("networkidle")


def foreign(urls: list[str], base: str) -> list[str]:
    own = urlsplit(base).netloc
    return [url for url in urls if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_is_accessible_and_stays_on_the_site(page, repository_url, lang, kind):
    page.goto(repository_url + PREFIX[lang] + PAGE_TYPES[kind])
    read_as_a_reader(page)
    assert page.locator("html").get_attribute("lang") == lang
    assert foreign(page.requested, repository_url) == []
    assert [url for url in page.failed if not url.endswith("/404.html")] == []
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the page's CSP allows no inline script
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_and_downloads_stay_on_the_site(page, repository_url, lang):
    page.goto(repository_url + PREFIX[lang] + PAGE_TYPES["card"])
    box = page.get_by_role("searchbox")
    box.click()
    box.press_sequentially("apa", delay=20)
    page.wait_for_function("() => document.querySelector('.toolbox-search__status').textContent !== ''")
    assert any("/pagefind/" in url for url in page.requested)
    assert foreign(page.requested, repository_url) == []


def test_fallback_text_keeps_its_own_language(tmp_path):
    project = make_project(tmp_path / "project")  # shade-map has English text only
    assert build(project, env={"TOOLBOX_PDF": "off"}).returncode == 0
    html = (project / "site" / "ro" / "formats" / "shade-map" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "ro"
    assert soup.select_one('article [lang="en"]').get_text().strip()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_links_the_statements(repository_site, lang):
    words = {"de": ("Impressum", "Erklärung zur Barrierefreiheit", "Datenschutz"),
             "en": ("Legal notice", "Accessibility statement", "Privacy notice"),
             "ro": ("Mențiuni legale", "Declarație de accesibilitate", "Confidențialitate")}[lang]
    pages = [p for p in (repository_site / PREFIX[lang]).rglob("index.html")
             if lang != "de" or p.relative_to(repository_site).parts[0] not in ("en", "ro")]
    assert len(pages) > 20
    for file in pages + [repository_site / PREFIX[lang] / "404.html"]:
        footer = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").select_one(".toolbox-footer-links")
        links = {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}
        assert set(links) == set(words), file
        for href in links.values():
            base = repository_site if href.startswith("/") else file.parent
            assert not href.startswith("//"), f"{file}: {href} would leave the site"
            assert (base / href.lstrip("/") / "index.html").resolve().is_file(), f"{file}: {href} does not exist"


NOT_NAMED = {"de": "noch nicht benannt", "en": "not yet named", "ro": "încă nedesemnat"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("statement", ["accessibility", "privacy", "imprint"])
def test_statements_say_what_is_not_configured_yet(repository_site, lang, statement):
    text = (repository_site / PREFIX[lang] / statement / "index.html").read_text(encoding="utf-8")
    assert NOT_NAMED[lang] in text  # no operator is configured: it is never guessed
    assert "{{" not in text and "{%" not in text
    assert "github.com/living-lab-toolbox" not in text  # no placeholder repository

def test_configured_operator_appears_in_the_statements(tmp_path):
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'operator: ""', 'operator: "Stadt Musterstadt, Rathausplatz 1"').replace(
        'contact: ""', 'contact: "mailto:barrierefrei@example.org"'), encoding="utf-8")
    assert build(project, env={"REPO_URL": "https://git.example.org/city/toolbox"}).returncode == 0
    for statement in ("accessibility", "privacy", "imprint"):
        text = (project / "site" / statement / "index.html").read_text(encoding="utf-8")
        assert "Stadt Musterstadt, Rathausplatz 1" in text and 'href="mailto:barrierefrei@example.org"' in text
    imprint = (project / "site" / "imprint" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://git.example.org/city/toolbox"' in imprint


def test_the_site_is_not_published_without_operator_and_contact(tmp_path):
    project = make_project(tmp_path / "project")
    result = run(str(ROOT / "scripts" / "toolbox.py"), "publishable", "--config", str(project / "mkdocs.yml"))
    assert result.returncode == 1
    assert re.search(r"mkdocs\.yml:\d+: extra\.operator: empty", result.stdout), result.stdout
    assert re.search(r"mkdocs\.yml:\d+: extra\.contact: empty", result.stdout), result.stdout
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('operator: ""', 'operator: "Stadt X"').replace(
        'contact: ""', 'contact: "info@example.org"'), encoding="utf-8")
    result = run(str(ROOT / "scripts" / "toolbox.py"), "publishable", "--config", str(config))
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_404_page_in_each_language(repository_site, lang):
    soup = BeautifulSoup((repository_site / PREFIX[lang] / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == lang
    assert soup.h1.get_text(strip=True) == {"de": "Seite nicht gefunden", "en": "Page not found",
                                            "ro": "Pagina nu a fost găsită"}[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_card_page_weight_budget(page, repository_url, repository_site, lang):
    page.goto(repository_url + PREFIX[lang] + PAGE_TYPES["card"])
    read_as_a_reader(page)  # Material's script counts too
    assert any("/assets/javascripts/bundle." in url for url in page.requested)
    total = 0
    for url in set(page.requested):
        path = urlsplit(url).path
        file = repository_site / path.lstrip("/")
        file = file / "index.html" if path.endswith("/") else file
        total += len(gzip.compress(file.read_bytes(), compresslevel=6))
    assert total <= BUDGET, f"{total / 1024:.1f} KiB gzip for a card page; the budget is 90 KiB"


def test_search_engines_get_descriptions_canonical_urls_and_alternates(tmp_path):
    project = make_project(tmp_path / "project")
    assert build(project, env={"SITE_URL": "https://toolbox.example.org/"}).returncode == 0
    site = project / "site"
    soup = BeautifulSoup((site / "en" / "formats" / "street-party" / "index.html").read_text(), "html.parser")
    assert soup.find("meta", attrs={"name": "description"})["content"] == \
        "Neighbours meet in the shade and learn how to get through hot days."
    assert soup.find("link", rel="canonical")["href"] == "https://toolbox.example.org/en/formats/street-party/"
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}
    assert alternates["ro"] == "https://toolbox.example.org/ro/formats/street-party/"
    assert alternates["x-default"] == "https://toolbox.example.org/formats/street-party/"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://toolbox.example.org/en/formats/street-party/</loc>" in sitemap
    assert re.search(r'hreflang="ro" href="https://toolbox.example.org/ro/formats/street-party/"', sitemap)
    assert (site / "robots.txt").read_text().startswith("User-agent: *")


def test_every_page_has_a_meta_description(repository_site):
    for file in repository_site.rglob("*.html"):
        if "pagefind" in file.parts:
            continue
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        meta = soup.find("meta", attrs={"name": "description"})
        assert meta and meta["content"].strip(), file


def test_material_script_comes_with_the_first_scroll_and_works(page, repository_url):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(repository_url + "en/" + PAGE_TYPES["card"])
    page.wait_for_load_state("networkidle")
    assert not [url for url in page.requested if "/assets/javascripts/bundle." in url]
    assert page.locator("html").get_attribute("class") == "no-js"
    page.mouse.wheel(0, 2000)
    page.wait_for_function("() => document.documentElement.classList.contains('js')")
    page.mouse.wheel(0, -400)  # scrolling back up brings Material's back-to-top button (navigation.top)
    top = page.locator(".md-top")
    top.wait_for(state="visible")
    top.click()
    page.wait_for_function("() => window.scrollY === 0")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("width", [320, 390, 1280])
def test_card_titles_are_not_broken_inside_words(page, repository_url, lang, width):
    """Every word of every card page's title on one line, on small phones and on a desktop (a compound may
    break at its hyphen, as in print: "Hitze-" / "Check")."""
    page.set_viewport_size({"width": width, "height": 800})
    for slug in ("heat-telephone", "climate-resilient-backyard", "heat-check-your-school"):
        page.goto(f"{repository_url}{PREFIX[lang]}formats/{slug}/")
        split = page.evaluate("""() => {
            const h1 = document.querySelector('article h1'); const text = h1.firstChild;
            const split = []; const re = /[^\\s-]+/g; let m;
            while ((m = re.exec(text.textContent))) {
                const range = document.createRange();
                range.setStart(text, m.index); range.setEnd(text, m.index + m[0].length);
                const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
                if (tops.size > 1) split.push(m[0]);
            }
            return split; }""")
        assert split == [], f"{slug} at {width} px: {split} broken across lines"


@pytest.mark.parametrize("kind", ["home", "catalog", "card"])
def test_keyboard_focus_is_visible(page, repository_url, kind):
    page.goto(repository_url + "en/" + PAGE_TYPES[kind])
    seen = 0
    for _ in range(12):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => {
            const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
        }""")
        if style["tag"] == "BODY":
            continue
        seen += 1
        assert (style["outline"] != "none" and style["width"] > 0) or style["shadow"] != "none", style
    assert seen >= 6


WATCH_CSP = ("window.__violations = [];"
             "document.addEventListener('securitypolicyviolation',"
             " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
SEARCH_WORD = {"de": "Hitze", "en": "heat", "ro": "căldură"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_the_site_works_under_its_content_security_policy(browser, repository_url, lang, kind):
    """Every page carries the policy; reading, searching, filtering and switching the language raise no
    violation of it."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(repository_url + PREFIX[lang] + PAGE_TYPES[kind])
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    read_as_a_reader(page)
    if kind == "catalog":
        if not page.locator("details.catalog-filters-box").evaluate("box => box.open"):
            page.locator(".catalog-filters-box summary").click()
        page.locator(".catalog-option input").first.check()
        page.wait_for_function("() => location.search !== ''")
    box = page.get_by_role("searchbox")
    box.click()
    box.press_sequentially(SEARCH_WORD[lang], delay=15)
    page.wait_for_function("() => document.querySelector('.toolbox-search__list a') !== null")
    box.press("Enter")
    assert page.evaluate("window.__violations") == []
    other = next(code for code in LANGUAGES if code != lang)
    page.goto(page.locator(f'.md-select__link[hreflang="{other}"]').first.evaluate("a => a.href"))
    read_as_a_reader(page)
    assert page.evaluate("window.__violations") == []
    assert [text for text in console if "Content Security Policy" in text] == []
    context.close()


def test_the_policy_stops_script_that_got_into_a_page(browser, repository_url):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    page.goto(repository_url + "en/formats/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.__ran = 1\">"
                  "<script>window.__ran = 2</script>')")
    page.evaluate("document.body.appendChild(Object.assign(document.createElement('script'),"
                  " {textContent: 'window.__ran = 3'}))")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__violations.length") >= 2
    context.close()
