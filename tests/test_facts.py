"""A card's facts are declared once (formats/facts.yml): adding one is a declaration plus its labels, and the
schema, the field reference, `check`, the scaffold, the card page, the catalogue, the printed card and the open
data all follow, with no change to code or templates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import ROOT, build, read_csv, run

SEASON_FACT = """season:
  vocabulary: seasons
  list: true
  facet: true
  tile: true
  description: The seasons the format suits.
"""
SEASONS = """seasons:
  summer:
    de: Sommer
    en: Summer
    ro: Vară
  winter:
    de: Winter
    en: Winter
    ro: Iarnă
"""
SEASON_WORD = """season:
  de: Jahreszeit
  en: Season
  ro: Anotimp
"""


def _toolbox(project: Path, *args: str):
    return run(str(project / "scripts" / "toolbox.py"), *args, cwd=project)


def _add_season(project: Path) -> None:
    formats = project / "formats"
    (formats / "facts.yml").write_text((formats / "facts.yml").read_text(encoding="utf-8") + SEASON_FACT,
                                       encoding="utf-8")
    (formats / "vocabularies.yml").write_text((formats / "vocabularies.yml").read_text(encoding="utf-8")
                                              + "\n" + SEASONS, encoding="utf-8")
    (formats / "interface.yml").write_text((formats / "interface.yml").read_text(encoding="utf-8") + "\n"
                                           + SEASON_WORD, encoding="utf-8")


def _set_season(project: Path, value: str) -> None:
    card = project / "formats" / "street-party" / "card.yml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("phases: [activation]\n", f"phases: [activation]\nseason: {value}\n"),
                    encoding="utf-8")


def test_a_new_fact_is_one_declaration_plus_its_labels(project: Path):
    for guide in ("CONTRIBUTING.md", "CONTRIBUTING.de.md"):
        shutil.copy2(ROOT / guide, project / guide)
    _add_season(project)
    _set_season(project, "[summer]")
    stale = _toolbox(project, "check")
    assert stale.returncode == 1 and "card.schema.json" in stale.stdout + stale.stderr  # the editor's next step
    assert _toolbox(project, "schema").returncode == 0
    schema = json.loads((project / "formats" / "card.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["season"]["items"]["enum"] == ["summer", "winter"]
    assert "| `season` |  | The seasons the format suits. | `summer`: Summer<br>`winter`: Winter |" in (
        project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "`summer`: Sommer" in (project / "CONTRIBUTING.de.md").read_text(encoding="utf-8")
    result = _toolbox(project, "check")
    assert result.returncode == 0, result.stdout + result.stderr

    site = project / "site"
    assert build(project, site, env={"TOOLBOX_PDF": "off"}).returncode == 0
    card = BeautifulSoup((site / "en" / "formats" / "street-party" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
             for dt in card.select(".card-facts dt")}
    assert facts["Season"] == "Summer"
    german = (site / "formats" / "street-party" / "index.html").read_text(encoding="utf-8")
    assert "Jahreszeit" in german and "Sommer" in german
    catalogue = BeautifulSoup((site / "en" / "formats" / "index.html").read_text(encoding="utf-8"), "html.parser")
    facet = catalogue.select_one('fieldset[data-facet="season"]')
    assert facet is not None and facet.legend.get_text(strip=True) == "Season"
    assert [i["value"] for i in facet.select("input")] == ["summer"]  # values no card uses are left out
    tile = catalogue.select_one('li.tile[data-season="summer"]')
    assert tile is not None and "Season: Summer" in tile.select_one(".tile__facts").get_text()

    data = json.loads((site / "data" / "formats.json").read_text(encoding="utf-8"))
    by_slug = {item["slug"]: item for item in data["formats"]}
    assert by_slug["street-party"]["season"] == ["summer"] and by_slug["shade-map"]["season"] == []
    data_schema = json.loads((site / "data" / "formats.schema.json").read_text(encoding="utf-8"))
    assert "season" in data_schema["properties"]["formats"]["items"]["required"]
    rows = read_csv(site / "data" / "formats-ro.csv", "ro")
    assert {row["slug"]: row["season"] for row in rows} == {"street-party": "Vară", "shade-map": ""}

    from pipeline.print_build import edition_date, edition_for
    from pipeline.print_edition import PrintEdition
    from pipeline.project import Project
    from pipeline.site_config import SiteSettings
    from pipeline.validate import valid_project
    from pipeline.vocabulary import load_interface, load_vocabulary

    fixture = Project(project)
    edition = PrintEdition(valid_project(fixture), load_vocabulary(fixture.vocabulary_file), fixture)
    printed = BeautifulSoup(edition.card_html(next(c for c in edition.cards if c.slug == "street-party"),
                                              edition_for("de", load_interface(fixture.interface_file),
                                                          SiteSettings(), edition_date())), "html.parser")
    row = next(th for th in printed.select("table.facts th") if th.get_text(strip=True) == "Jahreszeit")
    assert row.find_next_sibling("td").get_text(strip=True) == "Sommer"

    new = _toolbox(project, "new", "heat-walk", "--theme", "heat", "--lang", "en")
    assert new.returncode == 0, new.stderr
    assert "season: []" in (project / "formats" / "heat-walk" / "card.yml").read_text(encoding="utf-8")
    assert _toolbox(project, "check").returncode == 0


def test_a_value_outside_the_new_facts_vocabulary_is_reported_on_its_line(project: Path):
    _add_season(project)
    assert _toolbox(project, "schema").returncode == 0
    _set_season(project, "[autumn]")
    result = _toolbox(project, "check")
    assert result.returncode == 1
    card = project / "formats" / "street-party" / "card.yml"
    line = card.read_text(encoding="utf-8").splitlines().index("season: [autumn]") + 1
    assert f"{card}:{line}: season" in result.stdout


def test_a_broken_declaration_is_a_check_error_with_its_line(project: Path):
    facts = project / "formats" / "facts.yml"
    facts.write_text(facts.read_text(encoding="utf-8") + "season:\n  vocabulary: seasons\n  lists: true\n",
                     encoding="utf-8")
    result = _toolbox(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = facts.read_text(encoding="utf-8").splitlines()
    output = result.stdout + result.stderr
    assert f"{facts}:{lines.index('  vocabulary: seasons') + 1}: season.vocabulary: vocabularies.yml has no list" \
           in output
    assert f"{facts}:{lines.index('  lists: true') + 1}: season.lists: unknown setting" in output
    # the fact's name must be an interface word
    facts.write_text(facts.read_text(encoding="utf-8").replace("  lists: true\n", "").replace(
        "vocabulary: seasons", "vocabulary: levels"), encoding="utf-8")
    result = _toolbox(project, "check")
    assert f"{facts}:" in result.stdout and "season.label: interface.yml has no word 'season'" in result.stdout
