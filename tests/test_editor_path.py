"""An honest new card passes, as an editor from a city outside the original projects makes it: `new`, one
language, a phone photo, a draft preview, then published; and each mistake such an editor makes gets a
message that says what to do."""

from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, build, make_project, toolbox

SLUG = "shade-sail-walk"
TEXT = """---
title: Shade-sail walk
summary: Residents and planners walk the squares at noon and decide together where shade sails go first.
revision: 1
---

## Goal

Find the places where people wait in the sun, and agree on where the first shade sails should hang.

## How it works, step by step

1. Invite residents, shop owners and the parks department.
2. Walk three squares at noon and mark the hottest waiting places on a map.
3. Vote on the first five places.

## What you need

A map, chalk, a thermometer and two hours.

![A square at noon, with people waiting in the sun](square.jpg)

## Tips and pitfalls

Walk on a hot day; announce the walk early in the neighbourhood.

## Examples in practice

The format is proposed here for a city outside the original projects; no trial is documented yet.

## Transfer to other cities

Any city with open squares can run it with its parks department.
"""


def phone_photo(path: Path) -> None:
    """A 4000 × 3000 JPEG with camera metadata, as a phone makes it."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # the camera's make
    exif[0x0131] = "Camera 1.0"
    Image.linear_gradient("L").resize((4000, 3000)).convert("RGB").save(path, "JPEG", quality=90, exif=exif)


def new_card(project: Path, status: str = "published") -> Path:
    result = toolbox("new", SLUG, "--theme", "heat", "--lang", "en", "--formats", str(project / "formats"))
    assert result.returncode == 0, result.stderr
    card = project / "formats" / SLUG
    (card / "en.md").write_text(TEXT, encoding="utf-8")
    phone_photo(card / "square.jpg")
    yml = (card / "card.yml").read_text(encoding="utf-8")
    yml = yml.replace("status: draft", f"status: {status}").replace("hazards: []", "hazards: [heat]")
    yml = yml.replace("sources: []", "sources:\n  - id: plan\n    title: Heat action plan of the city\n"
                                     "    url: https://example.org/heat-action-plan")
    (card / "card.yml").write_text(yml, encoding="utf-8")
    return card


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("editor") / "project")
    new_card(project)
    return project


def test_a_new_card_in_one_language_passes_check(published):
    result = toolbox("check", "--formats", str(published / "formats"))
    assert result.returncode == 0, result.stdout
    assert "All 3 cards are valid (3 published" in result.stdout


def test_a_new_card_in_one_language_builds_with_its_pdfs(published):
    result = build(published)
    assert result.returncode == 0, result.stderr
    site = published / "site"
    for prefix in ("", "en/", "ro/"):
        assert (site / prefix / "formats" / SLUG / "index.html").is_file()
        assert (site / "downloads" / (prefix.rstrip("/") or "de") / f"{SLUG}.pdf").is_file()
    german = (site / "formats" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "Shade-sail walk" in german and 'lang="en"' in german  # the English text, marked, until translated
    # The photo: published beside the page, sized for the web, without the camera's metadata.
    with Image.open(site / "en" / "formats" / SLUG / "square.jpg") as photo:
        assert max(photo.size) == 1600 and photo.getexif().get(0x010F) is None
    assert (site / "en" / "formats" / SLUG / "square.jpg").stat().st_size < 500_000
    assert 'src="square.jpg"' in (site / "en" / "formats" / SLUG / "index.html").read_text(encoding="utf-8")


def test_the_photo_is_scaled_to_the_column_in_print(published):
    from pypdf import PdfReader

    reader = PdfReader(published / "site" / "downloads" / "en" / f"{SLUG}.pdf")
    images = [image for page in reader.pages for image in page.images]
    assert images and max(Image.open(io.BytesIO(images[0].data)).size) <= 2400
    assert b"PhoneMaker" not in (published / "site" / "downloads" / "en" / f"{SLUG}.pdf").read_bytes()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_a_draft_is_previewed_marked_reloaded_and_never_built(tmp_path):
    project = make_project(tmp_path / "project")
    new_card(project, status="draft")
    assert build(project, env={"TOOLBOX_PDF": "off"}).returncode == 0
    assert not (project / "site" / "en" / "formats" / SLUG).exists()  # a build publishes no draft
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "properdocs", "serve", "-f", "mkdocs.yml",
                               "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(240):
            try:
                if get(base + "en/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        status, page = get(base + f"en/formats/{SLUG}/")
        assert status == 200 and "Draft: this card is not published yet" in page
        status, page = get(base + f"ro/formats/{SLUG}/")
        assert status == 200 and "Ciornă" in page
        status, page = get(base + "en/no-such-page/")
        assert status == 404 and "Page not found" in page and '<html lang="en"' in page
        status, page = get(base + "ro/formats/no-such-card/")
        assert status == 404 and "Pagina nu a fost găsită" in page
        status, page = get(base + "no-such-page/")
        assert status == 404 and "Seite nicht gefunden" in page
        # the editor changes the card: the preview shows the change (the plugin's sources are watched)
        text = project / "formats" / SLUG / "en.md"
        text.write_text(text.read_text(encoding="utf-8").replace("title: ", "title: Revised ", 1), encoding="utf-8")
        for _ in range(240):
            if "Revised " in get(base + f"en/formats/{SLUG}/")[1]:
                break
            time.sleep(0.5)
        assert "Revised " in get(base + f"en/formats/{SLUG}/")[1]
    finally:
        server.terminate()
        server.wait(timeout=30)


# Mistakes an editor makes: (what, file, old, new, words of the message, field)
MISTAKES = {
    "wrong value": ("card.yml", "hazards: [heat]", "hazards: [hot]", "'hot' is not a known value; use one of",
                    "hazards"),
    "misspelt heading": ("en.md", "## Tips and pitfalls", "## Tips and pitfals",
                         "unknown section '## Tips and pitfals'", "sections"),
    "missing summary": ("en.md", "summary: Residents and planners walk the squares at noon and decide together where "
                        "shade sails go first.\n", "", "required field is missing", "summary"),
    "broken indentation": ("card.yml", "  - id: plan\n    title:", "  - id: plan\n   title:",
                           "the indentation is off", "yaml"),
    "unquoted colon": ("en.md", "title: Shade-sail walk", "title: Shade sails: a walk",
                       "a colon inside a value: put the whole value in quotes", "front matter"),
    "tab": ("card.yml", "theme: heat", "\ttheme: heat", "a tab character: indent with spaces only", "yaml"),
    "missing image": ("en.md", "(square.jpg)", "(squares.jpg)", "'squares.jpg' does not exist", "image"),
    "image without description": ("en.md", "![A square at noon, with people waiting in the sun]", "![]",
                                  "has no description", "image"),
    "phone number": ("en.md", "two hours.", "two hours. Questions: 0231 50 27299.", "looks like a phone number",
                     "privacy"),
    "e-mail address": ("en.md", "two hours.", "two hours. Questions: jan.kowalski@example.pl.",
                       "looks like an e-mail address", "privacy"),
    "second related value": ("card.yml", "related: []", "related: [street-party, heat-walks]",
                             "the second value: no card has the slug 'heat-walks'", "related"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_gets_a_message_that_says_what_to_do(tmp_path, mistake):
    project = make_project(tmp_path / "project")
    card = new_card(project)
    name, old, new, words, field = MISTAKES[mistake]
    path = card / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = toolbox("check", "--formats", str(project / "formats"))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if words in line]
    assert len(lines) == 1, result.stdout  # once, not twice
    assert re.match(rf"^.*{SLUG}/{re.escape(name)}:\d+: {re.escape(field)}: ", lines[0]), lines[0]
    assert "{" not in lines[0].split(": ", 2)[-1].replace("{: ", "")  # no unfilled placeholder


def test_a_card_yml_that_does_not_parse_hides_no_other_problem(tmp_path):
    project = make_project(tmp_path / "project")
    card = new_card(project)
    (card / "card.yml").write_text((card / "card.yml").read_text(encoding="utf-8").replace(
        "theme: heat", "theme: [heat"), encoding="utf-8")
    (card / "en.md").write_text(TEXT.replace("## Goal", "## Aim"), encoding="utf-8")
    result = toolbox("check", "--formats", str(project / "formats"))
    assert f"{SLUG}/card.yml" in result.stdout and "unknown section '## Aim'" in result.stdout


def test_check_speaks_to_github_under_actions(tmp_path):
    project = make_project(tmp_path / "project")
    card = new_card(project)
    (card / "en.md").write_text(TEXT.replace("two hours.", "two hours, 0231 50 27299."), encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "toolbox.py"), "check", "--formats",
                             str(project / "formats")], cwd=project, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "GITHUB_ACTIONS": "true"})
    annotation = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert annotation and re.match(rf"::error file=formats/{SLUG}/en\.md,line=\d+,title=privacy::.*phone number",
                                   annotation[0]), result.stdout


def test_a_card_made_in_the_web_interface_needs_only_its_own_language(tmp_path):
    """As CONTRIBUTING's path without a terminal makes it: card.yml and one text, no other language files."""
    project = make_project(tmp_path / "project")
    card = new_card(project)
    for lang in ("de", "ro"):
        (card / f"{lang}.md").unlink()
    result = toolbox("check", "--formats", str(project / "formats"))
    assert result.returncode == 0, result.stdout
