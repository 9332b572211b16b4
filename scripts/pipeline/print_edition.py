"""Step 3 for paper: the HTML of the printable toolbox ("Drehbuch") and of single cards, per language.

Rendered from the same validated cards and chapters as the site, with the templates in overrides/print/.
`pdf.py` turns the HTML into PDF.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import jinja2
import segno
from babel.dates import format_date
from markupsafe import Markup

from .markdown_html import booklet_link, relink, render
from .model import Card, Chapter, Section
from .project import PROJECT, Project
from .render import Renderer
from .status import text_state
from .validate import CheckedProject
from .vocabulary import Vocabulary

# The hand-written chapters in the booklet: before the formats, and after them.
CHAPTERS_BEFORE = ("living-lab", "setting-up", "transfer")
CHAPTERS_AFTER = ("glossary", "about")


@dataclass(frozen=True)
class Edition:
    """What the cover and the imprint of one language's edition say (from the site's configuration)."""

    lang: str
    title: str
    subtitle: str
    publisher: str
    contact: str | None
    site_url: str | None
    date: datetime.date

    @property
    def date_text(self) -> str:
        return format_date(self.date, format="long", locale=self.lang)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def css_text(template: str, **counters: str) -> Markup:
    """A sentence with {placeholders} as a CSS `content` value: "Seite {page}" → "Seite " counter(page)."""
    parts: list[str] = []
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        parts += [_css_string(before), counters[name]] if before else [counters[name]]
    if rest:
        parts.append(_css_string(rest))
    return Markup(" ".join(parts))


class PageNumbers:
    """The booklet's page numbers as its last layout found them (anchor → page), printed as they are.

    Without them, the contents and the "(page N)" references are WeasyPrint's target-counter(), for which it
    lays every page that refers forward out three times (101 page layouts for a booklet of 63 pages). Printed
    from here, each page is laid out once; pipeline.pdf then checks every number printed against the new layout
    and lays the booklet out again where one moved. It records the numbers it printed, for that check."""

    def __init__(self, known: dict[str, int] | None = None):
        self.known = dict(known or {})
        self.printed: dict[str, int] = {}

    def attribute(self, anchor: str) -> Markup:
        """` data-page="N"` for a link to `anchor` whose page is known (the print CSS shows it), else nothing."""
        page = self.known.get(anchor)
        if page is None:
            return Markup("")
        self.printed[anchor] = page
        return Markup(' data-page="{}"').format(int(page))


@dataclass(frozen=True)
class BookletPart:
    """One of the two parts a booklet is laid out in at once (pipeline.pdf.render_booklet): the themes of the
    formats it holds (in the booklet's order), whether it has the pages before them (cover, imprint, contents,
    chapters) and after them (the closing chapters), its first page number, the booklet's page count (for
    "page X of Y"), and the anchors of the other part, as empty elements for this part's links to land on."""

    themes: tuple[str, ...]
    front: bool
    back: bool
    first_page: int
    total_pages: int
    stubs: tuple[str, ...] = ()


class PrintEdition:
    """Renders the booklet and the single-card documents of any language."""

    def __init__(self, checked: CheckedProject, vocabulary: Vocabulary, project: Project = PROJECT):
        self.checked = checked
        self.project = project
        self.renderer = Renderer(checked.cards, vocabulary, project)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(project.print_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    @property
    def cards(self) -> list[Card]:
        return self.renderer.cards

    def _context(self, edition: Edition, pages: PageNumbers | None = None) -> dict:
        lang = edition.lang

        def section_html(card: Card, section: Section) -> Markup:
            """The section sanitised (pipeline.markdown_html), with its links and images as the booklet has them."""
            safe = render(section.markdown, id_prefix=f"card-{card.slug}-{section.key}", shift=1)
            return Markup(relink(safe.html, booklet_link(f"formats/{card.slug}.md"),
                                 image_prefix=card.folder.as_uri() + "/"))

        def chapter_body(chapter: Chapter) -> Markup:
            safe = render(chapter.markdown, id_prefix=f"chapter-{chapter.name}")
            return Markup(relink(safe.html, booklet_link(f"{chapter.name}.md"),
                                 image_prefix=(self.project.docs_dir / lang).as_uri() + "/"))

        prefix = self.renderer.vocabulary.language_list.prefix(lang)

        def card_url(card: Card) -> str:
            """The card's web page in this language, where the site's address is known (SITE_URL), else ""."""
            return f"{edition.site_url.rstrip('/')}/{prefix}formats/{card.slug}/" if edition.site_url else ""

        def qr_code(url: str) -> Markup:
            """A QR code leading to `url`, as inline SVG (segno; drawn from the site's own address)."""
            return Markup(segno.make(url, error="m").svg_inline(omitsize=True, svgclass="qr-code", lineclass=None))

        def examples_text(card: Card) -> str:
            return "; ".join(f"{e.place} ({e.year})" if e.year else e.place for e in card.examples)

        return {**self.renderer.context(lang), "edition": edition, "section_html": section_html,
                "examples_text": examples_text, "card_url": card_url, "qr_code": qr_code,
                "chapter_body": chapter_body, "css_text": css_text, "text_state": text_state,
                "related": self.renderer.related, "known_page": (pages or PageNumbers()).attribute}

    def themes(self) -> list[str]:
        """The themes the booklet has a section for, in its order (those with cards)."""
        return [theme for theme in self.renderer.vocabulary.values("themes")
                if any(card.theme == theme for card in self.cards)]

    def booklet_html(self, edition: Edition, pages: PageNumbers | None = None, part: BookletPart | None = None) -> str:
        """The whole toolbox of one language: cover, imprint, contents, chapters, formats by theme; with the
        page numbers in `pages` printed as they are, the others left to the layout. With `part`, only that
        part of it (BookletPart)."""
        lang = edition.lang
        by_theme = [(theme, [c for c in self.cards if c.theme == theme]) for theme in self.themes()]
        return self.env.get_template("booklet.html").render(
            self._context(edition, pages), document_title=edition.title, single_card=None,
            chapters_before=self.checked.chapters_named(CHAPTERS_BEFORE, lang),
            chapters_after=self.checked.chapters_named(CHAPTERS_AFTER, lang),
            by_theme=by_theme, part=part,
        )

    def card_html(self, card: Card, edition: Edition) -> str:
        """One card on its own, for printing a single format."""
        title = card.text_for(edition.lang, self.renderer.vocabulary.fallback).title
        return self.env.get_template("booklet.html").render(
            self._context(edition), document_title=f"{title} – {edition.title}", single_card=card,
            chapters_before=[], chapters_after=[], by_theme=[], part=None,
        )
