"""Real `properdocs build --strict` runs: of a small fixture project, and of this repository."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import build, make_project
from pipeline.project import PROJECT
from pipeline.validate import valid_cards
from pipeline.vocabulary import load_interface, load_vocabulary

LANGUAGES = PROJECT.languages.codes

PREFIX = {"de": "", "en": "en/", "ro": "ro/"}


def page(site: Path, lang: str, path: str) -> BeautifulSoup:
    file = site / PREFIX[lang] / path / "index.html"
    assert file.is_file(), f"{file} was not built"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def resolve(site: Path, lang: str, path: str, href: str) -> str:
    """The site path a relative link on a page points to, like 'en/formats/x/'."""
    base = (site / PREFIX[lang] / path / "index.html").parent
    return (base / href).resolve().relative_to(site.resolve()).as_posix() + "/"


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(file.relative_to(folder).as_posix().encode() + file.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("fixture") / "project")
    before = {name: tree_digest(project / name) for name in ("formats", "docs")}
    result = build(project)
    assert result.returncode == 0, result.stderr
    after = {name: tree_digest(project / name) for name in ("formats", "docs")}
    assert before == after, "the build wrote into formats/ or docs/"
    assert not list((project / "docs").rglob("formats")), "generated pages were written into docs/"
    return project / "site"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_card_page_in_each_language(fixture_site, lang):
    soup = page(fixture_site, lang, "formats/street-party")
    assert soup.html["lang"] == lang
    titles = {"de": "Kühles Straßenfest", "en": "Cool street party", "ro": "Petrecere răcoroasă pe stradă"}
    assert soup.h1.get_text(strip=True).startswith(titles[lang])
    facts = soup.select_one("aside.card-facts")
    label = load_interface(PROJECT.interface_file)["target_groups"][lang]
    assert label in [dt.get_text(strip=True) for dt in facts.find_all("dt")]
    theme_link = facts.find("a")
    assert resolve(fixture_site, lang, "formats/street-party", theme_link["href"]) == f"{PREFIX[lang]}themes/heat/"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hreflang_alternates_and_switcher_stay_on_the_card(fixture_site, lang):
    soup = page(fixture_site, lang, "formats/street-party")
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}
    assert set(alternates) >= set(LANGUAGES)
    for other in LANGUAGES:
        target = resolve(fixture_site, lang, "formats/street-party", alternates[other])
        assert target == f"{PREFIX[other]}formats/street-party/"
    switcher = {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link[hreflang]")}
    assert set(switcher) == set(LANGUAGES)
    for other in LANGUAGES:
        assert resolve(fixture_site, lang, "formats/street-party", switcher[other]) == \
            f"{PREFIX[other]}formats/street-party/"


def test_navigation_labels_are_translated(fixture_site):
    nav = {lang: page(fixture_site, lang, "formats/street-party").select_one("nav.md-nav--primary").get_text(" ")
           for lang in LANGUAGES}
    heat = load_vocabulary(PROJECT.vocabulary_file).labels("themes", "en")["heat"]
    assert "Formate" in nav["de"] and "Hitzevorsorge" in nav["de"]
    assert "Formats" in nav["en"] and heat in nav["en"]
    assert "Formate" in nav["ro"] and "Prevenirea efectelor caniculei" in nav["ro"]


@pytest.mark.parametrize("lang, notice", [("de", "noch nicht auf Deutsch"), ("ro", "nu a fost încă tradus")])
def test_missing_translation_is_marked_and_announced(fixture_site, lang, notice):
    soup = page(fixture_site, lang, "formats/shade-map")
    assert soup.html["lang"] == lang
    assert notice in soup.select_one(".toolbox-notice").get_text()
    assert soup.h1.get("lang") == "en"
    fallback = soup.select_one('article div[lang="en"]')
    assert fallback is not None and "Find the shade." in fallback.get_text()


def test_related_formats_link_both_ways(fixture_site):
    shade = page(fixture_site, "en", "formats/shade-map")
    links = [resolve(fixture_site, "en", "formats/shade-map", a["href"]) for a in shade.select("article a[href]")]
    assert "en/formats/street-party/" in links
    party = page(fixture_site, "en", "formats/street-party")
    links = [resolve(fixture_site, "en", "formats/street-party", a["href"]) for a in party.select("article a[href]")]
    assert "en/formats/shade-map/" in links


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overview_pages_list_the_cards(fixture_site, lang):
    listing = page(fixture_site, lang, "formats").select_one("article")
    theme = page(fixture_site, lang, "themes/heat").select_one("article")
    for soup, path in ((listing, "formats"), (theme, "themes/heat")):
        targets = {resolve(fixture_site, lang, path, a["href"]) for a in soup.select("a[href]")}
        assert f"{PREFIX[lang]}formats/street-party/" in targets


def test_sources_are_listed(fixture_site):
    soup = page(fixture_site, "de", "formats/street-party")
    assert soup.find("a", href="https://example.org/source").get_text() == "A fixture source"


def test_broken_card_stops_the_build(tmp_path):
    project = make_project(tmp_path / "project")
    card = project / "formats" / "street-party" / "card.yml"
    card.write_text(card.read_text(encoding="utf-8").replace("theme: heat", "theme: hot"), encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "street-party/card.yml:5: theme: 'hot' is not a known value" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def tiny_png() -> bytes:
    """A valid 4×2 PNG image."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + b"\x00\x69\x5c" * 4 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def test_a_card_image_is_published_with_the_card_in_each_language(tmp_path):
    project = make_project(tmp_path / "project")  # shade-map has English text only: de and ro show it too
    card = project / "formats" / "shade-map"
    (card / "map.png").write_bytes(tiny_png())
    text = (card / "en.md").read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("## "))
    (card / "en.md").write_text(text.replace(heading, f"{heading}\n\n![A map of shady places](map.png)\n", 1),
                                encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    for lang in LANGUAGES:
        images = page(site, lang, "formats/shade-map").select("article img")
        assert [img["alt"] for img in images] == ["A map of shady places"]
        file = (site / PREFIX[lang] / "formats" / "shade-map" / images[0]["src"]).resolve()
        with Image.open(file) as published, Image.open(io.BytesIO(tiny_png())) as original:
            assert published.size == original.size, f"{lang}: {images[0]['src']} is not the card's image"
            assert published.convert("RGB").tobytes() == original.convert("RGB").tobytes()
    assert not (project / "docs" / "en" / "formats").exists()  # nothing written into the sources


# The repository itself -------------------------------------------------------------------------------

def test_every_published_card_has_a_page_in_each_language(repository_site):
    cards = [card for card in valid_cards(PROJECT) if card.published]
    assert cards
    for card in cards:
        for lang in LANGUAGES:
            soup = page(repository_site, lang, f"formats/{card.slug}")
            assert soup.html["lang"] == lang
            assert soup.h1.get_text(strip=True).startswith(card.text_for(lang, ("en",)).title)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_repository_home_page(repository_site, lang):
    soup = page(repository_site, lang, ".")
    assert soup.html["lang"] == lang
    assert soup.find("meta", attrs={"name": "description"})


def test_every_page_has_its_language_and_alternates(repository_site):
    for file in repository_site.rglob("index.html"):
        relative = file.parent.relative_to(repository_site).as_posix()
        first = relative.split("/")[0]
        lang = first if first in ("en", "ro") else "de"
        if relative in ("search",):
            continue
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        assert soup.html["lang"] == lang, file
        path = relative.removeprefix(f"{lang}/").removeprefix(lang) if lang != "de" else relative
        path = "" if path == "." else path
        alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}
        for other in LANGUAGES:
            href = alternates[other]
            base = repository_site if href.startswith("/") else file.parent
            target = (base / href.lstrip("/")).resolve() / "index.html"
            assert target.is_file(), f"{file}: hreflang {other} → {alternates[other]} does not exist"
            expected = repository_site / PREFIX[other] / path / "index.html"
            assert target == expected.resolve(), f"{file}: hreflang {other} points to {target}"


def test_status_page_shows_what_is_missing_or_out_of_date(fixture_site):
    soup = page(fixture_site, "en", "status")
    rows = {tr.find("a").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")[1:]]
            for tr in soup.select("article table tbody tr")}
    assert rows["Cool street party"] == ["complete", "original", "out of date"]
    assert rows["Shade map"] == ["missing", "original", "missing"]
    ro = page(fixture_site, "ro", "status")
    assert "depășită" in ro.get_text() and ro.html["lang"] == "ro"


def test_a_draft_card_is_checked_but_published_nowhere(tmp_path):
    import json

    from pypdf import PdfReader

    project = make_project(tmp_path / "project")
    card = project / "formats" / "shade-map" / "card.yml"
    card.write_text(card.read_text(encoding="utf-8").replace("status: published", "status: draft"), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for lang in ("de", "en", "ro"):
        prefix = "" if lang == "de" else f"{lang}/"
        assert not (site / prefix / "formats" / "shade-map").exists()
        assert "shade-map" not in (site / prefix / "formats" / "index.html").read_text(encoding="utf-8")
        assert not (site / "downloads" / lang / "shade-map.pdf").exists()
        booklet = "".join(p.extract_text() for p in PdfReader(site / "downloads" / f"toolbox-{lang}.pdf").pages)
        assert "Shade map" not in booklet
    data = json.loads((site / "data" / "formats.json").read_text(encoding="utf-8"))
    assert [item["slug"] for item in data["formats"]] == ["street-party"]
