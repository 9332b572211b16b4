"""The pipeline owns its products; the engine only turns Markdown pages into HTML pages.

- `check` and `pdf` run with no site engine importable at all;
- the same site comes out of ProperDocs and of MkDocs;
- the adapter is one plugin object and keeps no state in its modules;
- the PDFs are laid out in worker processes, kept in a content-addressed cache, and a broken cache entry or a
  failing worker never reaches the site.
"""

from __future__ import annotations

import ast
import filecmp
import io
import json
import os
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, run
from pipeline.model import InvalidContent
from pipeline.pdf_cache import PdfCache
from pipeline.project import Project
from pipeline.site_config import read_site_settings
from pipeline.validate import valid_project

ENGINES = ("mkdocs", "properdocs", "material", "mkdocs_static_i18n")
# Run a script of the project as `python script …` does (its folder first on the path), with every site
# engine made unimportable: an `import mkdocs` anywhere would fail the command.
WITHOUT_ENGINES = ("import runpy, sys\n"
                   f"for name in {ENGINES!r}: sys.modules[name] = None\n"
                   "script = sys.argv[1]\n"
                   "sys.argv = sys.argv[1:]\n"
                   "sys.path.insert(0, script.rsplit('/', 1)[0])\n"
                   "runpy.run_path(script, run_name='__main__')\n")


def test_check_and_pdf_run_without_any_site_engine(project: Path, tmp_path: Path):
    toolbox = str(project / "scripts" / "toolbox.py")
    check = run("-c", WITHOUT_ENGINES, toolbox, "check", cwd=project)
    assert check.returncode == 0, check.stderr
    assert "2 cards are valid" in check.stdout
    site = tmp_path / "site"
    pdf = run("-c", WITHOUT_ENGINES, toolbox, "pdf", "--lang", "en", "--site", str(site), cwd=project)
    assert pdf.returncode == 0, pdf.stderr
    booklet = PdfReader(site / "downloads" / "toolbox-en.pdf")
    assert booklet.metadata.title == "Living-lab toolbox"  # the title from interface.yml, not from mkdocs.yml
    assert sorted(p.name for p in (site / "downloads" / "en").iterdir()) == ["shade-map.pdf", "street-party.pdf"]
    # and the blocker blocks: a script that imports an engine fails under it
    blocked = run("-c", WITHOUT_ENGINES, str(ROOT / "scripts" / "mkdocs_adapter" / "plugin.py"), cwd=project)
    assert blocked.returncode != 0 and "ModuleNotFoundError" in blocked.stderr


def _tree(site: Path) -> dict[str, Path]:
    return {str(p.relative_to(site)): p for p in site.rglob("*")
            if p.is_file() and "pagefind" not in p.relative_to(site).parts}


def test_properdocs_and_mkdocs_build_the_same_site(project: Path, tmp_path: Path):
    env = {"TOOLBOX_PDF": "off"}
    sites = {}
    for engine in ("mkdocs", "properdocs"):
        sites[engine] = tmp_path / engine
        result = run("-m", engine, "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(sites[engine]),
                     cwd=project, env=env)
        assert result.returncode == 0, result.stderr
    ours, theirs = _tree(sites["mkdocs"]), _tree(sites["properdocs"])
    assert sorted(ours) == sorted(theirs)
    assert any(name.endswith("formats/street-party/index.html") for name in ours)
    different = [name for name in ours if not filecmp.cmp(ours[name], theirs[name], shallow=False)]
    assert different == []


def test_the_adapter_is_one_plugin_with_no_module_state():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert "hooks" not in config
    assert [p for p in config["plugins"] if p == "toolbox" or (isinstance(p, dict) and "toolbox" in p)] == ["toolbox"]
    allowed_calls = {"compile", "getLogger"}
    for module in sorted((ROOT / "scripts" / "mkdocs_adapter").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Global, ast.Nonlocal))], module.name
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                value = node.value
                mutable = isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp))
                call = isinstance(value, ast.Call) and getattr(value.func, "attr", getattr(value.func, "id", ""))
                assert not mutable and (not call or call in allowed_calls), f"{module.name}:{node.lineno}"
    plugins = [node.name for module in (ROOT / "scripts" / "mkdocs_adapter").glob("*.py")
               for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
               if isinstance(node, ast.ClassDef) and any(getattr(b, "id", getattr(b, "value", None)) == "BasePlugin"
                                                         or "BasePlugin" in ast.unparse(b) for b in node.bases)]
    assert plugins == ["ToolboxPlugin"]


def test_site_settings_are_read_without_evaluating_the_config(tmp_path: Path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: !ENV [TOOLBOX_TEST_URL, 'https://default.example/']\n"
                      "repo_url: !ENV TOOLBOX_TEST_REPO\nunknown: !!python/object/apply:os.system ['false']\n"
                      "extra:\n  operator: Stadt Musterstadt\n  contact: ''\n", encoding="utf-8")
    monkeypatch.delenv("TOOLBOX_TEST_URL", raising=False)
    monkeypatch.delenv("TOOLBOX_TEST_REPO", raising=False)
    settings = read_site_settings(config)
    assert (settings.site_url, settings.repo_url, settings.operator) == ("https://default.example/", "",
                                                                         "Stadt Musterstadt")
    assert settings.contact_or_issues == ""
    monkeypatch.setenv("TOOLBOX_TEST_URL", "https://toolbox.example/")
    monkeypatch.setenv("TOOLBOX_TEST_REPO", "https://git.example/toolbox/")
    settings = read_site_settings(config)
    assert settings.site_url == "https://toolbox.example/"
    assert settings.contact_or_issues == "https://git.example/toolbox/issues"
    config.write_text("site_name: x\nextra: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidContent) as error:
        read_site_settings(config)
    assert str(error.value.problems[0]).startswith(f"{config}:")


def test_a_words_file_without_the_site_title_is_a_check_error(project: Path):
    words = project / "formats" / "interface.yml"
    text = words.read_text(encoding="utf-8")
    start = text.index("site_name:")
    words.write_text(text[:start] + text[start:].split("\n", 4)[4], encoding="utf-8")  # the key and its 3 lines
    result = run(str(project / "scripts" / "toolbox.py"), "check", cwd=project)
    assert result.returncode == 1
    assert f"{words}: site_name: missing" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# -- the print edition's processes and cache ---------------------------------------------------------------

def _edition(project_root: Path, progress: list[str], processes: int | None = None) -> dict:
    from pipeline.print_build import render_print_edition
    from pipeline.site_config import SiteSettings

    project = Project(project_root)
    return render_print_edition(project, valid_project(project), SiteSettings(), ["en"], progress.append,
                                processes)


def test_unchanged_documents_come_from_the_cache_and_a_changed_card_is_laid_out_again(project: Path,
                                                                                       monkeypatch):
    monkeypatch.delenv("TOOLBOX_PDF_CACHE", raising=False)
    first: list[str] = []
    pdfs = _edition(project, first)
    assert sorted(pdfs) == ["downloads/en/shade-map.pdf", "downloads/en/street-party.pdf",
                            "downloads/toolbox-en.pdf"]
    assert not any("from the cache" in line for line in first)
    again: list[str] = []
    cached = _edition(project, again)
    assert "PDF: 3 of 3 documents unchanged, taken from the cache" in again
    assert {path: pdf.data for path, pdf in cached.items()} == {path: pdf.data for path, pdf in pdfs.items()}
    text = project / "formats" / "street-party" / "en.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nOne more sentence for the test.\n", encoding="utf-8")
    changed: list[str] = []
    after = _edition(project, changed)
    assert "PDF: 1 of 3 documents unchanged, taken from the cache" in changed
    laid_out = sorted(line.split(":")[0] for line in changed if line.startswith("PDF ") and " pages, " in line)
    assert laid_out == ["PDF booklet en", "PDF street-party/en"]
    assert "One more sentence for the test." in "".join(p.extract_text() for p in PdfReader(
        __import__("io").BytesIO(after["downloads/en/street-party.pdf"].data)).pages)


def test_a_damaged_cache_entry_is_laid_out_again_never_published(project: Path, monkeypatch):
    monkeypatch.delenv("TOOLBOX_PDF_CACHE", raising=False)
    good = _edition(project, [])
    entries = sorted((project / ".cache" / "pdf").glob("*.pdf"))
    assert len(entries) == 3
    for entry in entries:  # torn writes: half of every file
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    progress: list[str] = []
    again = _edition(project, progress)
    assert "PDF: 3 damaged cache entries were discarded and laid out again" in progress
    assert {path: pdf.pages for path, pdf in again.items()} == {path: pdf.pages for path, pdf in good.items()}
    for pdf in again.values():
        assert len(PdfReader(__import__("io").BytesIO(pdf.data)).pages) == pdf.pages
    meta = next((project / ".cache" / "pdf").glob("*.json"))
    meta.write_text("{not json", encoding="utf-8")
    assert PdfCache(project / ".cache" / "pdf").get(meta.stem) is None
    assert not meta.exists()


def test_a_failing_worker_stops_the_build_naming_the_card(project: Path, monkeypatch):
    from pipeline import pdf

    monkeypatch.setenv("TOOLBOX_PDF_CACHE", "off")
    real = pdf.render_pdf

    def failing(name, *args, **kwargs):
        if "street-party" in name and "card" in name:
            os._exit(3)  # the worker process dies, as when it runs out of memory
        return real(name, *args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", failing)  # the workers are forked: they run the patched function
    with pytest.raises(pdf.LayoutError, match=r"street-party/en: card street-party: the process laying it out "
                                              r"stopped unexpectedly"):
        _edition(project, [], processes=2)


def _page_numbers(pdf: bytes, page_word: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """A booklet read back: each outline entry's page, and the page the contents and the "(p. N)" references
    (`page_word`: the interface's page_ref) give for each title."""
    import re

    reader = PdfReader(io.BytesIO(pdf))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]

    def entries(items):
        for item in items:
            yield from entries(item) if isinstance(item, list) else [(item.title, item)]

    outline = {title: reader.get_destination_page_number(item) + 1 for title, item in entries(reader.outline)}
    contents, references = {}, {}
    for title in outline:
        words = r"\s*".join(map(re.escape, title.split()))
        if match := re.search(words + r"[\s.]*?(\d+)", texts[2]):
            contents[title] = int(match.group(1))
        for text in texts[3:]:
            for match in re.finditer(words + r"\s*\(" + re.escape(page_word) + r"\s*(\d+)\)", text):
                assert references.setdefault(title, int(match.group(1))) == int(match.group(1))
    return outline, contents, references


def _assert_true_page_numbers(pdf: bytes, project: Path) -> None:
    from pipeline.vocabulary import load_interface

    word = load_interface(Project(project).interface_file)["page_ref"]["en"]
    outline, contents, references = _page_numbers(pdf, word)
    assert set(contents) == set(outline) and references, (outline, contents, references)
    assert contents == outline, "the contents give other pages than the outline"
    assert references == {title: outline[title] for title in references}, "a “(p. N)” reference is wrong"


def test_the_booklet_prints_the_pages_of_its_last_layout_checked_against_the_new_one(project: Path,
                                                                                     monkeypatch):
    from pipeline import pdf

    monkeypatch.delenv("TOOLBOX_PDF_CACHE", raising=False)
    laid_out: list[str] = []
    real = pdf.lay_out

    def counting(name, *args, **kwargs):
        laid_out.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(pdf, "lay_out", counting)
    numbers = project / ".cache" / "pdf" / "booklet-en.pages"
    text = project / "formats" / "street-party" / "en.md"

    def edit_and_build(addition: str, card: Path = text) -> bytes:
        card.write_text(card.read_text(encoding="utf-8") + addition, encoding="utf-8")
        laid_out.clear()
        return _edition(project, [], processes=1)["downloads/toolbox-en.pdf"].data

    first = _edition(project, [], processes=1)["downloads/toolbox-en.pdf"].data
    assert laid_out.count("booklet en") == 1
    _assert_true_page_numbers(first, project)
    known = json.loads(numbers.read_text(encoding="utf-8"))
    assert {"card-street-party", "card-shade-map"} <= set(known)

    # A sentence more in the last card: no page it refers to moved, the booklet is laid out once.
    _assert_true_page_numbers(edit_and_build("\nOne more sentence.\n", project / "formats" / "shade-map" / "en.md"),
                              project)
    assert laid_out.count("booklet en") == 1

    # Two pages more in the first card: every later page moved; the check finds it and lays out again.
    before = json.loads(numbers.read_text(encoding="utf-8"))
    paragraph = "A long paragraph of planning notes for the street party. " * 12
    longer = edit_and_build("\n" + "\n\n".join([paragraph] * 7) + "\n")
    _assert_true_page_numbers(longer, project)
    assert laid_out.count("booklet en") == 2
    after = json.loads(numbers.read_text(encoding="utf-8"))
    assert after["card-shade-map"] > before["card-shade-map"]

    # Numbers that are wrong, or no numbers at all: never printed wrong.
    for stored in ({anchor: page + 3 for anchor, page in after.items()}, {"card-shade-map": 1}):
        numbers.write_text(json.dumps(stored), encoding="utf-8")
        _assert_true_page_numbers(edit_and_build("\nAnd another.\n"), project)
        assert laid_out.count("booklet en") == 2  # the wrong numbers, then the pages found
    for broken in ("{not json", "[1, 2]", json.dumps({"card-shade-map": "7", "card-street-party": -1})):
        numbers.write_text(broken, encoding="utf-8")
        _assert_true_page_numbers(edit_and_build("\nAnd one more.\n"), project)
        assert laid_out.count("booklet en") == 1  # nothing usable: WeasyPrint's own target-counter()

    # The same text as a booklet laid out by WeasyPrint's target-counter() alone (no cache, no numbers).
    with_numbers = edit_and_build("\nThe last sentence.\n", project / "formats" / "shade-map" / "en.md")
    assert laid_out.count("booklet en") == 1
    monkeypatch.setenv("TOOLBOX_PDF_CACHE", "off")
    plain = _edition(project, [], processes=1)["downloads/toolbox-en.pdf"].data
    assert [p.extract_text() for p in PdfReader(io.BytesIO(plain)).pages] == \
        [p.extract_text() for p in PdfReader(io.BytesIO(with_numbers)).pages]


def _assert_same_booklet(joined: bytes, one_piece: bytes) -> None:
    """The booklet joined from two parts is the booklet laid out in one piece: the same text on every page, the
    same outline, destinations, links and structure tree, and no flaw of a tagged PDF the one piece lacks."""
    import pikepdf
    from pdf_structure import destinations, links, outline, struct_types, structure_problems

    assert [p.extract_text() for p in PdfReader(io.BytesIO(joined)).pages] == \
        [p.extract_text() for p in PdfReader(io.BytesIO(one_piece)).pages]
    with pikepdf.open(io.BytesIO(joined)) as two, pikepdf.open(io.BytesIO(one_piece)) as one:
        assert outline(two) == outline(one) and len(outline(one)) > 2
        assert destinations(two) == destinations(one)
        assert links(two) == links(one) and any(links(one))
        assert struct_types(two) == struct_types(one)
        assert two.Root.Lang == one.Root.Lang and two.open_metadata()["dc:title"] == one.open_metadata()["dc:title"]
    assert structure_problems(joined) == structure_problems(one_piece)


def test_a_changed_booklet_is_laid_out_in_two_parts_at_once_and_joined_into_the_same_pdf(tmp_path: Path,
                                                                                          monkeypatch):
    from conftest import make_project
    from pipeline import pdf

    project = make_project(tmp_path / "project", with_chapters=True)
    monkeypatch.delenv("TOOLBOX_PDF_CACHE", raising=False)
    monkeypatch.setattr(pdf, "PAGES_TO_SPLIT", 2)  # the fixture's booklet is short
    joined: list[int] = []
    real_join = pdf.join_parts
    monkeypatch.setattr(pdf, "join_parts", lambda *parts: joined.append(len(parts)) or real_join(*parts))
    numbers = project / ".cache" / "pdf" / "booklet-en.pages"
    text = project / "formats" / "street-party" / "en.md"

    def edit_and_build(old: str, new: str) -> bytes:
        text.write_text(text.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        joined.clear()
        return _edition(project, [], processes=1)["downloads/toolbox-en.pdf"].data

    def one_piece() -> bytes:  # the same sources, laid out by WeasyPrint's target-counter() alone
        with monkeypatch.context() as plain:
            plain.setenv("TOOLBOX_PDF_CACHE", "off")
            return _edition(project, [], processes=1)["downloads/toolbox-en.pdf"].data

    _edition(project, [], processes=1)  # no numbers yet: one piece
    assert not joined
    two = edit_and_build("Tables and water.", "Chairs and water.")  # the same lines: no page moves
    assert joined, "a changed booklet with its last numbers is laid out in two parts"
    _assert_true_page_numbers(two, project)
    _assert_same_booklet(two, one_piece())

    # Two pages more in the first card: a part's first page or the page count moved; laid out in one piece.
    paragraph = "A long paragraph of planning notes for the street party. " * 12
    longer = edit_and_build("Chairs and water.", "Chairs and water.\n\n" + "\n\n".join([paragraph] * 7))
    assert not joined
    _assert_true_page_numbers(longer, project)
    # …and the next change is joined again, from the numbers just found.
    _assert_same_booklet(edit_and_build("Chairs and water.", "Stools and water."), one_piece())
    assert joined

    # Numbers that are wrong: a page count too high, a theme a page later. Never printed wrong.
    known = json.loads(numbers.read_text(encoding="utf-8"))
    for wrong, word in (({**known, "": known[""] + 5}, "Benches"),
                        ({**known, **{a: p + 1 for a, p in known.items() if "theme" in a}}, "Blanket")):
        numbers.write_text(json.dumps(wrong), encoding="utf-8")
        built = edit_and_build("Stools", word) if word == "Benches" else edit_and_build("Benches", word)
        assert not joined  # laid out again in one piece
        _assert_true_page_numbers(built, project)

    # A numbers file a pull request committed: markup and overlong names, an absurd page. Ignored, never printed.
    hostile = {**json.loads(numbers.read_text(encoding="utf-8")), '"><img src=x onerror=alert(1)>': 3,
               "x" * 300: 2, "card-shade-map": 10**9}
    numbers.write_text(json.dumps(hostile), encoding="utf-8")
    built = edit_and_build("Blanket", "Rugs")
    assert not joined  # a part refers to an anchor the numbers do not give: laid out in one piece
    _assert_true_page_numbers(built, project)


def test_parts_not_shaped_as_weasyprints_are_not_joined():
    import pikepdf

    from pipeline.pdf_join import JoinError, join_parts

    plain = io.BytesIO()
    with pikepdf.new() as untagged:
        untagged.add_blank_page()
        untagged.save(plain)
    with pytest.raises(JoinError):
        join_parts(plain.getvalue(), plain.getvalue(), (), ())


def test_the_pdf_cache_is_not_in_the_repository():
    ignored = run("-m", "pip", "--version")  # any command: only to have git's answer below in the same way
    assert ignored.returncode == 0
    result = __import__("subprocess").run(["git", "check-ignore", "-q", ".cache/pdf/x.pdf"], cwd=ROOT)
    assert result.returncode == 0


def test_cache_entries_made_elsewhere_are_never_published(project: Path, monkeypatch, tmp_path):
    """A pull request can commit files under .cache/: entries not signed with this machine's key (kept outside
    the project) are discarded and laid out again, so that no PDF reaches the site without the layout's guards."""
    monkeypatch.delenv("TOOLBOX_PDF_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))  # entries signed with another key
    planted = _edition(project, [])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "builder"))
    progress: list[str] = []
    built = _edition(project, progress)
    assert "PDF: 3 damaged cache entries were discarded and laid out again" in progress
    assert not any("taken from the cache" in line for line in progress)
    assert sorted(built) == sorted(planted)


def test_checked_texts_come_from_a_signed_cache_and_report_the_same(project: Path, monkeypatch):
    """`check` and the build render and check again only the texts that changed; the problems of a cached text
    are the same, and an entry this machine did not sign is ignored."""
    from pipeline import validate

    monkeypatch.delenv("TOOLBOX_CHECK_CACHE", raising=False)
    text = project / "formats" / "street-party" / "en.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nWrite to someone@example.org <b onclick=x>now</b>.\n",
                    encoding="utf-8")
    fixture = Project(project)
    first = [str(p) for p in validate.check_project(fixture).problems]
    assert any("someone@example.org" in p for p in first) and any("onclick" in p or "removes" in p for p in first)
    rendered = []
    for name in ("render_sections", "render"):  # a card's text, a chapter
        real = getattr(validate, name)
        monkeypatch.setattr(validate, name,
                            lambda *args, real=real, **kwargs: rendered.append(args) or real(*args, **kwargs))
    again = [str(p) for p in validate.check_project(fixture).problems]
    assert again == first and rendered == []  # every text from the cache
    entries = sorted((project / ".cache" / "check").glob("*.json"))
    assert entries
    damaged = {}
    for entry in entries:  # an entry rewritten elsewhere: its signature no longer matches
        damaged[entry] = entry.read_text(encoding="utf-8").replace('"hmac": "', '"hmac": "0')
        entry.write_text(damaged[entry], encoding="utf-8")
    third = [str(p) for p in validate.check_project(fixture).problems]
    assert third == first and rendered  # checked again ...
    assert all(entry.read_text(encoding="utf-8") != text for entry, text in damaged.items())  # ... every one


def test_a_cached_text_has_its_images_checked_again(project: Path, monkeypatch):
    """The cache keeps what follows from a text; the image files it shows may change while it does not (a pull
    request that replaces only the picture): they are checked on every run, in cards and in chapters."""
    from PIL import Image

    from pipeline import validate

    monkeypatch.delenv("TOOLBOX_CHECK_CACHE", raising=False)
    card = project / "formats" / "street-party"
    chapter = project / "docs" / "en" / "accessibility.md"
    Image.new("RGB", (40, 30), "green").save(card / "table.png")
    Image.new("RGB", (40, 30), "blue").save(chapter.parent / "team.png")
    text = card / "en.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n![Tables in the street](table.png)\n", encoding="utf-8")
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![The team at work](team.png)\n", encoding="utf-8")
    fixture = Project(project)
    assert validate.check_project(fixture).problems == []
    (card / "table.png").write_text("not a picture", encoding="utf-8")
    (chapter.parent / "team.png").unlink()
    problems = [str(p) for p in validate.check_project(fixture).problems]
    assert len(problems) == 2, problems
    assert "en.md" in problems[0] and "'table.png' is not a JPEG, PNG, WebP or GIF picture" in problems[0]
    assert "accessibility.md" in problems[1] and "'team.png' does not exist" in problems[1]


def test_the_site_validated_in_the_background_is_the_site_validated_at_once(project: Path, monkeypatch):
    """The plugin validates and renders on the other core while the engine starts: the same pages, the same
    problems for a broken card (when the engine asks for the pages), a clear error if the work dies."""
    from mkdocs_adapter import generated
    from mkdocs_adapter.generated import GeneratedSite, RenderError

    fixture = Project(project)
    now, later = GeneratedSite(fixture, drafts=False, background=False), GeneratedSite(fixture, drafts=False)
    assert list(later.paths) == list(now.paths) and later.files == now.files and later.home_start == now.home_start
    assert [later.markdown(path) for path in later.paths] == [now.markdown(path) for path in now.paths]
    assert [c.slug for c in later.checked.cards] == [c.slug for c in now.checked.cards] == ["shade-map", "street-party"]

    card = project / "formats" / "street-party" / "card.yml"
    card.write_text(card.read_text(encoding="utf-8").replace("effort: medium", "effort: enormous"), encoding="utf-8")
    for background in (False, True):
        with pytest.raises(InvalidContent) as invalid:
            site = None
            site = GeneratedSite(fixture, drafts=False, background=background)
            site.prepared()
        assert [(p.path, p.field) for p in invalid.value.problems] == [(card, "effort")]
        assert invalid.value.problems[0].line is not None
        if site is not None:  # asked again: the same problems, not a crash
            with pytest.raises(InvalidContent) as again:
                site.prepared()
            assert again.value.problems == invalid.value.problems

    monkeypatch.setattr(generated, "_prepare", lambda *args: os._exit(3))  # the process dies (out of memory)
    dying = GeneratedSite(fixture, drafts=False)
    for _ in range(2):
        with pytest.raises(RenderError, match="could not be validated"):
            dying.markdown("en/formats/index.md")


def test_every_page_folder_gets_an_empty_sitemap_and_the_real_one_is_kept(tmp_path: Path):
    from mkdocs_adapter.site_files import EMPTY_SITEMAP, write_sitemap_stubs

    site = tmp_path / "site"
    pages = ["index.html", "en/index.html", "en/formats/a/index.html", "ro/plan/index.html", "assets/x/logo.svg"]
    for page in pages:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("<html></html>", encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset>the real one</urlset>", encoding="utf-8")
    write_sitemap_stubs(site)
    write_sitemap_stubs(site)  # again: nothing changes
    assert sorted(str(p.relative_to(site)) for p in site.rglob("sitemap.xml")) == [
        "en/formats/a/sitemap.xml", "en/sitemap.xml", "ro/plan/sitemap.xml", "sitemap.xml"]
    assert (site / "sitemap.xml").read_text(encoding="utf-8") == "<urlset>the real one</urlset>"
    for stub in ("en/formats/a/sitemap.xml", "en/sitemap.xml", "ro/plan/sitemap.xml"):
        assert (site / stub).read_text(encoding="utf-8") == EMPTY_SITEMAP


def _page(lang: str, title: str, words: str) -> str:
    return (f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body><nav>menu</nav>'
            f'<div data-pagefind-body><h1>{title}<a class="headerlink" href="#x">¶</a></h1><p>{words}</p></div>'
            '</body></html>')


def test_pages_are_indexed_as_they_are_written_one_bundle_per_language(tmp_path: Path):
    import gzip
    import json

    from mkdocs_adapter.search_index import SearchIndex, page_url

    assert [page_url(p) for p in ("index.html", "en/formats/x/index.html", "glossaryindex.html", "ro/404.html")] \
        == ["/", "/en/formats/x/", "/glossaryindex.html", "/ro/404.html"]
    search = SearchIndex()
    search.page_written("de", "index.html", _page("de", "Start", "Hitzeschutz im Quartier"))
    search.page_written("de", "formats/street-party/index.html", _page("de", "Straßenfest", "Nachbarschaft feiern"))
    search.write("de", str(tmp_path / "pagefind"))
    search.page_written("ro", "ro/formats/street-party/index.html", _page("ro", "Petrecere", "Vecinătate și umbră"))
    search.write("ro", str(tmp_path / "ro" / "pagefind"))
    assert search.wait() == ["de 2 pages", "ro 1 pages"]
    assert search.service is None  # the service ended with the build
    for bundle, lang, count in ((tmp_path / "pagefind", "de", 2), (tmp_path / "ro" / "pagefind", "ro", 1)):
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [lang] and entry["languages"][lang]["page_count"] == count
    fragments = {}
    for file in (tmp_path / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(file.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        fragments[fragment["url"]] = fragment["content"]
    # addresses as the site serves them; only the page's body, without the permalink sign
    assert fragments == {"/": "Start. Hitzeschutz im Quartier.",
                         "/formats/street-party/": "Straßenfest. Nachbarschaft feiern."}


def test_a_search_service_that_fails_stops_the_build_with_a_message(tmp_path: Path, monkeypatch):
    from mkdocs_adapter.search_index import SearchIndex, SearchIndexError

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # a binary that ends at once
    search = SearchIndex()
    with pytest.raises(SearchIndexError, match="Pagefind ended before it answered .a new index for de"):
        search.page_written("de", "index.html", _page("de", "Start", "Hitze"))
    search.stop()
    assert search.service is None
    chatty = tmp_path / "pagefind-chatty"  # answers with something that is not Pagefind's, then stays
    chatty.write_text("#!/bin/sh\nprintf 'not an answer,'\nexec sleep 60\n", encoding="utf-8")
    chatty.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(chatty))
    search = SearchIndex()
    with pytest.raises(SearchIndexError, match="Pagefind ended before it answered"):
        search.page_written("de", "index.html", _page("de", "Start", "Hitze"))
    search.stop()
    broken = tmp_path / "pagefind-broken"  # makes an index, then cannot index a page
    broken.write_text(f"""#!{sys.executable}
import base64, json, sys
pending = b""
while chunk := sys.stdin.buffer.read1(65536):
    *messages, pending = (pending + chunk).split(b",")
    for message in messages:
        request = json.loads(base64.b64decode(message))
        answer = {{"type": "NewIndex", "index_id": 0}} if request["payload"]["type"] == "NewIndex" else \\
                 {{"type": "Error", "message": "cannot parse the page"}}
        sys.stdout.buffer.write(base64.b64encode(json.dumps({{"message_id": request["message_id"],
                                                             "payload": answer}}).encode()) + b",")
        sys.stdout.flush()
""", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    search = SearchIndex()
    search.page_written("de", "formats/street-party/index.html", _page("de", "Start", "Hitze"))
    search.write("de", str(tmp_path / "pagefind"))
    with pytest.raises(SearchIndexError, match=r"could not do it \(indexing formats/street-party/index.html\): "
                                               "cannot parse the page"):
        search.wait()
    assert search.service is None
