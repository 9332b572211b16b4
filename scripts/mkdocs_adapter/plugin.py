"""The toolbox's one MkDocs plugin: it hands the pipeline's pages to the engine and makes the other products
around the engine's build. Everything it makes comes from scripts/pipeline/; it keeps its state on itself.

mkdocs-static-i18n builds the whole site once per language (the default language first, then, from its own
on_post_build at priority -100, the others), so most events come once per language. The order, and why:

  event             priority  what                                                   why there
  on_startup                  preview or build                                       drafts, PDFs follow from it
  on_config         +100      the project's languages (formats/languages.yml);        before i18n reads its own
                              validation and rendering started on the other core      (the engine starts meanwhile)
  on_config         -110      the language's words and titles; PDFs started (first),  after i18n switched language
                              the engine's own process lowered in priority below them
  on_files          +100      announce generated pages and card images under docs/   before i18n sorts files
                              (waits for validation: a broken card stops the build)
  on_files          -110      give them their Markdown and web-sized images          after i18n kept them
  on_env                      `absolute` filter, Material's bundle, the CSP          for overrides/main.html
  on_page_markdown            fill site values into statements, escape titles
  on_page_content             sanitise the HTML of hand-written pages                generated ones are already
  on_post_page      -200      hand the page to Pagefind (indexed on the other core)  its final HTML
  on_post_build     -90       keep its 404, write its search bundle                  before i18n builds the next
  on_post_build     -120      PDFs collected and their sizes filled in, sitemap      after i18n built them all
                              stubs, open data, wait for Pagefind
  on_build_error              stop Pagefind
  on_serve                    missing pages answer in their language
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs_static_i18n.config import I18nPluginLanguage

from pipeline.images import web_image
from pipeline.model import InvalidContent
from pipeline.open_data import open_data_files
from pipeline.print_build import PrintRun, edition_date, load_layout_engine, write_pdfs
from pipeline.project import Project
from pipeline.safe_html import CONTENT_SECURITY_POLICY, sanitise
from pipeline.site_config import EXTRA_KEYS, SiteSettings
from pipeline.site_values import SiteValues

from .downloads import download_links, fill_sizes
from .generated import GeneratedSite, RenderError, fingerprint
from .preview_server import answer_in_language
from .search_index import SearchIndex, SearchIndexError
from .site_files import copy_plan_pdf_fonts, keep_language_404, write_files, write_sitemap_stubs
from .site_values import prepare_page
from .theme import material_bundle

if TYPE_CHECKING:
    from pipeline.pdf_files import RenderedPdf

log = logging.getLogger("mkdocs.plugins.toolbox")


def _escaped(value):
    """An interface word (or its plural forms) as escaped text for the theme's templates."""
    return {form: Markup.escape(text) for form, text in value.items()} if isinstance(value, dict) \
        else Markup.escape(value)


class ToolboxConfig(base.Config):
    # The print edition (booklet and card PDFs). Off in the preview; TOOLBOX_PDF=off turns it off too.
    pdf = c.Type(bool, default=True)


class ToolboxPlugin(BasePlugin[ToolboxConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.site: GeneratedSite | None = None
        self.print_run: PrintRun | None = None
        self.pdfs_key: tuple | None = None
        self.search = SearchIndex()
        self.default_404: bytes | None = None

    # -- what the build is --------------------------------------------------------------------------------

    @property
    def preview(self) -> bool:
        """`properdocs serve`: drafts are shown (marked), PDFs are skipped for speed."""
        return self.command == "serve"

    @property
    def with_pdfs(self) -> bool:
        return self.config.pdf and not self.preview and os.environ.get("TOOLBOX_PDF") != "off"

    @staticmethod
    def _language(config) -> str:
        return config.plugins["i18n"].current_language

    @staticmethod
    def _building_one_language(config) -> bool:
        """Inside i18n's loop over the other languages (not the end of the whole build)."""
        return config.plugins["i18n"].building

    @staticmethod
    def _settings(config) -> SiteSettings:
        extra = config.extra
        return SiteSettings(site_url=config.site_url or "", repo_url=config.repo_url or "",
                            **{key: str(extra.get(key) or "").strip()
                               for key in EXTRA_KEYS})

    def _refresh(self, config) -> GeneratedSite:
        """The validated project and its pages, made again only when a source file changed."""
        project = Project(Path(config.config_file_path).resolve().parent)
        if self.site is None or self.site.key != (fingerprint(project), self.preview):
            if self.site is not None:
                self.site.stop()
            self.site = None
            try:
                # Not in the background for `serve`: its server's threads and a fork do not mix.
                self.site = GeneratedSite(project, drafts=self.preview, background=not self.preview)
            except InvalidContent as error:
                raise self._invalid(error) from None
        return self.site

    def _validated(self, config) -> GeneratedSite:
        """The site once its project is validated (validation runs in the background from on_config)."""
        site = self._refresh(config)
        try:
            site.prepared()
        except InvalidContent as error:
            raise self._invalid(error) from None
        except RenderError as error:
            raise PluginError(str(error)) from None
        return site

    @staticmethod
    def _invalid(error: InvalidContent) -> PluginError:
        problems = "\n".join(f"  {p}" for p in error.problems)
        return PluginError(f"The cards, chapters or words files have {len(error.problems)} problem(s); "
                           f"nothing was built:\n{problems}")

    # -- events -------------------------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    @event_priority(100)
    def _declare_languages(self, config):
        """Give mkdocs-static-i18n the project's languages, declared once in formats/languages.yml, before its
        first on_config reads them: their names, the default one, and the nav's section titles in each (the
        interface word of the title's lowercased name)."""
        i18n = config.plugins["i18n"]
        if i18n.current_language is not None:  # i18n's own loop over the languages: they are set already
            return config
        site = self._refresh(config)
        sections = [next(iter(item)) for item in config.nav or [] if isinstance(item, dict)]
        languages = []
        for code, name in site.languages.names.items():
            item = I18nPluginLanguage()
            item.load_dict({"locale": code, "name": name, "default": code == site.languages.default, "build": True,
                            "nav_translations": {title: site.interface[title.lower()][code] for title in sections
                                                 if title.lower() in site.interface}})
            failed, _ = item.validate()
            if failed:
                raise PluginError(f"formats/languages.yml: {code}: " + "; ".join(f"{k}: {e}" for k, e in failed))
            languages.append(item)
        i18n.config.languages = languages
        return config

    @event_priority(-110)
    def _language_settings(self, config):
        lang = self._language(config)
        site = self._refresh(config)
        words = site.words(lang)
        # Titles come from the interface words, which editors may change: escaped once, as Markup, so that
        # the theme's templates neither run them as HTML nor escape them twice.
        config.site_name = Markup.escape(words["site_name"])
        config.site_description = Markup.escape(words["site_description"])
        # Material's templates do not escape: every word is handed over escaped (Markup: `| e` keeps it as is).
        config.extra["words"] = {key: _escaped(value) for key, value in words.items()}
        # The language's home as a path from the server's root, for pages served at any depth (the 404 page).
        root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        config.extra["language_root"] = root + site.languages.prefix(lang)
        config.extra["language_prefix"] = site.languages.prefix(lang)
        config.extra["default_language"] = site.languages.default
        config.extra["languages"] = list(site.languages.codes)
        if self.with_pdfs:
            self._start_pdfs(config)
            config.extra["toolbox_downloads"] = download_links(lang, [c.slug for c in site.checked.cards
                                                                      if c.published])
        return config

    on_config = CombinedEvent(_declare_languages, _language_settings)

    def _start_pdfs(self, config) -> None:
        """Start laying out every language's PDFs (at the first language's turn), in worker processes on the
        machine's cores, while the engine builds the pages; `_pdfs` collects them at the end."""
        load_layout_engine()  # while the project is validated on the other core
        site, settings = self._validated(config), self._settings(config)
        key = (site.key, settings, edition_date())
        if self.pdfs_key != key:
            if self.print_run is not None:
                self.print_run.stop()
            self.print_run = PrintRun(site.project, site.checked, settings, site.languages.codes)
            self.pdfs_key = key
            if self.print_run.workers and hasattr(os, "nice"):
                # The build ends when the last PDF is written, long after its pages: the engine (and what it
                # starts from now on) gives the cores to the PDF workers first. A rebuild after one card's
                # text ends 13 % sooner (its booklet is laid out while the engine builds the pages).
                os.nice(10)

    def _pdfs(self) -> dict[str, RenderedPdf]:
        from pipeline.pdf_files import LayoutError

        try:
            return self.print_run.results(log.info)
        except LayoutError as error:
            raise PluginError(str(error)) from None

    @event_priority(100)
    def _announce_files(self, files: Files, config) -> Files:
        """mkdocs-static-i18n only takes pages whose path lies inside docs/: announce each generated page and
        image there (no file is written), before it sorts the files by language."""
        self._validated(config)
        for path in [*self.site.paths, *self.site.files]:
            if files.get_file_from_path(path) is None:
                files.append(File(path, config.docs_dir, config.site_dir, config.use_directory_urls))
        return files

    @event_priority(-110)
    def _fill_files(self, files: Files, config) -> Files:
        """After mkdocs-static-i18n kept the files of the language: their rendered Markdown, their images."""
        for file in files:
            if file.src_uri in self.site.paths:
                try:
                    file.content_string = self.site.markdown(file.src_uri)
                except RenderError as error:
                    raise PluginError(str(error)) from None
            elif file.src_uri in self.site.files:
                file.content_bytes = web_image(self.site.files[file.src_uri])  # sized for the web
        return files

    on_files = CombinedEvent(_announce_files, _fill_files)

    def on_env(self, env, config, files):
        def absolute(link: str) -> str:
            """A site link made absolute with site_url, as hreflang alternates must be."""
            return urljoin(config.site_url, link) if config.site_url else link

        env.filters["absolute"] = absolute
        try:
            env.globals["material_bundle"] = material_bundle(env)
        except LookupError as error:
            raise PluginError(str(error)) from None
        env.globals["content_security_policy"] = CONTENT_SECURITY_POLICY
        return env

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        guide = f"CONTRIBUTING.{self._language(config)}.md"  # the contributors' guide in the page's language
        if not (self.site.project.root / guide).is_file():
            guide = "CONTRIBUTING.md"
        values = SiteValues.from_settings(self._settings(config), edition_date().isoformat(), guide)
        return prepare_page(markdown, page.meta, values, config.extra["words"]["not_yet_named"])

    def on_page_content(self, content: str, page, config, files) -> str:
        if page.file.src_uri in self.site.paths:
            return content  # made by the pipeline: its editors' text is sanitised there, the rest are templates
        content = sanitise(content)
        lang = self._language(config)
        if page.file.src_uri == f"{lang}/index.md":  # the home page: the way into the toolbox under its title
            title_end = content.find("</h1>")
            at = title_end + len("</h1>") if title_end != -1 else 0
            content = content[:at] + self.site.home_start[lang] + content[at:]
        return content

    def on_pre_build(self, config) -> None:
        if not self._building_one_language(config):  # the start of a whole build
            self.search.stop()

    @event_priority(-200)
    def on_post_page(self, output: str, page, config) -> str:
        try:
            self.search.page_written(self._language(config), page.file.dest_uri, output)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        return output

    @event_priority(-90)
    def _after_language(self, config) -> None:
        lang, site_dir, languages = self._language(config), Path(config.site_dir), self.site.languages
        if lang == languages.default:
            page = site_dir / "404.html"
            self.default_404 = page.read_bytes() if page.is_file() else None
        else:
            keep_language_404(site_dir, lang, self.default_404)
        self.search.write(lang, str(site_dir / f"{languages.prefix(lang)}pagefind"))

    @event_priority(-120)
    def _after_all(self, config) -> None:
        if self._building_one_language(config):
            return
        site_dir = Path(config.site_dir)
        if self.with_pdfs:
            pdfs = self._pdfs()
            write_pdfs(pdfs, site_dir)
            try:
                fill_sizes(site_dir, pdfs, self.site.interface)
            except LookupError as error:
                raise PluginError(str(error)) from None
        write_sitemap_stubs(site_dir)
        copy_plan_pdf_fonts(site_dir, self.site.project.print_dir / "fonts")
        write_files(site_dir, "data", open_data_files(self.site.checked.cards, self.site.vocabulary,
                                                      config.site_url or "", edition_date().isoformat()))
        try:
            summary = self.search.wait()
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        log.info("Search: %s", ", ".join(summary))

    on_post_build = CombinedEvent(_after_language, _after_all)

    def on_build_error(self, *, error: Exception) -> None:
        self.search.stop()
        if self.print_run is not None:
            self.print_run.stop()
            self.print_run = self.pdfs_key = None

    def on_serve(self, server, *, config, builder):
        return answer_in_language(server, Path(config.site_dir))
