"""Planning with the toolbox in a real browser, as a planner would: results first in the catalogue, chips,
comparing formats, building a plan across phases, what it misses, sharing it, and bad plan addresses.

Expectations come from the validated cards, not from today's content: any set of published cards passes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from benchmarks.scale import add_synthetic_cards
from pypdf import PdfReader

from conftest import AXE, build, make_project, serve
from pipeline.project import PROJECT
from pipeline.validate import valid_project
from pipeline.vocabulary import load_interface, load_vocabulary

VOCABULARY = load_vocabulary()
WORDS = load_interface()
CARDS = {card.slug: card for card in valid_project(PROJECT).cards if card.published}
LANGUAGES = PROJECT.languages.codes
PREFIX = {code: PROJECT.languages.prefix(code) for code in LANGUAGES}
PHASES = VOCABULARY.values("phases")
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def first_phase(slug: str) -> int:
    phases = CARDS[slug].values("phases")
    return min((PHASES.index(p) for p in phases), default=len(PHASES))


def five_across_phases() -> list[str]:
    """Five published formats that together serve as many phases as possible (in slug order otherwise)."""
    chosen: list[str] = []
    for phase in PHASES:
        for slug in sorted(CARDS):
            if phase in CARDS[slug].values("phases") and slug not in chosen:
                chosen.append(slug)
                break
    chosen += [slug for slug in sorted(CARDS) if slug not in chosen]
    return chosen[:5]


def plan_shown(page) -> list[str]:
    return page.eval_on_selector_all(".plan-list__item", "items => items.map(i => i.dataset.slug)")


def address_plan(url: str) -> list[str]:
    return parse_qs(urlsplit(url).query).get("formats", [""])[0].split(",")


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=SIZES["desktop"])
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.requested = []
    context.on("request", lambda request: context.requested.append(request.url))
    yield context
    context.close()


def off_site(requested: list[str], base: str) -> list[str]:
    own = urlsplit(base).netloc
    return [u for u in requested if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != own]


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")) -> list:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags))
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_a_planner_builds_a_plan_of_five_sees_what_it_misses_and_shares_it(browser, context, repository_url,
                                                                          lang, size):
    page = context.new_page()
    page.set_viewport_size(SIZES[size])
    plan = five_across_phases()
    # Three from the catalogue's tiles, two from their card pages.
    page.goto(repository_url + PREFIX[lang] + "formats/")
    for slug in plan[:3]:
        page.locator(f'[data-plan-add="{slug}"]').click()
        assert page.locator(f'[data-plan-add="{slug}"]').inner_text() == WORDS["in_plan"][lang]
    for slug in plan[3:]:
        page.goto(repository_url + PREFIX[lang] + f"formats/{slug}/")
        page.get_by_role("button", name=WORDS["add_to_plan"][lang]).click()
        button = page.locator(f'.toolbox-plan-add[data-plan-add="{slug}"]')
        assert button.inner_text() == WORDS["in_plan"][lang]
    page.locator("[data-plan-open]").click()
    page.wait_for_selector(".plan-list__item")
    # Ordered by living-lab phase (formats of one phase in the order they were added).
    want = sorted(plan, key=lambda slug: (first_phase(slug), plan.index(slug)))
    assert plan_shown(page) == want
    assert address_plan(page.url) == want
    # What none of the formats reaches, in the page's language.
    for key, kind in (("target_groups", "target_groups"), ("hazards", "hazards")):
        reached = {v for slug in plan for v in CARDS[slug].values(key)}
        missed = [VOCABULARY.label(kind, v, lang) for v in VOCABULARY.values(kind) if v not in reached]
        text = page.locator(f'[data-missed="{key}"]').inner_text()
        assert text.startswith(WORDS["plan_missed"][lang])
        for label in missed:
            assert label in text
        for value in reached:
            assert VOCABULARY.label(kind, value, lang) not in text.split(":", 1)[1]
    # The timeline: a bar per phase each format serves, and the same as text for screen readers.
    bars = page.locator(".plan-timeline__bar").count()
    assert bars == sum(len(CARDS[slug].values("phases")) for slug in plan)
    description = page.locator(".plan-timeline desc").text_content()
    for phase in PHASES:
        assert VOCABULARY.label("phases", phase, lang) in description
    assert axe_violations(page) == []
    # Reorder by keyboard and remove: the address follows, the focus stays on the moved item.
    first = want[0]
    page.get_by_role("button", name=WORDS["move_down"][lang].format(title=CARDS[first].text_for(
        lang, VOCABULARY.fallback).title)).click()
    assert plan_shown(page)[:2] == [want[1], first]
    assert page.evaluate("document.activeElement.closest('[data-slug]').dataset.slug") == first
    page.keyboard.press("Enter")  # the focused "move down" again
    assert plan_shown(page).index(first) == 2
    shared = page.url
    assert address_plan(shared) == plan_shown(page)
    # The link in a fresh browser (no storage): the same plan.
    fresh = browser.new_context(viewport=SIZES[size])
    other = fresh.new_page()
    other.goto(shared)
    other.wait_for_selector(".plan-list__item")
    assert plan_shown(other) == plan_shown(page)
    fresh.close()
    page.get_by_role("button", name=WORDS["remove_from_plan"][lang].format(
        title=CARDS[first].text_for(lang, VOCABULARY.fallback).title)).click()
    assert first not in plan_shown(page) and first not in address_plan(page.url)
    assert off_site(context.requested, repository_url) == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_three_formats_compared_side_by_side_with_the_differences_marked(context, repository_url, lang, size):
    page = context.new_page()
    page.set_viewport_size(SIZES[size])
    page.goto(repository_url + PREFIX[lang] + "formats/")
    three = sorted(CARDS)[:3]
    for slug in three:
        page.locator(f'[data-compare-pick][value="{slug}"]').check()
    link = page.locator("[data-compare-link]")
    assert link.inner_text() == WORDS["compare_selected"][lang]["other" if lang != "ro" else "few"].format(count=3)
    link.click()
    page.wait_for_selector(".compare__table")
    heads = page.eval_on_selector_all(".compare__table thead th a", "links => links.map(a => a.textContent)")
    assert heads == [CARDS[s].text_for(lang, VOCABULARY.fallback).title for s in three]
    for fact in VOCABULARY.facts:
        if fact.key == "theme":
            continue
        row = page.locator(".compare__table tbody tr", has=page.locator(f'th:text-is("{WORDS[fact.label][lang]}")'))
        if not row.count():  # the name and the "(differs)" mark together
            row = page.locator(".compare__table tbody tr").filter(has_text=WORDS[fact.label][lang])
        differs = len({CARDS[s].values(fact.key) for s in three}) > 1
        assert ("compare__row--differs" in (row.first.get_attribute("class") or "")) == differs, fact.key
    shared = page.url
    page.get_by_label(WORDS["only_differences"][lang]).check()
    assert page.evaluate("document.activeElement.id") == "compare-differences"  # the keyboard stays there
    assert page.locator(".compare__table tbody tr:not(.compare__row--differs) th[scope=row]:not(:empty)").count() == 0
    other = context.new_page()
    other.goto(shared)
    other.wait_for_selector(".compare__table")
    assert other.eval_on_selector_all(".compare__table thead th a", "l => l.length") == 3
    assert axe_violations(page) == []


@pytest.mark.parametrize("address, notice", [
    ("?formats=no-such-format,{a},{a},<script>alert(1)</script>,{b}", True),
    ("?formats=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E,{a}", True),
    ("?formats=,,,{b},,", False),
    ("?formats=" + "x" * 5000, True),
    ("?formats=../../etc/passwd,{b}", True),
])
@pytest.mark.parametrize("tool", ["plan", "compare"])
def test_a_bad_address_shows_the_valid_part_and_a_notice(context, repository_url, address, notice, tool):
    a, b = sorted(CARDS)[:2]
    address = address.format(a=a, b=b)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(repository_url + f"en/{tool}/" + address)
    page.wait_for_load_state("load")
    valid = [s for s in (a, b) if s in address]
    if tool == "plan":
        assert plan_shown(page) == valid
    else:
        assert page.eval_on_selector_all(".compare__table thead th a", "l => l.length") == len(valid)
    assert page.locator(".toolbox-tool__notice").count() == (1 if notice else 0)
    assert page.locator(".toolbox-tool img, .toolbox-tool script").count() == 0  # shown as text, if at all
    assert dialogs == []
    assert address_plan(page.url) == (valid or [""])  # the address keeps the valid part only


SITE_URL = "https://toolbox.example.org/"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A project of 5 formats (3 synthetic), built with its PDFs and a site address (for the QR codes)."""
    project = make_project(tmp_path_factory.mktemp("small") / "project")
    add_synthetic_cards(project / "formats", 3, load_vocabulary(project / "formats" / "vocabularies.yml"))
    result = build(project, env={"SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stderr
    with serve(project / "site") as base:
        yield project, base


@pytest.fixture(scope="module")
def fifty(tmp_path_factory, small):
    """A project of 52 formats (50 synthetic), built without PDFs; each card's PDF is then a copy of a real
    card's (what the plan's PDF is assembled from, not what it says, matters here)."""
    project = make_project(tmp_path_factory.mktemp("fifty") / "project")
    add_synthetic_cards(project / "formats", 50, load_vocabulary(project / "formats" / "vocabularies.yml"))
    result = build(project, env={"TOOLBOX_PDF": "off"})
    assert result.returncode == 0, result.stderr
    card = (small[0] / "site" / "downloads" / "en" / "street-party.pdf").read_bytes()
    downloads = project / "site" / "downloads" / "en"
    downloads.mkdir(parents=True)
    for folder in (project / "formats").iterdir():
        if (folder / "card.yml").is_file():
            (downloads / f"{folder.name}.pdf").write_bytes(card)
    with serve(project / "site") as base:
        yield project, base


def fonts_embedded(reader: PdfReader) -> bool:
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2",
                                                                                    "/FontFile3")):
                return False
    return True


def download_plan_pdf(page, target: Path) -> PdfReader:
    with page.expect_download(timeout=120_000) as download:
        page.locator("[data-plan-pdf]").click()
    download.value.save_as(target)
    return PdfReader(target)


def test_a_plan_of_fifty_formats_renders_and_makes_its_pdf(browser, fifty, tmp_path):
    project, base = fifty
    slugs = [f"synthetic-{i:04d}" for i in range(50)]
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(base + "en/plan/?formats=" + ",".join(slugs))
    page.wait_for_selector(".plan-list__item")
    assert plan_shown(page) == slugs
    assert page.locator(".plan-timeline__name").count() == 50
    reader = download_plan_pdf(page, tmp_path / "plan.pdf")
    entries = [item.title for item in reader.outline]
    assert len(entries) == 51 and entries[1].endswith("Synthetic format 0 (en)")
    card_pages = sum(len(PdfReader(project / "site" / "downloads" / "en" / f"{s}.pdf").pages) for s in slugs)
    assert len(reader.pages) > card_pages
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_plan_pdf_has_its_cover_the_cards_in_order_bookmarks_and_qr_codes(browser, small, tmp_path, lang):
    import subprocess

    import zxingcpp
    from PIL import Image

    project, base = small
    slugs = ["street-party", "synthetic-0002", "shade-map", "synthetic-0000", "synthetic-0001"]
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + PREFIX[lang] + "plan/?formats=" + ",".join(slugs))
    page.wait_for_selector(".plan-list__item")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "vendor/" in u or "plan-pdf" in u], "the PDF code came before it was asked for"
    reader = download_plan_pdf(page, tmp_path / "plan.pdf")
    # (Material fetches the sitemap of each alternate language, at the configured site address.)
    assert [u for u in off_site(requested, base) if not u.startswith(SITE_URL)] == []
    # The cards in the plan's order, each from its first page on, with a bookmark.
    lengths = [len(PdfReader(project / "site" / "downloads" / lang / f"{s}.pdf").pages) for s in slugs]
    cover = len(reader.pages) - sum(lengths)
    assert cover >= 1
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline[0] == (WORDS["plan_title"][lang], 0)
    starts = [cover + sum(lengths[:i]) for i in range(len(slugs))]
    assert [start for _, start in outline[1:]] == starts
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert reader.metadata.title.startswith(WORDS["plan_title"][lang])
    assert fonts_embedded(reader)
    cover_text = "".join(reader.pages[i].extract_text() for i in range(cover))
    assert WORDS["plan_missed"][lang] in cover_text
    # Each card's QR code leads to that card's page in the plan's language.
    images = tmp_path / "pages"
    images.mkdir()
    for number, (slug, start) in enumerate(zip(slugs, starts, strict=True)):
        last = start + lengths[number]
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", str(start + 1), "-l", str(last),
                        str(tmp_path / "plan.pdf"), str(images / f"{number}")], check=True)
        codes = [code.text for image in sorted(images.glob(f"{number}-*.png"))
                 for code in zxingcpp.read_barcodes(Image.open(image))]
        assert codes == [f"{SITE_URL}{PREFIX[lang]}formats/{slug}/"]
    context.close()


def test_a_plan_pdf_that_cannot_be_made_says_so_in_the_page_language(browser, small):
    _, base = small
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.route("**/downloads/ro/shade-map.pdf", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(base + "ro/plan/?formats=street-party,shade-map")
    page.locator("[data-plan-pdf]").click()
    said = page.locator("[data-plan-pdf] + .toolbox-tool__said")
    failed = WORDS["plan_pdf_failed"]["ro"].split("(")[0].strip()
    page.wait_for_function("text => document.querySelector('[data-plan-pdf] + [role=status]').textContent"
                           ".startsWith(text)", arg=failed)
    assert "shade-map.pdf" in said.inner_text()
    assert page.locator("[data-plan-pdf]").is_enabled()
    context.close()


def test_the_plan_without_javascript_says_where_the_pdfs_are(browser, repository_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(repository_url + "ro/plan/?formats=" + ",".join(sorted(CARDS)[:2]))
    notice = page.locator("[data-noscript]")
    assert notice.is_visible() and WORDS["plan_noscript"]["ro"] in notice.inner_text()
    assert notice.locator("a").get_attribute("href") == "../formats/"
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_catalogue_results_first_chips_and_the_language_switch(context, repository_url, size):
    page = context.new_page()
    page.set_viewport_size(SIZES[size])
    theme = CARDS[sorted(CARDS)[0]].theme
    page.goto(repository_url + f"en/formats/?theme={theme}")
    first_tile = page.locator("li.tile:not([hidden])").first.bounding_box()
    assert first_tile["y"] < SIZES[size]["height"], "the first result is below the fold"
    box_open = page.locator("details.catalog-filters-box").evaluate("box => box.open")
    assert box_open == (size == "desktop")
    label = VOCABULARY.label("themes", theme, "en")
    chip = page.get_by_role("button", name=WORDS["remove_filter"]["en"].format(value=label))
    assert chip.is_visible() == (size == "phone")
    if size == "phone":  # a filter change shows its effect at once: the button under the filters says it
        page.locator(".catalog-filters-box summary").click()
        option = page.locator('input[name="hazards"]').first
        option.check()
        shown = page.locator("li.tile:not([hidden])").count()
        show = page.locator("[data-show-results]")
        assert show.is_visible() and str(shown) in show.inner_text()
        assert show.bounding_box()["y"] + show.bounding_box()["height"] <= SIZES[size]["height"] + 1  # sticky
        show.click()
        assert not page.locator("details.catalog-filters-box").evaluate("box => box.open")
        page.get_by_role("button", name=WORDS["remove_filter"]["en"].format(value=label)).click()
        assert f"theme={theme}" not in page.url
    # Filter targets: WCAG 2.2 target size (axe's target-size rule).
    assert axe_violations(page, ("wcag22aa",)) == []
    # The language switcher keeps the filter.
    page.goto(repository_url + f"en/formats/?theme={theme}")
    ro = page.locator('.md-select a[hreflang="ro"]').get_attribute("href")
    assert f"theme={theme}" in ro
    page.goto(urljoin_page(page.url, ro))
    assert page.locator(f'input[name="theme"][value="{theme}"]').is_checked()
    # Copy link: the address of this selection.
    page.goto(repository_url + f"en/formats/?theme={theme}")
    page.get_by_role("button", name=WORDS["copy_link"]["en"]).click()
    assert page.evaluate("navigator.clipboard.readText()") == page.url


def urljoin_page(base: str, href: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, href)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_home_page_leads_into_the_toolbox_above_the_fold(context, repository_url, lang):
    page = context.new_page()
    page.set_viewport_size(SIZES["phone"])
    page.goto(repository_url + PREFIX[lang])
    find = page.get_by_role("link", name=WORDS["find_format"][lang])
    assert find.bounding_box()["y"] < SIZES["phone"]["height"]
    tiles = page.locator(".home-theme")
    assert tiles.count() == len(VOCABULARY.values("themes"))
    for i, theme in enumerate(VOCABULARY.values("themes")):
        assert VOCABULARY.label("themes", theme, lang) in tiles.nth(i).inner_text()
        assert tiles.nth(i).locator("svg").count() == 1
    assert tiles.first.bounding_box()["y"] < SIZES["phone"]["height"]
    # The contribute page from the home page's text and the footer; the translation status from the footer only.
    assert page.locator("article a[href='contribute/']").count() == 1
    assert page.locator(".md-footer a[href$='contribute/']").count() == 1
    assert page.locator(".md-footer a[href$='status/']").count() == 1
    assert page.locator(".md-nav a[href$='status/']").count() == 0
    tiles.first.click()
    assert "/themes/" in page.url


def test_a_card_has_jump_links_and_its_examples_lead_to_the_examples(context, repository_url):
    page = context.new_page()
    page.set_viewport_size(SIZES["phone"])
    slug = next(s for s in sorted(CARDS) if CARDS[s].examples)
    page.goto(repository_url + f"en/formats/{slug}/")
    jumps = page.locator(".card-jump a")
    assert jumps.count() == len(CARDS[slug].text_for("en", VOCABULARY.fallback).sections)
    for i in range(jumps.count()):
        target = jumps.nth(i).get_attribute("href")
        assert page.locator(target).count() == 1
    page.locator(".card-facts dd a[href='#examples']").click()
    assert page.url.endswith("#examples")


def test_the_vendored_pdf_code_is_what_npm_installs():
    """assets/vendor/ holds pdf-lib and its fontkit as the pinned npm packages ship them (package-lock.json):
    the site serves them from its own host, and no one edits them by hand."""
    import json

    from conftest import ROOT

    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for package, dist in (("pdf-lib", "pdf-lib.min.js"), ("@pdf-lib/fontkit", "fontkit.umd.min.js")):
        assert lock[f"node_modules/{package}"]["version"] == pinned[package]
        shipped = ROOT / "node_modules" / package / "dist" / dist
        assert (ROOT / "docs" / "assets" / "vendor" / dist).read_bytes() == shipped.read_bytes(), dist


def test_printed_cards_lead_back_to_their_web_page(small, tmp_path):
    """Each card, in its own PDF and in the booklet, carries its web address in the PDF's language, a QR code
    that reads back as that address, and the line that credits it under CC BY 4.0."""
    import subprocess

    import zxingcpp
    from PIL import Image

    project = small[0]

    def read_codes(pdf) -> list[str]:
        images = tmp_path / "pages"
        images.mkdir(exist_ok=True)
        for old in images.iterdir():
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "110", "-png", str(pdf), str(images / "p")], check=True)
        return [code.text for page in sorted(images.iterdir()) for code in zxingcpp.read_barcodes(Image.open(page))]

    def letters(text: str) -> str:
        return "".join(c for c in text.lower().replace("\u2010\n", "").replace("\u00ad", "") if c.isalnum())

    words = load_interface(project / "formats" / "interface.yml")
    slugs = sorted(p.name for p in (project / "formats").iterdir() if (p / "card.yml").is_file())
    for lang in LANGUAGES:
        for slug in slugs:
            url = f"{SITE_URL}{PREFIX[lang]}formats/{slug}/"
            pdf = project / "site" / "downloads" / lang / f"{slug}.pdf"
            assert read_codes(pdf) == [url], f"{pdf.name} ({lang})"
            text = letters("".join(page.extract_text() for page in PdfReader(pdf).pages))
            assert letters(url) in text
            assert letters(words["attribution"][lang].split("{title}")[0]) in text and letters("CC BY 4.0") in text
        booklet = project / "site" / "downloads" / f"toolbox-{lang}.pdf"
        assert sorted(read_codes(booklet)) == sorted(f"{SITE_URL}{PREFIX[lang]}formats/{s}/" for s in slugs)
