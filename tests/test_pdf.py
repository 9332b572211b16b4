"""The print edition built by `properdocs build`: read back with pypdf and compared with the cards and chapters."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ROOT, build, make_project
from pipeline.print_edition import CHAPTERS_AFTER, CHAPTERS_BEFORE
from pipeline.project import PROJECT
from pipeline.validate import valid_project
from pipeline.vocabulary import load_vocabulary

LANGUAGES = PROJECT.languages.codes

CHECKED = valid_project(PROJECT)
CARDS = [card for card in CHECKED.cards if card.published]
VOCABULARY = load_vocabulary()
TITLES = {"de": "Werkzeugkasten Reallabore", "en": "Living-lab toolbox", "ro": "Trusa laboratoarelor urbane"}
PAGE_OF = {"de": r"Seite \d+ von \d+", "en": r"Page \d+ of \d+", "ro": r"Pagina \d+ din \d+"}


def letters(text: str) -> str:
    """Only letters and digits, lowercased: what must survive any line breaking and hyphenation."""
    text = unicodedata.normalize("NFC", text).replace("\u2010\n", "").replace("\u00ad", "")
    return "".join(c for c in text.lower() if c.isalnum())


def outline_entries(reader: PdfReader, items=None) -> list[tuple[str, int]]:
    entries = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            entries += outline_entries(reader, item)
        else:
            entries.append((item.title, reader.get_destination_page_number(item) + 1))
    return entries


@pytest.fixture(scope="module")
def booklets(repository_site) -> dict[str, PdfReader]:
    return {lang: PdfReader(repository_site / "downloads" / f"toolbox-{lang}.pdf") for lang in LANGUAGES}


@pytest.fixture(scope="module")
def page_texts(booklets) -> dict[str, list[str]]:
    """Each booklet's text, page by page, read once (pypdf takes seconds for a booklet)."""
    return {lang: [page.extract_text() for page in reader.pages] for lang, reader in booklets.items()}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_metadata_title_language_and_tags(booklets, lang):
    reader = booklets[lang]
    assert reader.metadata.title == TITLES[lang]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # a tagged PDF


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_card_and_chapter_is_in_the_outline_and_the_text(booklets, page_texts, lang):
    reader = booklets[lang]
    outline = [title for title, _ in outline_entries(reader)]
    text = letters("\n".join(page_texts[lang]))
    titles = [card.text_for(lang, ("en",)).title for card in CARDS]
    titles += [c.title for c in CHECKED.chapters_named(CHAPTERS_BEFORE + CHAPTERS_AFTER, lang)]
    for title in titles:
        assert title in outline, f"{title!r} is not in the outline of toolbox-{lang}.pdf"
        assert letters(title) in text, f"{title!r} is not in the text of toolbox-{lang}.pdf"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_contents_page_numbers_are_the_pages(booklets, page_texts, lang):
    reader = booklets[lang]
    contents = " ".join(page_texts[lang][2].split())
    checked = 0
    for title, page in outline_entries(reader):
        pattern = r"\s*".join(map(re.escape, title.split())) + r"[\s.]*?(\d+)"
        match = re.search(pattern, contents)
        assert match, f"{title!r} is not in the contents of toolbox-{lang}.pdf"
        assert int(match.group(1)) == page, f"contents say {title!r} is on page {match.group(1)}, it is on {page}"
        checked += 1
    assert checked >= len(CARDS) + 5


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_card_text_is_missing(page_texts, lang):
    """WeasyPrint can drop what it cannot lay out: every paragraph of every card must be in the PDF."""
    page_text = "\n".join(re.sub(PAGE_OF[lang], "", text) for text in page_texts[lang])
    page_text = re.sub(r"^\s*(?:\d{1,2}\.|•)\s*$", "", page_text, flags=re.M)  # list markers (1. to 99.), not a year
    # Running headers (theme, chapter, card) and footers interrupt the text at page breaks.
    running = {TITLES[lang]} | {card.text_for(lang, ("en",)).title for card in CARDS}
    running |= {c.title for c in CHECKED.chapters if c.lang == lang}
    running |= set(VOCABULARY.labels("themes", lang).values())
    pdf = letters(page_text)
    for title in sorted(running, key=len, reverse=True):  # a title may end with a theme label
        pdf = pdf.replace(letters(title), "")
    for card in CARDS:
        for section in card.text_for(lang, ("en",)).sections:
            html = section.html
            for block in BeautifulSoup(html, "html.parser").find_all(["p", "li", "dd", "td"]):
                expected = letters(block.get_text(" "))
                for title in sorted(running, key=len, reverse=True):  # a title may end with a theme label
                    expected = expected.replace(letters(title), "")
                assert expected in pdf, f"{card.slug}/{lang}: missing in the PDF: {block.get_text()[:80]!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_font_is_embedded(booklets, lang):
    fonts = {}
    for page in booklets[lang].pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)
            descriptor = descriptor["/FontDescriptor"]
            fonts[font["/BaseFont"]] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts


def test_romanian_booklet_has_no_cedilla(page_texts):
    text = "\n".join(page_texts["ro"])
    assert not re.search("[\u015e\u015f\u0162\u0163]", text)
    assert "ș" in text and "ț" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_card_has_its_own_pdf_and_the_site_links_them(repository_site, lang):
    """Every page links its language's booklet and every card page its PDF, each with the real size (and the
    booklet with its real number of pages), in the language's way of writing numbers."""
    from pipeline.pdf_files import human_size
    from pipeline.vocabulary import load_interface, plural

    prefix = PROJECT.languages.prefix(lang)
    booklet_file = repository_site / "downloads" / f"toolbox-{lang}.pdf"
    pages = len(PdfReader(booklet_file).pages)
    words = plural(load_interface(PROJECT.interface_file)["pages"][lang], pages, lang).format(count=pages)
    home = BeautifulSoup((repository_site / prefix / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = home.select_one(f'.toolbox-booklet a[href$="downloads/toolbox-{lang}.pdf"]')
    assert link is not None
    assert f"(PDF, {human_size(booklet_file.stat().st_size, lang)}, {words})" in link.parent.get_text(" ", strip=True)
    for card in CARDS:
        pdf = repository_site / "downloads" / lang / f"{card.slug}.pdf"
        reader = PdfReader(pdf)
        assert 1 <= len(reader.pages) <= 4
        assert letters(card.text_for(lang, ("en",)).title) in letters(reader.pages[0].extract_text())
        page = BeautifulSoup((repository_site / prefix / "formats" / card.slug / "index.html").read_text(
            encoding="utf-8"), "html.parser")
        button = page.select_one(f'a.toolbox-card-pdf[href$="downloads/{lang}/{card.slug}.pdf"]')
        assert button is not None
        assert button.select_one(".toolbox-size").get_text() == f"(PDF, {human_size(pdf.stat().st_size, lang)})"


def test_no_page_keeps_a_size_marker(repository_site):
    """The pages are written while the PDFs are laid out; their sizes are filled in afterwards, everywhere."""
    left = [p for p in repository_site.rglob("*.html") if "@@toolbox-pdf-" in p.read_text(encoding="utf-8")]
    assert left == []


def test_a_wide_table_and_a_long_address_fit_the_column(tmp_path):
    """What an editor may write never makes the PDF build fail: a table of ten long cells, an address with no
    place to break and a place's name longer than its column in the facts table are broken to fit."""
    from pypdf import PdfReader

    project = make_project(tmp_path / "project")
    wide = "| " + " | ".join("Ab" + f"{i}" * 25 for i in range(10)) + " |\n"  # no word to hyphenate
    wide += "|" + "---|" * 10 + "\n" + wide
    address = "https://example.org/" + "a" * 150
    card = project / "formats" / "street-party" / "de.md"
    card.write_text(card.read_text(encoding="utf-8").replace("Tische und Wasser.", f"{wide}\n[{address}]({address})"),
                    encoding="utf-8")
    facts = project / "formats" / "street-party" / "card.yml"
    place = "Zz" + "7" * 160
    facts.write_text(facts.read_text(encoding="utf-8").replace("place: Testtown", f"place: '{place}'"),
                     encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(project / "site" / "downloads" / "de" /
                                                             "street-party.pdf").pages)
    assert "Ab" + "9" * 10 in re.sub(r"\s", "", text)
    assert place in re.sub(r"\s", "", text)


def test_something_wider_than_the_page_is_refused():
    from pipeline.pdf import LayoutError, render_pdf

    html = ('<html lang="en"><head></head><body>'
            '<table style="width: 400mm"><tr><td>wide</td></tr></table></body></html>')
    with pytest.raises(LayoutError, match="card street-party: cannot be printed completely"):
        render_pdf("card street-party", html, PROJECT.print_dir)


def test_a_missing_image_is_refused_by_the_print_step():
    from pipeline.pdf import LayoutError, render_pdf

    html = '<html lang="en"><body><p>Before</p><img src="file:///nonexistent/photo.png" alt="x"></body></html>'
    with pytest.raises(LayoutError, match="card street-party: cannot be printed completely"):
        render_pdf("card street-party", html, PROJECT.print_dir)


def test_the_print_stylesheet_is_read_once_and_again_when_it_changes(tmp_path):
    """Every document is laid out with print.css, parsed once per process; an edit to it (as while the site is
    served) applies to the next document, and what WeasyPrint drops from it refuses every document."""
    import shutil

    from pipeline.pdf import LayoutError, _parsed_style, render_pdf

    templates = tmp_path / "print"
    shutil.copytree(PROJECT.print_dir, templates)
    sheet = templates / "print.css"
    html = '<html lang="en"><body><p class="card-title">Street party</p></body></html>'

    def page_width(name: str) -> float:
        return float(PdfReader(io.BytesIO(render_pdf(name, html, templates).data)).pages[0]
                     .mediabox.width)

    assert round(page_width("card one") / 72 * 25.4) == 210  # A4, from print.css
    parsed = _parsed_style.cache_info().misses
    assert round(page_width("card two") / 72 * 25.4) == 210
    assert _parsed_style.cache_info().misses == parsed  # the same sheet: not parsed again
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("size: A4;", "size: A5;"), encoding="utf-8")
    assert round(page_width("card three") / 72 * 25.4) == 148
    sheet.write_text(sheet.read_text(encoding="utf-8") + '\n@font-face { font-family: "Gone"; '
                     'src: url("fonts/gone.ttf"); }\n', encoding="utf-8")
    for name in ("card four", "card five"):  # the second from the parsed sheet: still refused
        refused = f"{name}: cannot be printed completely:\n  - print.css: Font-face 'Gone' cannot be loaded"
        with pytest.raises(LayoutError, match=refused):
            render_pdf(name, html, templates)
    sheet.unlink()
    outside = tmp_path / "elsewhere.css"  # a file elsewhere on the build machine: refused, as every file outside
    outside.write_text("@page { size: A6; }", encoding="utf-8")
    sheet.symlink_to(outside)
    with pytest.raises(LayoutError, match="card six: cannot be printed completely:\n  - print.css: it cannot be read"):
        render_pdf("card six", html, templates)
    sheet.unlink()
    with pytest.raises(LayoutError, match="card seven: cannot be printed completely:\n  - print.css: it cannot be"):
        render_pdf("card seven", html, templates)


def test_markdown_extensions_match_the_site():
    from pipeline.markdown_html import MARKDOWN_EXTENSIONS

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("markdown_extensions:")[1]
    names = re.findall(r"^  - ([\w.]+)", config, re.M)
    assert names == MARKDOWN_EXTENSIONS

