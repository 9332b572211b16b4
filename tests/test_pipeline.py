"""The pipeline without MkDocs: load, validate, render, status, and the `new` and `status` commands."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURE_CARDS, ROOT, toolbox
from pipeline.project import PROJECT, Project
from pipeline.render import Renderer
from pipeline.status import translation_status
from pipeline.validate import check_cards, valid_cards
from pipeline.vocabulary import load_vocabulary

LANGUAGES = PROJECT.languages.codes

VOCABULARY = load_vocabulary()


def fixture_cards():
    cards, problems = check_cards(FIXTURE_CARDS, VOCABULARY)
    assert problems == []
    return {card.slug: card for card in cards}


def test_loader_reads_facts_and_texts():
    card = fixture_cards()["street-party"]
    assert card.theme == "heat" and card.value("duration.event") == "day" and card.related == ("shade-map",)
    assert card.examples[0].place == "Testtown" and card.examples[0].year == 2021
    assert set(card.texts) == {"de", "en", "ro"}
    assert card.texts["ro"].title == "Petrecere răcoroasă pe stradă"
    assert [s.key for s in card.texts["de"].sections] == list(VOCABULARY.section_headings("de"))
    assert card.texts["de"].sections[0].markdown == "Die Nachbarschaft trifft sich und lernt über Hitze."


def test_every_vocabulary_value_has_every_label():
    for kind, values in VOCABULARY.kinds.items():
        for value in values:
            for lang in LANGUAGES:
                assert VOCABULARY.label(kind, value, lang).strip(), (kind, value, lang)


def test_card_page_shows_facts_with_labels_in_page_language():
    renderer = Renderer(list(fixture_cards().values()), VOCABULARY)
    page = renderer.card_page(fixture_cards()["street-party"], "ro")
    assert page.path == "formats/street-party.md"
    for label in ("Pe scurt", "Temă", "Prevenirea efectelor caniculei", "Persoane vârstnice", "Câteva săptămâni"):
        assert label in page.markdown
    assert '<h1 id="street-party">Petrecere răcoroasă pe stradă</h1>' in page.markdown
    assert '<a href="https://example.org/source">A fixture source</a>' in page.markdown


def test_related_formats_are_shown_in_both_directions():
    cards = fixture_cards()
    renderer = Renderer(list(cards.values()), VOCABULARY)
    assert [c.slug for c in renderer.related(cards["shade-map"])] == ["street-party"]
    assert 'href="../street-party/"' in renderer.card_page(cards["shade-map"], "en").markdown


def test_missing_language_falls_back_marked_with_its_language():
    renderer = Renderer(list(fixture_cards().values()), VOCABULARY)
    page = renderer.card_page(fixture_cards()["shade-map"], "de")
    assert "noch nicht auf Deutsch" in page.markdown
    assert '<div class="card-section" lang="en">' in page.markdown
    assert '<h1 id="shade-map" lang="en">Shade map</h1>' in page.markdown


def test_draft_cards_are_not_rendered():
    cards = list(fixture_cards().values())
    draft = [c for c in cards if c.slug == "shade-map"][0]
    from dataclasses import replace
    renderer = Renderer([replace(draft, status="draft"), *[c for c in cards if c.slug != "shade-map"]], VOCABULARY)
    paths = [page.path for page in renderer.pages("en")]
    assert "formats/shade-map.md" not in paths and "formats/street-party.md" in paths


def test_status_knows_complete_missing_and_outdated():
    states = {s.slug: s.states for s in translation_status(list(fixture_cards().values()), LANGUAGES)}
    assert states["street-party"] == {"de": "complete", "en": "source", "ro": "outdated"}
    assert states["shade-map"] == {"de": "missing", "en": "source", "ro": "missing"}


def test_status_command_prints_the_table():
    result = toolbox("status", "--formats", str(FIXTURE_CARDS))
    assert result.returncode == 0, result.stderr
    row = [line.split() for line in result.stdout.splitlines() if line.startswith("street-party")][0]
    assert row == ["street-party", "published", "complete", "source", "outdated"]


def test_new_scaffolds_a_draft_that_check_accepts(tmp_path):
    formats = tmp_path / "formats"
    formats.mkdir()
    result = toolbox("new", "heat-walk", "--theme", "heat", "--lang", "ro", "--formats", str(formats))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (formats / "heat-walk").iterdir()) == ["card.yml", "de.md", "en.md", "ro.md"]
    assert "## Sfaturi și capcane" in (formats / "heat-walk" / "ro.md").read_text(encoding="utf-8")
    checked = toolbox("check", "--formats", str(formats))
    assert checked.returncode == 0, checked.stdout
    # A scaffold still full of placeholders cannot be published.
    card_yml = formats / "heat-walk" / "card.yml"
    text = card_yml.read_text(encoding="utf-8").replace("status: draft", "status: published")
    card_yml.write_text(text.replace("sources: []", "sources: [{id: a-source, title: A source}]"), encoding="utf-8")
    published = toolbox("check", "--formats", str(formats))
    assert published.returncode == 1 and "placeholder 'TODO'" in published.stdout
    assert "heat-walk/ro.md" in published.stdout  # the source language must be written
    assert "heat-walk/de.md" not in published.stdout  # untouched scaffolds: translations still missing


def test_new_refuses_bad_and_existing_slugs(tmp_path):
    formats = tmp_path / "formats"
    formats.mkdir()
    for slug in ("Heat_Walk", "heat--walk", "hitze-spaziergang-ä"):
        result = toolbox("new", slug, "--formats", str(formats))
        assert result.returncode == 1 and "not a valid slug" in result.stderr
    assert toolbox("new", "heat-walk", "--formats", str(formats)).returncode == 0
    again = toolbox("new", "heat-walk", "--formats", str(formats))
    assert again.returncode == 1 and "exists already" in again.stderr


def test_every_verb_has_help():
    for verb in ("check", "new", "status", "schema"):
        result = toolbox(verb, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout


def test_repository_cards_are_valid():
    cards = valid_cards(PROJECT)
    assert cards, "the repository has no cards"


def test_committed_schema_is_what_the_vocabularies_give():
    from pipeline.schema import schema_json
    assert (ROOT / "formats" / "card.schema.json").read_text(encoding="utf-8") == schema_json(VOCABULARY)


def test_project_paths_follow_the_root(tmp_path: Path):
    assert Project(tmp_path).formats_dir == tmp_path / "formats"


def test_a_source_title_can_be_given_per_language(tmp_path):
    from conftest import make_project, toolbox
    from pipeline.project import Project
    from pipeline.render import Renderer
    from pipeline.validate import valid_project

    project = make_project(tmp_path / "project")
    card = project / "formats" / "street-party" / "card.yml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("title: A fixture source", "title: {de: Eine Quelle, en: A source}"),
                    encoding="utf-8")
    checked = valid_project(Project(project))
    renderer = Renderer(checked.cards, load_vocabulary(project / "formats" / "vocabularies.yml"), Project(project))
    party = next(c for c in checked.cards if c.slug == "street-party")
    assert ">Eine Quelle</a>" in renderer.card_page(party, "de").markdown
    assert '<li lang="en"><a href="https://example.org/source">A source</a>' in renderer.card_page(party, "ro").markdown
    card.write_text(text.replace("title: A fixture source", "title: {fr: Une source}"), encoding="utf-8")
    result = toolbox("check", "--formats", str(project / "formats"))
    assert result.returncode == 1 and "sources.title: the first entry: must be the title as text" in result.stdout


def test_background_work_returns_its_result_or_says_why_it_failed():
    import os
    import signal

    import pytest

    from pipeline.background import Background, BackgroundError

    pages = [f"page {i}" for i in range(2000)]  # more than a pipe holds at once
    assert Background(lambda: [p.upper() for p in pages]).result() == [p.upper() for p in pages]
    with pytest.raises(BackgroundError, match="ZeroDivisionError"):
        Background(lambda: 1 / 0).result()
    with pytest.raises(BackgroundError, match="without a result"):
        Background(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()


def test_outline_names_every_page_the_renderer_makes():
    renderer = Renderer(list(fixture_cards().values()), VOCABULARY)
    for lang in LANGUAGES:
        pages = renderer.pages(lang)
        assert renderer.outline(lang) == {page.path: page.files for page in pages}
