"""The languages are declared once (formats/languages.yml): adding a fourth is configuration plus translations,
with no change to code or templates. The site, its search, the PDFs, the open data, the status and `check`
follow; `check` names every label still missing for the new language."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import build, read_csv, run


def _toolbox(project: Path, *args: str):
    return run(str(project / "scripts" / "toolbox.py"), *args, cwd=project)


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def _french(text):
    """A stand-in translation: the English text, marked (the test checks where texts go, not French)."""
    if isinstance(text, dict):
        return {form: _french(value) for form, value in text.items()}
    return text if text.startswith("http") else f"(fr) {text}"


def _translate(project: Path) -> None:
    formats = project / "formats"
    vocabularies = _load(formats / "vocabularies.yml")
    for kind, values in vocabularies.items():
        for value, labels in values.items():
            labels["fr"] = {"de": "Allemand", "en": "Anglais", "ro": "Roumain", "fr": "Français"}[value] \
                if kind == "language_names" else _french(labels["en"])
    vocabularies["language_names"]["fr"] = {"de": "Französisch", "en": "French", "ro": "franceză", "fr": "français"}
    vocabularies["sections"] = {key: {**labels, "fr": f"Section {i}"}
                                for i, (key, labels) in enumerate(vocabularies["sections"].items(), start=1)}
    _dump(formats / "vocabularies.yml", vocabularies)
    interface = _load(formats / "interface.yml")
    for words in interface.values():
        words["fr"] = _french(words["en"])
    interface["site_name"]["fr"] = "Boîte à outils des laboratoires vivants"
    _dump(formats / "interface.yml", interface)
    shutil.copytree(project / "docs" / "en", project / "docs" / "fr")
    for page in (project / "docs" / "fr").glob("*.md"):
        page.write_text(page.read_text(encoding="utf-8").replace("\n# ", "\n# (fr) ", 1), encoding="utf-8")
    english = (formats / "street-party" / "en.md").read_text(encoding="utf-8")
    headings = {labels["en"]: labels["fr"] for labels in vocabularies["sections"].values()}
    for en, fr in headings.items():
        english = english.replace(f"\n## {en}\n", f"\n## {fr}\n")
    (formats / "street-party" / "fr.md").write_text(english.replace("title: ", "title: Fête de rue ", 1),
                                                    encoding="utf-8")


def test_a_fourth_language_is_configuration_plus_translations(project: Path):
    languages = project / "formats" / "languages.yml"
    declared = _load(languages)
    declared["languages"]["fr"] = "Français"
    _dump(languages, declared)

    untranslated = _toolbox(project, "check")
    assert untranslated.returncode == 1 and "Traceback" not in untranslated.stderr
    output = untranslated.stdout + untranslated.stderr
    vocabularies = project / "formats" / "vocabularies.yml"
    assert f"{vocabularies}:" in output and "hazards.heat.fr: the label in fr is missing" in output
    assert "language_names.fr: missing" in output
    assert "at_a_glance.fr: the text in fr is missing" in output  # interface.yml

    _translate(project)
    assert _toolbox(project, "schema").returncode == 0  # source_language may now be fr
    checked = _toolbox(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    status = _toolbox(project, "status")
    assert status.stdout.splitlines()[0].split() == ["card", "status", "de", "en", "ro", "fr"]
    assert "street-party" in status.stdout and "missing" in status.stdout  # shade-map has no French text yet

    site = project / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr
    card = BeautifulSoup((site / "fr" / "formats" / "street-party" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert card.html["lang"] == "fr"
    assert card.h1.get_text(strip=True).startswith("Fête de rue")
    assert "Section 1" in [h.get_text(strip=True).rstrip("¶") for h in card.select("h2")]
    hreflangs = {link["hreflang"] for link in card.select('link[rel="alternate"][hreflang]')}
    assert {"de", "en", "ro", "fr"} <= hreflangs
    german = BeautifulSoup((site / "formats" / "street-party" / "index.html").read_text(encoding="utf-8"),
                           "html.parser")
    assert any(a.get("hreflang") == "fr" for a in german.select("a[hreflang]"))  # the language switcher
    fallback = BeautifulSoup((site / "fr" / "formats" / "shade-map" / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
    assert fallback.select_one(".card-section[lang]") is not None  # shown in another language, marked
    assert (site / "fr" / "pagefind" / "pagefind-entry.json").is_file()
    entry = json.loads((site / "fr" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fr"]

    booklet = PdfReader(site / "downloads" / "toolbox-fr.pdf")
    assert booklet.trailer["/Root"]["/Lang"] == "fr"
    assert booklet.metadata.title == "Boîte à outils des laboratoires vivants"
    assert (site / "downloads" / "fr" / "street-party.pdf").is_file()
    assert "Fête de rue" in "".join(page.extract_text() for page in booklet.pages)

    data = json.loads((site / "data" / "formats.json").read_text(encoding="utf-8"))
    assert data["languages"] == ["de", "en", "ro", "fr"]
    street = next(item for item in data["formats"] if item["slug"] == "street-party")
    assert street["texts"]["fr"]["url"] == "/fr/formats/street-party/"
    rows = read_csv(site / "data" / "formats-fr.csv", "fr")
    assert {row["slug"] for row in rows} == {"street-party", "shade-map"}
    status_page = (site / "fr" / "status" / "index.html").read_text(encoding="utf-8")
    assert "français" in status_page.lower() or "Français" in status_page


def test_a_broken_languages_file_is_a_check_error_with_its_line(project: Path):
    languages = project / "formats" / "languages.yml"
    languages.write_text(languages.read_text(encoding="utf-8").replace("  ro: Română\n",
                                                                       "  ro: Română\n  Französisch: fr\n"),
                         encoding="utf-8")
    result = _toolbox(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = languages.read_text(encoding="utf-8").splitlines().index("  Französisch: fr") + 1
    assert f"{languages}:{line}: languages.Französisch: a language code is two lowercase letters" in result.stdout
