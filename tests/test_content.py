"""The rules about content are rules of `check`, where editors see them: tested here on fixture cards, and on
this repository's content as CI applies them (whatever cards it holds)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import ROOT, toolbox
from pipeline.content_rules import MAX_WORDS
from pipeline.project import Project
from pipeline.validate import check_project


def problems_in(project: Path, name: str) -> list:
    checked = check_project(Project(project), project / "formats", project / "docs")
    return [p for p in checked.problems if p.path.name == name or str(p.path).endswith(name)]


def test_the_repository_keeps_every_rule_of_check():
    result = toolbox("check")
    assert result.returncode == 0, result.stdout


def add_line(path: Path, after: str, line: str) -> int:
    """Put `line` after the line `after`; its line number."""
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, f"{after}\n\n{line}", 1), encoding="utf-8")
    return path.read_text(encoding="utf-8").splitlines().index(line) + 1


@pytest.mark.parametrize("line, field, words", [
    ("Write to anna.muster@example.org for a table.", "privacy", "looks like an e-mail address"),
    ("Call 0231 50 27299 to book a table.", "privacy", "looks like a phone number"),
    ("Call +49 (0)231/50-2 21 34 to book.", "privacy", "looks like a phone number"),
    ("Frau Pommerenke lud ein.", "privacy", "the name of a private person"),
    ("Invite Moritz Hans and friends.", "privacy", "the name of a private person"),
    ("Începeți la şcoală.", "spelling", "Romanian is written with a comma below, 'ș'"),
])
def test_content_rules_name_file_line_and_field(project, line, field, words):
    number = add_line(project / "formats" / "street-party" / "en.md", "Tables and water.", line)
    found = [p for p in problems_in(project, "street-party/en.md") if p.field == field and words in p.message]
    assert [p.line for p in found] == [number]


def test_content_rules_apply_to_card_yml_and_chapters(project):
    card = project / "formats" / "street-party" / "card.yml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("sources:", "# contact: info@example.org\nsources:", 1), encoding="utf-8")
    assert [p.field for p in problems_in(project, "street-party/card.yml")] == ["privacy"]
    chapter = project / "docs" / "ro" / "privacy.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nŞcoala ţine legătura.\n", encoding="utf-8")
    assert {p.field for p in problems_in(project, "ro/privacy.md")} == {"spelling"}


def test_ordinary_numbers_and_emergency_numbers_are_not_contact_data(project):
    for line in ("In 2050 the city expects 9.77 more hot days (2021–2050).", "Call 112 in an emergency.",
                 "The report of 20.04.2021 lists 40 events, 1,2–3,9 °C."):
        add_line(project / "formats" / "street-party" / "en.md", "Tables and water.", line)
    assert problems_in(project, "street-party/en.md") == []


def test_a_text_longer_than_the_limit_is_reported(project):
    path = project / "formats" / "street-party" / "en.md"
    add_line(path, "Tables and water.", "word " * MAX_WORDS)
    found = [p for p in problems_in(project, "street-party/en.md") if p.field == "length"]
    assert found and f"at most {MAX_WORDS}" in found[0].message


def test_private_names_are_kept_as_hashes_only():
    rules = (ROOT / "formats" / "content-rules.yml").read_text(encoding="utf-8")
    assert hashlib.sha256(b"pommerenke").hexdigest() in rules
    assert "pommerenke" not in rules.casefold()


TERMS = """heat-telephone:
  en: {use: heat helpline, avoid: [heat hotline, heat telephone], search: [helpline]}
  de: {use: Hitzetelefon, avoid: [Hitze-Hotline]}
"""


def test_an_avoided_term_is_reported_with_the_preferred_one(project):
    (project / "formats" / "terminology.yml").write_text(TERMS, encoding="utf-8")
    number = add_line(project / "formats" / "street-party" / "en.md", "Tables and water.",
                      "Heat hotline numbers go on the poster; see https://example.org/heat-telephone.")
    found = [p for p in problems_in(project, "street-party/en.md") if p.field == "terms"]
    assert [(p.line, "'Heat hotline'" in p.message, "'heat helpline'" in p.message) for p in found] == [
        (number, True, True)]  # the address is not prose: its "heat-telephone" is no finding


def test_avoided_terms_in_interface_words_and_chapters(project):
    (project / "formats" / "terminology.yml").write_text(TERMS, encoding="utf-8")
    words = project / "formats" / "interface.yml"
    words.write_text(words.read_text(encoding="utf-8").replace("  en: At a glance", "  en: Heat telephone at a glance"),
                     encoding="utf-8")
    chapter = project / "docs" / "de" / "privacy.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nDie Hitze-Hotline sammelt keine Daten.\n",
                       encoding="utf-8")
    assert [p.field for p in problems_in(project, "interface.yml")] == ["at_a_glance.en"]
    assert [p.field for p in problems_in(project, "de/privacy.md")] == ["terms"]


def test_a_broken_termbase_is_reported(project):
    (project / "formats" / "terminology.yml").write_text("heat-telephone:\n  en: {use: [a, b]}\n  fr: {use: x}\n",
                                                         encoding="utf-8")
    found = problems_in(project, "terminology.yml")
    assert {p.field for p in found} == {"heat-telephone"} and all(p.line for p in found)
