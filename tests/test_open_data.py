"""The catalogue as open data, written by `properdocs build` into site/data/."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from conftest import read_csv
from pipeline.project import PROJECT
from pipeline.validate import valid_cards, valid_project
from pipeline.vocabulary import load_vocabulary

LANGUAGES = PROJECT.languages.codes
FALLBACK_ORDER = PROJECT.languages.fallback

CARDS = [card for card in valid_project(PROJECT).cards if card.published]


@pytest.fixture(scope="module")
def data(repository_site):
    return json.loads((repository_site / "data" / "formats.json").read_text(encoding="utf-8"))


def test_formats_json_is_valid_against_its_own_schema(repository_site, data):
    schema = json.loads((repository_site / "data" / "formats.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert errors == [], [e.message for e in errors][:5]


def test_formats_json_holds_every_card_in_every_language(data):
    assert data["licence"]["name"] == "CC BY 4.0"
    assert {item["slug"] for item in data["formats"]} == {card.slug for card in CARDS}
    by_slug = {item["slug"]: item for item in data["formats"]}
    for card in CARDS:
        for lang in LANGUAGES:
            assert by_slug[card.slug]["texts"][lang]["title"] == card.text_for(lang, FALLBACK_ORDER).title
            assert by_slug[card.slug]["texts"][lang]["url"].endswith(f"formats/{card.slug}/")


def test_the_schema_rejects_what_is_wrong(repository_site, data):
    schema = json.loads((repository_site / "data" / "formats.schema.json").read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(data))
    broken["formats"][0]["theme"] = "weather"
    del broken["formats"][1]["texts"]["ro"]
    assert len(list(Draft202012Validator(schema).iter_errors(broken))) == 2


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_csv_per_language_with_labels_and_licence(repository_site, lang):
    path = repository_site / "data" / f"formats-{lang}.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would garble the letters"
    rows = read_csv(path, lang)
    assert len(rows) == len(CARDS)
    assert all(row["licence"].startswith("CC BY 4.0") for row in rows)
    theme = load_vocabulary(PROJECT.vocabulary_file).label("themes", "heat", lang)
    assert theme in {row["theme"] for row in rows}


def test_csv_files_split_as_spreadsheets_in_their_language_expect():
    from pipeline.open_data import catalog_csv, catalog_data, csv_delimiter

    vocabulary = load_vocabulary(PROJECT.vocabulary_file)
    data = catalog_data(valid_cards(PROJECT), vocabulary, "", "2026-01-01")
    assert (csv_delimiter("de"), csv_delimiter("ro"), csv_delimiter("en"), csv_delimiter("fr")) == (";", ";", ",", ";")
    for lang in LANGUAGES:
        header = catalog_csv(data, vocabulary, lang).removeprefix("\ufeff").splitlines()[0]
        assert header.split(csv_delimiter(lang))[:3] == ["slug", "title", "summary"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_about_page_links_the_open_data(repository_site, lang):
    from bs4 import BeautifulSoup

    about = repository_site / {"de": "", "en": "en/", "ro": "ro/"}[lang] / "about" / "index.html"
    links = BeautifulSoup(about.read_text(encoding="utf-8"), "html.parser").select(".toolbox-open-data a")
    assert len(links) == 5
    for link in links:
        assert (about.parent / link["href"]).resolve().is_file(), link["href"]
