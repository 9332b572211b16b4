"""The pipeline owns its products; the engine only turns Markdown pages into HTML pages.

- `check` and `pdf` run with no site engine importable at all;
- the same site comes out of ProperDocs and of MkDocs;
- the adapter is one plugin object and keeps no state in its modules;
- checked texts come from a signed cache; the site is validated in the background; search is indexed as pages
  are written. (The PDFs' workers and cache: test_pdf_engine.py.)
"""

from __future__ import annotations

import ast
import filecmp
import json
import os
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, run
from pipeline.model import InvalidContent
from pipeline.project import Project
from pipeline.site_config import read_site_settings

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


def test_search_reads_of_each_page_what_pagefinds_own_command_reads_of_the_written_page(repository_site: Path,
                                                                                        tmp_path: Path):
    """The service is given only the part of a page that Pagefind indexes (`searched_part`): every language's
    bundle holds the same page fragments (title, words, anchors, filters, address, image) as Pagefind's own
    command makes from the pages as written."""
    import shutil
    import subprocess

    from pagefind.service import get_executable

    from mkdocs_adapter.search_index import EXCLUDE_SELECTORS

    languages = Project(ROOT).languages
    others = {languages.prefix(lang).rstrip("/") for lang in languages.codes} - {""}
    for lang in languages.codes:
        root = repository_site / languages.prefix(lang)
        written = tmp_path / lang
        for page in root.rglob("*.html"):
            inside = page.relative_to(root).parts
            if "pagefind" in inside or (root == repository_site and inside[0] in others):
                continue
            target = written / page.relative_to(repository_site)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
        bundle = tmp_path / f"{lang}-pagefind"
        result = subprocess.run([str(get_executable()), "--site", str(written), "--output-path", str(bundle),
                                 "--exclude-selectors", *EXCLUDE_SELECTORS], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        ours, theirs = root / "pagefind" / "fragment", bundle / "fragment"
        names = sorted(file.name for file in ours.iterdir())
        assert names == sorted(file.name for file in theirs.iterdir())
        assert len(names) > len([p for p in (ROOT / "formats").iterdir() if (p / "card.yml").is_file()]) // 2
        assert all(filecmp.cmp(ours / name, theirs / name, shallow=False) for name in names)


def test_search_is_given_the_indexed_part_of_a_page_or_the_whole_page():
    from mkdocs_adapter.search_index import searched_part

    page = ('<!doctype html>\n<html lang="ro" class="no-js"><head><meta charset="utf-8"><title>Hartă &amp; umbră'
            '</title><link rel="stylesheet" href="x.css"></head><body><header>Meniu</header><nav>'
            '&lt;div data-pagefind-body&gt;</nav><div data-pagefind-body><h1>Hartă</h1>'
            '<p>&lt;!-- end of data-pagefind-body --&gt; umbră</p></div><!-- end of data-pagefind-body -->'
            '<footer>Subsol</footer></body></html>')
    assert searched_part(page) == (
        '<!doctype html><html lang="ro" class="no-js"><head><title>Hartă &amp; umbră</title></head><body>'
        '<div data-pagefind-body><h1>Hartă</h1><p>&lt;!-- end of data-pagefind-body --&gt; umbră</p></div>'
        '</body></html>')
    without_title = page.replace("<title>Hartă &amp; umbră</title>", "")
    assert "<head></head><body><div data-pagefind-body>" in searched_part(without_title)
    # not the template's page (the 404 page, a page without the end): given whole, Pagefind decides
    for whole in (page.replace("<div data-pagefind-body>", "<div>"),
                  page.replace("<!-- end of data-pagefind-body -->", ""),
                  page.replace('<html lang="ro" class="no-js">', ""),
                  "<!-- end of data-pagefind-body --><div data-pagefind-body><html>"):
        assert searched_part(whole) == whole


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
