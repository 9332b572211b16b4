"""`toolbox.py check` on good and broken cards: one clear line per problem, exit 1, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import toolbox

LINE = re.compile(r"^(?P<path>[^:]+):(?:(?P<line>\d+):)? (?P<field>[^:]+): (?P<message>.+)$")


def check(project: Path):
    result = toolbox("check", "--formats", str(project / "formats"))
    assert "Traceback" not in result.stdout + result.stderr
    return result


def problems(result) -> list[dict]:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), f"not in the form path:line: field: message:\n{result.stdout}"
    return [m.groupdict() for m in parsed]


def test_good_cards_pass(project):
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert "All 2 cards are valid" in result.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def yaml_does_not_parse(card: Path):
    edit(card / "card.yml", "theme: heat\n", "theme: [heat\n")


def required_field_missing(card: Path):
    edit(card / "card.yml", "theme: heat\n", "")


def wrong_type(card: Path):
    edit(card / "card.yml", "target_groups: [residents, older-people]", "target_groups: residents")


def value_not_in_vocabulary(card: Path):
    edit(card / "card.yml", "hazards: [heat]", "hazards: [heat, earthquake]")


def related_slug_missing(card: Path):
    edit(card / "card.yml", "related: [shade-map]", "related: [shade-map, no-such-card]")


def folder_differs_from_slug(card: Path):
    card.rename(card.parent / "street-fest")


def front_matter_missing(card: Path):
    text = (card / "de.md").read_text(encoding="utf-8")
    (card / "de.md").write_text(text.split("---\n", 2)[2], encoding="utf-8")


def empty_title(card: Path):
    edit(card / "ro.md", "title: Petrecere răcoroasă pe stradă", "title: ''")


def section_missing(card: Path):
    edit(card / "en.md", "## Tips and pitfalls\n\nStart early in the day.\n\n", "")


def unknown_language(card: Path):
    (card / "fr.md").write_text((card / "en.md").read_text(encoding="utf-8"), encoding="utf-8")


def not_utf8(card: Path):
    (card / "de.md").write_bytes((card / "de.md").read_text(encoding="utf-8").encode("latin-1"))


def script_tag(card: Path):
    edit(card / "en.md", "Tables and water.", "Tables and water.\n\n<script>alert(1)</script>")


def iframe_tag(card: Path):
    edit(card / "en.md", "Tables and water.", 'Tables <iframe src="https://example.org"></iframe>')


def event_attribute(card: Path):
    edit(card / "en.md", "Tables and water.", '<img src="x.png" onerror="alert(1)">')


def style_tag(card: Path):
    edit(card / "de.md", "Tische und Wasser.", "<style>body{display:none}</style>")


# (how to break the card, file named, line, field, words of the message)
BROKEN = [
    (yaml_does_not_parse, "street-party/card.yml", 6, "yaml", "a list in brackets is not closed"),
    (required_field_missing, "street-party/card.yml", None, "theme", "required field is missing"),
    (wrong_type, "street-party/card.yml", 7, "target_groups", "must be a list"),
    (value_not_in_vocabulary, "street-party/card.yml", 6, "hazards", "the second value: 'earthquake' is not a known"),
    (related_slug_missing, "street-party/card.yml", 16, "related", "the second value: no card has the slug 'no-such"),
    (folder_differs_from_slug, "street-fest/card.yml", 2, "slug", "differs from the folder name 'street-fest'"),
    (front_matter_missing, "street-party/de.md", 1, "front matter", "missing"),
    (empty_title, "street-party/ro.md", 2, "title", "must be non-empty text"),
    (section_missing, "street-party/en.md", None, "sections.tips", "missing section '## Tips and pitfalls'"),
    (unknown_language, "street-party/fr.md", None, "language", "'fr' is not a language of the site"),
    (not_utf8, "street-party/de.md", 2, "encoding", "not UTF-8"),
    (script_tag, "street-party/en.md", 20, "sections.needs", "the HTML element <script> is not allowed"),
    (iframe_tag, "street-party/en.md", 18, "sections.needs", "the HTML element <iframe> is not allowed"),
    (event_attribute, "street-party/en.md", 18, "sections.needs", "the attribute 'onerror' on <img> is not allowed"),
    (style_tag, "street-party/de.md", 18, "sections.needs", "the HTML element <style> is not allowed"),
]


@pytest.mark.parametrize("breaker, path, line, field, message", BROKEN, ids=[b[0].__name__ for b in BROKEN])
def test_broken_card_is_reported(project, breaker, path, line, field, message):
    breaker(project / "formats" / "street-party")
    result = check(project)
    assert result.returncode == 1
    found = problems(result)
    matching = [p for p in found if p["path"].endswith(path) and p["field"] == field and message in p["message"]]
    assert matching, f"expected {path}:{line}: {field}: …{message}… in:\n{result.stdout}"
    if line is not None:
        assert matching[0]["line"] == str(line), result.stdout


def test_two_cards_with_one_slug(project):
    formats = project / "formats"
    edit(formats / "shade-map" / "card.yml", "slug: shade-map", "slug: street-party")
    found = problems(check(project))
    assert any(p["path"].endswith("shade-map/card.yml") and p["field"] == "slug"
               and "differs from the folder name" in p["message"] for p in found)
    assert any("is the slug of another card too" in p["message"] for p in found)


def test_every_problem_is_reported_not_just_the_first(project):
    value_not_in_vocabulary(project / "formats" / "street-party")
    edit(project / "formats" / "shade-map" / "en.md", "## Goal\n\nFind the shade.\n\n", "")
    found = problems(check(project))
    assert {Path(p["path"]).parent.name for p in found} == {"street-party", "shade-map"}


def test_schema_file_out_of_date_is_reported(tmp_path):
    from conftest import ROOT
    from pipeline.validate import schema_file_problems
    from pipeline.vocabulary import load_vocabulary

    stale = tmp_path / "card.schema.json"
    stale.write_text("{}", encoding="utf-8")
    assert schema_file_problems(load_vocabulary(), stale)
    assert not schema_file_problems(load_vocabulary(), ROOT / "formats" / "card.schema.json")


def test_broken_chapters_are_reported(project):
    docs = project / "docs"
    edit(docs / "ro" / "index.md", "description: ", "description: Acasă: ")
    (docs / "en" / "extra.md").write_text("---\ndescription: An extra page.\n---\n\nNo title here.\n", encoding="utf-8")
    found = problems(check(project))
    assert {(Path(p["path"]).relative_to(docs).as_posix(), p["line"], p["field"]) for p in found} >= {
        ("ro/index.md", "3", "front matter"),  # YAML that does not parse
        ("en/extra.md", None, "title"),  # no '# Title'
        ("de/extra.md", None, "language"),  # exists in English only
        ("ro/extra.md", None, "language"),
    }


def test_images_must_exist_next_to_the_card(project):
    edit(project / "formats" / "street-party" / "en.md", "Tables and water.",
         "Tables and water.\n\n![A table](table.png)\n\n![Remote](https://example.org/x.png)\n\n"
         "![Elsewhere](../shade-map/card.yml) ![](table.png) <img src='table.png'>")
    found = problems(check(project))
    assert any(p["field"] == "image" and p["line"] == "20" and "'table.png' does not exist" in p["message"]
               for p in found)
    assert any(p["field"] == "image" and "is a web address" in p["message"] for p in found)
    assert any(p["field"] == "image" and "lies outside the folder" in p["message"] for p in found)
    assert sum(p["field"] == "image" and "has no description" in p["message"] for p in found) == 2


def test_contributing_field_reference_out_of_date_is_reported(tmp_path):
    from conftest import ROOT
    from pipeline.schema import schema_json
    from pipeline.validate import schema_file_problems
    from pipeline.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    (tmp_path / "formats").mkdir()
    (tmp_path / "formats" / "card.schema.json").write_text(schema_json(vocabulary), encoding="utf-8")
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    (tmp_path / "CONTRIBUTING.md").write_text(guide, encoding="utf-8")
    assert schema_file_problems(vocabulary, tmp_path / "formats" / "card.schema.json") == []
    (tmp_path / "CONTRIBUTING.md").write_text(guide.replace("`drought`", "`dry`"), encoding="utf-8")
    problems = schema_file_problems(vocabulary, tmp_path / "formats" / "card.schema.json")
    assert [p.field for p in problems] == ["fields"]
