"""The print edition's engine: the PDF workers, the signed cache of laid-out documents, the page numbers kept
from a booklet's last layout, and a changed booklet laid out in two parts at once and joined. (Split from
test_engine.py, so that the tests' workers share the modules out evenly.)"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, run
from pipeline.pdf_cache import PdfCache
from pipeline.project import Project
from pipeline.validate import valid_project


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
