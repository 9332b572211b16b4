"""Editors are not trusted: hostile submissions, tried as an attacker would. Each is refused by `check` with
the file, line and field named, or built into pages, PDFs and open data where it is inert text."""

from __future__ import annotations

import http.server
import json
import re
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ROOT, build, make_project, read_csv, serve, toolbox
from pipeline.markdown_html import render
from pipeline.model import Problem
from pipeline.open_data import spreadsheet_text
from pipeline.project import Project
from pipeline.validate import check_project

LINE = re.compile(r"^(?P<path>[^:]+):(?:(?P<line>\d+):)? (?P<field>[^:]+): (?P<message>.+)$")
EVIL = "evil.example"

# Markdown that would put code, a redirect, a foreign request or a local file into what readers get, and a
# word of what `check` says about it.
HOSTILE_TEXT = {
    "event attribute": ('<img src="x.png" alt="x" onerror="alert(1)">', "'onerror'"),
    "split tag": ('<div\nonmouseover="alert(1)">hover</div>', "'onmouseover'"),
    "attr_list handler": ('A paragraph.\n{: onclick="alert(1)" }', "'onclick'"),
    "attr_list on a link": ('[click](https://example.org){: onfocus="alert(1)" autofocus }', "'onfocus'"),
    "javascript link": ("[click](javascript:alert(1))", "'javascript:'"),
    "entity-encoded javascript": ("[click](&#106;avascript&#58;alert(1))", "'javascript:'"),
    "javascript with a tab": ('<a href="java&#9;script:alert(1)">click</a>', "'javascript:'"),
    "data link": ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>', "'data:'"),
    "script": ("<script>alert(1)</script>", "<script>"),
    "nested script": ("<scr<script>ipt>alert(1)</script>", "<script>"),
    "svg": ('<svg onload="alert(1)"><circle r="5"/></svg>', "<svg>"),
    "math": ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "<math>"),
    "iframe": (f'<iframe src="https://{EVIL}/"></iframe>', "<iframe>"),
    "object": (f'<object data="https://{EVIL}/x.swf"></object>', "<object>"),
    "base": (f'<base href="https://{EVIL}/">', "<base>"),
    "form": (f'<form action="https://{EVIL}/"><input name="q"><button>Go</button></form>', "<form>"),
    "meta refresh": (f'<meta http-equiv="refresh" content="0;url=https://{EVIL}/">', "<meta>"),
    "link stylesheet": (f'<link rel="stylesheet" href="https://{EVIL}/x.css">', "<link>"),
    "attachment link": ('<a rel="attachment" href="../../.git/config">config</a>', "'rel'"),
    "style url": (f'<p style="background:url(https://{EVIL}/x.png)">x</p>', "style"),
    "style element": (f"<style>@import url(https://{EVIL}/x.css);</style>", "<style>"),
    "web image": (f"![x](https://{EVIL}/pixel.png)", "is a web address"),
    "protocol-relative image": (f"![x](//{EVIL}/pixel.png)", "is a web address"),
    "absolute local image": ("![x](/etc/passwd)", "lies outside"),
    "image above the folder": ("![x](../../.git/config)", "lies outside"),
    "details handler": ('<details open ontoggle="alert(1)"><summary>x</summary>y</details>', "'ontoggle'"),
    "target": ('<a href="https://example.org" target="_blank">x</a>', "'target'"),
    "unknown class": ('<p class="md-header" markdown>x</p>', "'md-header'"),
}


def _problems(project: Path) -> list[Problem]:
    return check_project(Project(project), project / "formats", project / "docs").problems


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    """One fixture project with every hostile text in a card section of its own line."""
    project = make_project(tmp_path_factory.mktemp("hostile") / "project")
    text = project / "formats" / "street-party" / "en.md"
    body = text.read_text(encoding="utf-8").replace(
        "Tables and water.", "Tables and water.\n\n" + "\n\n".join(markdown for markdown, _ in HOSTILE_TEXT.values()))
    text.write_text(body, encoding="utf-8")
    return project


@pytest.mark.parametrize("case", HOSTILE_TEXT)
def test_check_names_what_the_sanitiser_removes(hostile_project, case):
    markdown, words = HOSTILE_TEXT[case]
    path = hostile_project / "formats" / "street-party" / "en.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines.index(markdown.splitlines()[0]) + 1
    found = [p for p in _problems(hostile_project) if p.path == path and words in p.message]
    assert found, f"{case}: nothing about {words!r}"
    assert any(first <= (p.line or 0) <= first + markdown.count("\n") + 1 for p in found), (case, found)
    assert all(p.field in ("sections.needs", "image") for p in found)


@pytest.mark.parametrize("case", HOSTILE_TEXT)
def test_the_sanitiser_leaves_nothing_that_runs_or_loads(case):
    html = render(HOSTILE_TEXT[case][0]).html
    assert not re.search(r"<(script|style|iframe|object|embed|svg|math|base|form|input|meta|link)\b", html, re.I)
    assert not re.search(r"\son[a-z]+\s*=", html, re.I)
    assert not re.search(r"(java\s*script|data|vbscript)\s*:", html, re.I)
    assert EVIL not in html
    assert not re.search(r'src="(?!x\.png")', html), html  # only the card's own image file
    assert "rel=\"attachment\"" not in html and "target=" not in html


# Every event an injected handler could wait for, sent to every element.
FIRE_EVENTS = """() => { for (const element of document.querySelectorAll('*'))
  for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'toggle', 'load', 'error', 'animationstart'])
    element.dispatchEvent(new Event(type)); }"""


def test_sanitised_text_is_inert_in_a_browser(browser, tmp_path):
    """The sanitised HTML of every hostile text, in one page without any other protection: no dialog, no
    request off the page's host, no navigation."""
    body = "\n".join(render(markdown).html for markdown, _ in HOSTILE_TEXT.values())
    (tmp_path / "index.html").write_text(f"<!doctype html><html lang=en><title>t</title><body>{body}</body></html>",
                                         encoding="utf-8")
    with serve(tmp_path) as url:
        context = browser.new_context()
        page = context.new_page()
        dialogs, requests = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.evaluate(FIRE_EVENTS)
        page.keyboard.press("Tab")
        page.wait_for_timeout(300)
        assert dialogs == []
        assert [r for r in requests if urlsplit(r).netloc != urlsplit(url).netloc] == []
        assert page.url == url
        assert page.evaluate("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
                             ".filter(a => a.name.startsWith('on')).length") == 0
        context.close()


# Text fields (YAML and front matter) are text: whatever they hold is shown as written, never run or parsed.
FIELD_TITLE = 'Q&A {: onclick="alert(1)" } [x](javascript:alert(2)) "quoted" \'single\''
FIELD_SUMMARY = f'x" http-equiv="refresh" content="0;url=https://{EVIL}/ **bold** {{: .md-header }}'
FIELD_PLACE = "<img src=x onerror=alert(3)>"
FIELD_SOURCE = "</title><script>alert(4)</script>"
FORMULA_TITLE = '=HYPERLINK("https://evil.example/","x")'


@pytest.fixture(scope="module")
def hostile_fields_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("fields") / "project")
    card = project / "formats" / "street-party"
    card_yml = (card / "card.yml").read_text(encoding="utf-8")
    card_yml = re.sub(r"place: .*", f"place: '{FIELD_PLACE}'", card_yml, count=1)
    card_yml = re.sub(r"title: .*", f"title: '{FIELD_SOURCE}'", card_yml, count=1)
    (card / "card.yml").write_text(card_yml, encoding="utf-8")
    en = (card / "en.md").read_text(encoding="utf-8")
    en = re.sub(r"^title: .*$", "title: " + repr_yaml(FIELD_TITLE), en, count=1, flags=re.M)
    en = re.sub(r"^summary: .*$", "summary: " + repr_yaml(FIELD_SUMMARY), en, count=1, flags=re.M)
    (card / "en.md").write_text(en, encoding="utf-8")
    de = (card / "de.md").read_text(encoding="utf-8")
    (card / "de.md").write_text(re.sub(r"^title: .*$", "title: " + repr_yaml(FORMULA_TITLE), de, count=1,
                                       flags=re.M), encoding="utf-8")
    assert _problems(project) == []  # none of this is refused: it must be harmless as text
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def repr_yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_fields_are_text_in_every_page_and_the_open_data(hostile_fields_site, browser):
    site = hostile_fields_site
    for page in [p for p in site.rglob("*.html") if "pagefind" not in p.parts]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            assert not [name for name in tag.attrs if name.startswith("on")], (page, tag)
            assert "javascript:" not in str(tag.get("href", "")), (page, tag)
        # Scripts carry no field; a data block (the plan's JSON) carries them as escaped JSON text only.
        data = soup.find_all("script", attrs={"type": "application/json"})
        assert not [s for s in soup.find_all("script") if "alert" in s.get_text() and s not in data], page
        for block in data:
            assert "<" not in block.get_text() and json.loads(block.get_text()), page
        assert not soup.find("meta", attrs={"http-equiv": "refresh"}), page
    with serve(site) as url:
        context = browser.new_context()
        page = context.new_page()
        dialogs, requests = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        for path in ("en/formats/street-party/", "en/formats/", "en/themes/heat/", "en/status/", "en/",
                     "formats/street-party/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            page.mouse.move(50, 50)
            page.mouse.wheel(0, 400)
            page.evaluate(FIRE_EVENTS)
            page.wait_for_timeout(200)
            assert page.url == url + path
        page.goto(url + "en/formats/street-party/")
        assert page.locator("h1").first.inner_text() == FIELD_TITLE
        assert page.title().startswith(FIELD_TITLE)
        assert page.locator(".card-summary").inner_text() == FIELD_SUMMARY
        assert FIELD_PLACE in page.locator(".card-facts").inner_text()
        assert FIELD_SOURCE in page.locator(".card-sources").inner_text()
        assert page.locator('meta[name="description"]').get_attribute("content") == FIELD_SUMMARY
        assert dialogs == []
        assert [r for r in requests if urlsplit(r).netloc != urlsplit(url).netloc] == []
        context.close()
    rows = read_csv(site / "data" / "formats-de.csv", "de")
    assert "'" + FORMULA_TITLE in [row["title"] for row in rows]
    assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for value in row.values())


def test_fields_are_text_in_the_pdf(hostile_fields_site):
    from pypdf import PdfReader

    pdf = hostile_fields_site / "downloads" / "en" / "street-party.pdf"
    reader = PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    assert FIELD_PLACE in text and "alert(4)" in text
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"])


def test_an_editors_heading_cannot_take_an_id_of_the_toolbox(tmp_path):
    """A heading id an editor writes (`{#id}`, `<h3 id>`) stays in its own text's namespace, once: repeating the
    id of another card, a theme or a section of the page (which made the booklet fail with "Anchor defined
    twice") does not send the site's or the booklet's links, or page numbers, to it; a link to it from the same
    text still leads there."""
    from pypdf import PdfReader

    project = make_project(tmp_path / "project")
    card = project / "formats" / "street-party" / "de.md"
    card.write_text(card.read_text(encoding="utf-8").replace("Tische und Wasser.", (
        "Tische und Wasser.\n\n### Mehr dazu {#card-shade-map}\n\nText.\n\n### Nochmals {#card-shade-map}\n\n"
        '<h3 id="steps">Roh</h3>\n\n<h3 id="theme-heat">Noch mehr</h3>\n\n[Nach oben](#card-shade-map)')),
        encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr

    # German, the default language, is at the site's root.
    page = BeautifulSoup((project / "site" / "formats" / "street-party" / "index.html")
                         .read_text(encoding="utf-8"), "html.parser")
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    headings = {h.get_text(" ", strip=True).removesuffix(" ¶"): h.get("id") for h in page.find_all(["h2", "h3", "h4"])}
    assert headings["Ablauf Schritt für Schritt"] == "steps"
    editors = [headings[name] for name in ("Mehr dazu", "Nochmals", "Roh", "Noch mehr")]
    assert all(i and i not in ("card-shade-map", "steps", "theme-heat") for i in editors), editors
    back = page.find("a", string="Nach oben")
    assert back["href"] == "#" + headings["Mehr dazu"]

    reader = PdfReader(project / "site" / "downloads" / "toolbox-de.pdf")
    destinations = reader.named_destinations
    assert len({name for name in destinations if name.startswith("card-street-party-")}) >= 3

    def text_at(name: str) -> str:
        return reader.pages[reader.get_destination_page_number(destinations[name])].extract_text()

    assert "Shade map" in text_at("card-shade-map") and "Mehr dazu" not in text_at("card-shade-map")
    assert "Roh" not in text_at("theme-heat")


def test_spreadsheet_formulas_are_neutralised():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_text(value) == "'" + value
    assert spreadsheet_text("Tables & water") == "Tables & water"


def test_source_urls_must_be_plain_web_addresses(project):
    card = project / "formats" / "street-party" / "card.yml"
    text = card.read_text(encoding="utf-8")
    url = re.search(r"url: (\S+)", text).group(1)
    for bad in (f'{url}" onmouseover="alert(1)', "javascript:alert(1)", f"{url} x", f"{url}<b>"):
        card.write_text(text.replace(f"url: {url}", f"url: '{bad}'"), encoding="utf-8")
        found = [p for p in _problems(project) if p.path == card and "is not a web address" in p.message]
        assert found and found[0].line, bad


# Template code in pages: never evaluated.
@pytest.mark.parametrize("code", ["{{ config.extra }}", "{% for x in range(3) %}x{% endfor %}",
                                  "{{ ''.__class__.__mro__[1].__subclasses__() }}"])
def test_template_code_in_a_chapter_is_refused_and_never_run(project, code):
    page = project / "docs" / "en" / "privacy.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + f"\n\nRun: {code}\n", encoding="utf-8")
    line = page.read_text(encoding="utf-8").splitlines().index(f"Run: {code}") + 1
    found = [p for p in _problems(project) if p.path == page]
    assert found and all(p.line == line and p.field == "body" for p in found), found


def test_placeholders_are_substituted_never_evaluated():
    from pipeline.site_values import SiteValues, fill

    values = SiteValues(operator="Stadt {{ 7*7 }} <b>x</b>", contact="info@example.org")
    text = fill("A {{ operator }} B {{ contact }} C {{ 7*7 }} D {{ enforcement }}", values, "not yet named")
    assert "49" not in text and "{{ 7*7 }}" in text  # an unknown placeholder stays as written
    assert "[info@example.org](mailto:info@example.org)" in text and "D not yet named" in text
    assert "<b>" not in text  # a configured value is text too


# Files: links and what is not a picture.
def test_symlinks_anywhere_are_refused(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=abc", encoding="utf-8")
    (project / "formats" / "street-party" / "photo.png").symlink_to(secret)
    (project / "docs" / "en" / "notes").symlink_to(tmp_path)
    found = [p for p in _problems(project) if "is a link" in p.message]
    assert {p.path.name for p in found} >= {"photo.png", "notes"}


def test_images_are_judged_by_their_content(project):
    card = project / "formats" / "street-party"
    (card / "plan.png").write_text("TOKEN=abc, not a picture", encoding="utf-8")
    Image.new("RGB", (20, 10), "green").save(card / "photo.png", "JPEG")  # a JPEG named .png
    text = (card / "en.md").read_text(encoding="utf-8")
    (card / "en.md").write_text(text.replace("Tables and water.", "![A plan](plan.png)\n\n![A photo](photo.png)"),
                                encoding="utf-8")
    found = {p.message for p in _problems(project) if p.field == "image"}
    assert any("'plan.png' is not a JPEG, PNG, WebP or GIF picture" in m for m in found), found
    assert any("'photo.png' is a JPEG picture but its name ends in '.png'" in m for m in found), found


# The PDF engine: only the print templates and the texts' pictures.
class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"SECRET-FROM-NETWORK")

    def log_message(self, *args):
        pass


def test_the_pdf_engine_reads_nothing_outside_the_toolbox(tmp_path):
    from pipeline.pdf import LayoutError, render_pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FROM-DISK", encoding="utf-8")
    picture = tmp_path / "outside.png"
    Image.new("RGB", (4, 4), "red").save(picture)
    card = tmp_path / "card"
    card.mkdir()
    Image.new("RGB", (4, 4), "blue").save(card / "ok.png")
    with socketserver.TCPServer(("127.0.0.1", 0), _Recorder) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        web = f"http://127.0.0.1:{server.server_address[1]}/x"
        attempts = [
            f'<link rel="attachment" href="{secret.as_uri()}">',
            f'<a rel="attachment" href="{secret.as_uri()}">a</a>',
            f'<img src="{picture.as_uri()}" alt="x">',
            f'<img src="{web}" alt="x">',
            f'<link rel="stylesheet" href="{web}">',
            f'<style>@import url("{secret.as_uri()}"); p {{ background: url("{web}") }}</style><p>x</p>',
            '<img src="/etc/hostname" alt="x">',
            f'<object data="{secret.as_uri()}"></object>',
        ]
        for attempt in attempts:
            html = f'<html lang="en"><head></head><body>{attempt}</body></html>'
            try:
                pdf = render_pdf("card hostile", html, Project(ROOT).print_dir, [card])
            except LayoutError as error:
                assert "card hostile" in str(error)
            else:
                assert b"SECRET" not in pdf.data and b"/EmbeddedFile" not in pdf.data, attempt
        server.shutdown()
    assert _Recorder.hits == []
    good = render_pdf("card ok", '<html lang="en"><head></head><body>'
                      f'<img src="{(card / "ok.png").as_uri()}" alt="ok"></body></html>', Project(ROOT).print_dir,
                      [card])
    assert good.pages == 1


def test_a_runaway_layout_is_stopped_with_the_card_named():
    from pipeline.pdf import LayoutError, render_pdf

    html = "<html lang='en'><body>" + "<table>" + "<tr><td>x</td></tr>" * 20000 + "</table></body></html>"
    start = time.monotonic()
    with pytest.raises(LayoutError, match="card slow: laying it out took longer than 1 s"):
        render_pdf("card slow", html, Project(ROOT).print_dir, seconds=1)
    assert time.monotonic() - start < 30


# Hostile files for the checker: reported, never a traceback or a hang.
def check_cli(project: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "toolbox.py"), "check", "--formats",
                             str(project / "formats")], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 1, result.stdout
    return result


def reported(result, name: str, field: str | None = None) -> list[dict]:
    found = []
    for line in result.stdout.splitlines():
        match = LINE.match(line)
        assert match, f"not path:line: field: message: {line}"
        if match["path"].endswith(name) and (field is None or match["field"] == field):
            found.append(match.groupdict())
    return found


BROKEN_WORDS = {
    "label missing in one language": ("vocabularies.yml", "    ro: Caniculă\n", "", "hazards.heat.ro"),
    "vocabulary of the wrong type": ("vocabularies.yml", "hazards:\n", "hazards: 3\nold_hazards:\n", "hazards"),
    "vocabulary that does not parse": ("vocabularies.yml", "hazards:\n", "hazards: [\n", "yaml"),
    "interface text missing": ("interface.yml", "  ro: Pe scurt\n", "", "at_a_glance.ro"),
    "interface text not text": ("interface.yml", "  en: At a glance\n", "  en: [1, 2]\n", "at_a_glance.en"),
    "interface that is a list": ("interface.yml", "at_a_glance:\n", "- at_a_glance:\n", None),
}


@pytest.mark.parametrize("case", BROKEN_WORDS)
def test_broken_vocabulary_or_interface_is_reported(project, case):
    name, old, new, field = BROKEN_WORDS[case]
    path = project / "formats" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = reported(check_cli(project), name, field)
    assert found and all(p["line"] for p in found) or field is None and found, found


HOSTILE_YAML = {
    "alias": ("card.yml", "target_groups: [residents, older-people]", "target_groups: &g [residents]\nsettings: *g",
              "anchors and aliases"),
    "billion laughs": ("card.yml", "hazards: [heat]",
                       "hazards: [heat]\nx: &a [heat, heat]\ny: &b [*a, *a, *a]\nz: [*b, *b, *b]",
                       "anchors and aliases"),
    "duplicate key": ("card.yml", "theme: heat\n", "theme: heat\ntheme: heavy-rain\n", "given twice"),
    "deep nesting": ("card.yml", "theme: heat\n", "theme: heat\nx: " + "[" * 40 + "]" * 40 + "\n",
                     "nested more than"),
    "duplicate front matter": ("en.md", "revision: 2\n", "revision: 2\nrevision: 3\n", "given twice"),
}


@pytest.mark.parametrize("case", HOSTILE_YAML)
def test_hostile_yaml_is_refused_with_its_line(project, case):
    name, old, new, words = HOSTILE_YAML[case]
    path = project / "formats" / "street-party" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = [p for p in reported(check_cli(project), f"street-party/{name}") if words in p["message"]]
    assert found and found[0]["line"], case


@pytest.mark.parametrize("line", [
    "## " + " " * 9000 + "x",
    "{{" + " " * 9000,
    "{%" * 4500,
    "*" * 9000,
    "[" * 4000 + "x" + "](" * 2000,
    "<" + "a " * 4000,
])
def test_pathological_lines_do_not_hang_check(project, line):
    path = project / "formats" / "street-party" / "en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Tables and water.", line), encoding="utf-8")
    start = time.monotonic()
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "toolbox.py"), "check", "--formats",
                             str(project / "formats")], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    assert time.monotonic() - start < 60


def test_oversized_files_and_lines_are_refused(project):
    path = project / "formats" / "street-party" / "en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Tables and water.", "x" * 20_000), encoding="utf-8")
    assert reported(check_cli(project), "street-party/en.md", "file")[0]["line"]
    path.write_text(text + ("Words and words.\n" * 20_000), encoding="utf-8")
    assert "at most 200,000" in reported(check_cli(project), "street-party/en.md", "file")[0]["message"]


def test_check_cli_reports_unknown_placeholders(project):
    page = project / "docs" / "de" / "privacy.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ secret_key }}\n", encoding="utf-8")
    result = toolbox("check", "--formats", str(project / "formats"))
    assert result.returncode == 1 and "names no configured value" in result.stdout


def test_interface_words_reach_the_theme_as_text(project):
    """interface.yml is edited by pull request too: its words are text in every template, Material's included
    (whose templates do not escape)."""
    words = project / "formats" / "interface.yml"
    text = words.read_text(encoding="utf-8")
    text = text.replace("  en: Living-lab toolbox\n", "  en: Toolbox</title><script>alert(1)</script>\n", 1)
    text = text.replace("  en: Legal notice\n", "  en: <img src=x onerror=alert(2)>Legal notice\n", 1)
    words.write_text(text, encoding="utf-8")
    assert toolbox("check", "--formats", str(project / "formats")).returncode == 0  # words, not markup: allowed
    site = project / "site"
    assert build(project, site, env={"TOOLBOX_PDF": "off"}).returncode == 0
    for page in (site / "en" / "index.html", site / "en" / "formats" / "street-party" / "index.html",
                 site / "en" / "404.html"):
        html = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        # Scripts carry no field; a data block (the plan's JSON) carries them as escaped JSON text only.
        data = soup.find_all("script", attrs={"type": "application/json"})
        assert not [s for s in soup.find_all("script") if "alert" in s.get_text() and s not in data], page
        for block in data:
            assert "<" not in block.get_text() and json.loads(block.get_text()), page
        assert not soup.select('img[src="x"]') and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
        assert "<img src=x onerror=alert(2)>Legal notice" in soup.get_text()
        assert soup.title.get_text().endswith("Toolbox</title><script>alert(1)</script>")
