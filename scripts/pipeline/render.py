"""Step 3, render: turn validated cards into the Markdown pages of one language.

Every page is Markdown (with a few HTML blocks) rendered from the Jinja templates in overrides/toolbox/,
so that any Markdown site engine, and the print edition, can take it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup

from .facts import Fact
from .markdown_html import relink, site_link, site_page_url
from .model import Card, CardText
from .project import PROJECT, Project
from .status import text_state, translation_status
from .terminology import check_terminology, search_words
from .vocabulary import Vocabulary, load_interface, plural


@dataclass(frozen=True)
class RenderedPage:
    """A page of one language, at `path` relative to that language's root (e.g. formats/x.md), and the files
    it shows (its images), each as (path relative to the language's root, source file)."""

    lang: str
    path: str
    markdown: str
    files: tuple[tuple[str, Path], ...] = ()


def card_page_path(slug: str) -> str:
    return f"formats/{slug}.md"


def theme_page_path(theme: str) -> str:
    return f"themes/{theme}.md"


FORMATS_PAGE_PATH = "formats/index.md"
PLAN_PAGE_PATH = "plan.md"
COMPARE_PAGE_PATH = "compare.md"
# The interface words assets/plan.js shows (plural forms as they are: the script chooses one).
PLAN_WORDS = ("add_to_plan", "in_plan", "open_plan", "plan_empty", "plan_formats", "move_up", "move_down",
              "remove_from_plan", "plan_summary", "plan_reached", "plan_missed", "plan_nothing_missed",
              "plan_levels", "plan_durations", "plan_timeline", "no_phase", "plan_left_out", "copy_link",
              "link_copied", "compare", "compare_choose", "compare_selected", "compare_need", "differs",
              "only_differences", "fact", "not_stated", "download_card", "remove_from_comparison",
              "plan_title", "plan_pdf", "plan_pdf_working", "plan_pdf_done", "plan_pdf_failed", "plan_file",
              "site_name", "online_at", "page_ref")
SAME_THEME_SHOWN = 6
STATUS_PAGE_PATH = "status.md"


@dataclass(frozen=True)
class Facet:
    """A filter of the catalogue: a card field and the vocabulary of its values."""

    key: str  # the fact's label: its name in the address (formats/?event=…) and in the interface words
    kind: str
    fact: Fact
    counts: dict[str, int]

    def values(self, card: Card) -> tuple[str, ...]:
        return card.values(self.fact.key)


class _KeepMissing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Renderer:
    """Renders the pages of all published cards, in any language; for a preview (`drafts`), the drafts too,
    each marked as a draft."""

    def __init__(self, cards: list[Card], vocabulary: Vocabulary, project: Project = PROJECT, drafts: bool = False):
        self.cards = sorted((c for c in cards if c.published or drafts), key=lambda c: c.slug)
        self.vocabulary = vocabulary
        self.interface = load_interface(project.interface_file)
        self.terms = check_terminology(project.terminology_file)[0]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(project.templates_dir),
            autoescape=True,  # every value from a card is text
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    @cached_property
    def _by_slug(self) -> dict[str, Card]:
        return {card.slug: card for card in self.cards}

    @cached_property
    def _named_by(self) -> dict[str, set[str]]:
        """slug → the slugs of the cards that name it as related (built once, not per card)."""
        named_by: dict[str, set[str]] = {}
        for other in self.cards:
            for slug in other.related:
                named_by.setdefault(slug, set()).add(other.slug)
        return named_by

    @cached_property
    def _by_theme(self) -> dict[str, list[Card]]:
        by_theme: dict[str, list[Card]] = {}
        for card in self.cards:
            by_theme.setdefault(card.theme, []).append(card)
        return by_theme

    def related(self, card: Card) -> list[Card]:
        """Related formats in both directions: those the card names and those naming it."""
        slugs = set(card.related) | self._named_by.get(card.slug, set())
        return [self._by_slug[s] for s in sorted(slugs) if s in self._by_slug]

    def same_theme(self, card: Card) -> list[Card]:
        """Up to SAME_THEME_SHOWN other formats of the card's theme, the ones after it in order; the catalogue,
        linked from every card, has them all. (All of them on every card would grow with the square of the
        number of cards.)"""
        related = {c.slug for c in self.related(card)}
        others = [c for c in self._by_theme[card.theme] if c.slug != card.slug and c.slug not in related]
        after = [c for c in others if c.slug > card.slug] + [c for c in others if c.slug < card.slug]
        return after[:SAME_THEME_SHOWN]

    def context(self, lang: str) -> dict:
        """What every template of `lang` can use: labels, interface words, a card's text in `lang`."""
        vocabulary = self.vocabulary

        def label(kind: str, value: str) -> str:
            return vocabulary.label(kind, value, lang)

        def say(key: str, **values: str) -> str:
            """The interface words for `key`; {placeholders} not given are kept (the print CSS fills some)."""
            return self.interface[key][lang].format_map(_KeepMissing(values))

        def say_count(key: str, count: int, **values) -> str:
            """The interface words for `key` in the plural form for `count` ({count} is filled in)."""
            return plural(self.interface[key][lang], count, lang).format_map(_KeepMissing({"count": count, **values}))

        def plural_forms(key: str) -> dict[str, str]:
            """Every plural form of `key` in `lang`, for scripts that choose one with Intl.PluralRules."""
            forms = self.interface[key][lang]
            return forms if isinstance(forms, dict) else {"other": forms}

        def text(card: Card) -> CardText:
            return card.text_for(lang, vocabulary.fallback)

        def fact_text(card: Card, fact: Fact) -> str:
            """The card's values of `fact` as labels in `lang`, or "not stated" for a single fact it leaves out."""
            values = card.values(fact.key)
            if not values:
                return "" if fact.many else say("not_stated")
            return ", ".join(vocabulary.label(fact.vocabulary, value, lang) for value in values)

        def first_phase(card: Card) -> int:
            """Where a format goes in a plan: the index of its earliest living-lab phase (after all, if none)."""
            phases = self.vocabulary.values("phases")
            return min((phases.index(p) for p in card.values("phases") if p in phases), default=len(phases))

        return {"lang": lang, "label": label, "first_phase": first_phase, "say": say, "say_count": say_count,
                "plural_forms": plural_forms,
                "text": text, "vocabulary": vocabulary, "facts": vocabulary.facts, "fact_text": fact_text,
                "fallback": vocabulary.fallback,
                "language_name": vocabulary.languages, "card_path": card_page_path,
                "theme_url": lambda theme: site_page_url(theme_page_path(theme))}

    def card_page(self, card: Card, lang: str) -> RenderedPage:
        text = card.text_for(lang, self.vocabulary.fallback)
        page_link = site_link(card_page_path(card.slug))

        def section_html(section) -> Markup:  # sanitised when the card was validated
            return Markup(relink(section.html, page_link))

        prose = "\n".join([text.title, text.summary, *(section.markdown for section in text.sections)])
        markdown = self.env.get_template("card.md.html").render(
            self.context(lang), card=card, card_text=text, section_html=section_html, state=text_state(card, lang),
            related=self.related(card), same_theme=self.same_theme(card),
            search_words=search_words(prose, text.lang, self.terms),
        )
        return RenderedPage(lang, card_page_path(card.slug), markdown, self.card_files(card, lang))

    def card_files(self, card: Card, lang: str) -> tuple[tuple[str, Path], ...]:
        """The images a card's page in `lang` shows: the page is formats/<slug>/ on the site, they go into that
        folder."""
        text = card.text_for(lang, self.vocabulary.fallback)
        images = dict.fromkeys(image.src for section in text.sections for image in section.images)
        return tuple((f"formats/{card.slug}/{name}", text.path.parent / name) for name in images)

    def theme_page(self, theme: str, lang: str) -> RenderedPage:
        cards = self._by_theme.get(theme, [])
        markdown = self.env.get_template("theme.md.html").render(self.context(lang), theme=theme, cards=cards)
        return RenderedPage(lang, theme_page_path(theme), markdown)

    def home_start(self, lang: str) -> str:
        """The home page's way into the toolbox (HTML placed under its title): "find a format" and a tile per
        theme with its number of formats."""
        themes = [(theme, len(self._by_theme.get(theme, []))) for theme in self.vocabulary.values("themes")]
        return self.env.get_template("home.html").render(self.context(lang), themes=themes)

    def planning_data(self, lang: str) -> dict:
        """What the plan and the comparison (assets/plan.js) know of every published format, in `lang`: its
        title, summary and facts (as values), and the labels of the facts and their values in their order."""
        vocabulary, fallback = self.vocabulary, self.vocabulary.fallback
        kinds = dict.fromkeys(["themes", *(fact.vocabulary for fact in vocabulary.facts)])
        formats = []
        for card in self.cards:
            text = card.text_for(lang, fallback)
            formats.append({"slug": card.slug, "title": text.title, "summary": text.summary, "lang": text.lang,
                            "facts": {fact.key: list(card.values(fact.key)) for fact in vocabulary.facts}})
        return {
            "facts": [{"key": fact.key, "name": self.interface[fact.label][lang], "kind": fact.vocabulary,
                       "many": fact.many} for fact in vocabulary.facts],
            "labels": {kind: [[value, label] for value, label in vocabulary.labels(kind, lang).items()]
                       for kind in kinds},
            "words": {key: self.interface[key][lang] for key in PLAN_WORDS},
            "formats": formats,
        }

    def _tool_page(self, tool: str, path: str, lang: str) -> RenderedPage:
        # From the page (<prefix>plan/) to the site's root, where the PDFs are (downloads/).
        root = "../" * (1 + self.vocabulary.language_list.prefix(lang).count("/"))
        markdown = self.env.get_template("tool.md.html").render(self.context(lang), tool=tool, root=root,
                                                                 data=self.planning_data(lang))
        return RenderedPage(lang, path, markdown)

    def plan_page(self, lang: str) -> RenderedPage:
        return self._tool_page("plan", PLAN_PAGE_PATH, lang)

    def compare_page(self, lang: str) -> RenderedPage:
        return self._tool_page("compare", COMPARE_PAGE_PATH, lang)

    def facets(self) -> list[Facet]:
        """The catalogue's filters, each value with the number of formats that have it (values no card uses
        are left out)."""
        facets = []
        for fact in self.vocabulary.facts:
            if fact.facet:
                counts = {v: sum(v in card.values(fact.key) for card in self.cards)
                          for v in self.vocabulary.values(fact.vocabulary)}
                facets.append(Facet(fact.label, fact.vocabulary, fact, {v: n for v, n in counts.items() if n}))
        return facets

    def formats_page(self, lang: str) -> RenderedPage:
        """The catalogue: every published format as a tile, by theme, then title."""
        order = self.vocabulary.values("themes")
        fallback = self.vocabulary.fallback
        cards = sorted(self.cards, key=lambda c: (order.index(c.theme), c.text_for(lang, fallback).title))
        markdown = self.env.get_template("formats.md.html").render(self.context(lang), cards=cards,
                                                                    facets=self.facets())
        return RenderedPage(lang, FORMATS_PAGE_PATH, markdown)

    def status_page(self, lang: str) -> RenderedPage:
        """Which card is complete, missing or out of date in which language (as `toolbox.py status`)."""
        by_slug = {card.slug: card for card in self.cards}
        rows = [{"card": by_slug[s.slug], "states": s.states}
                for s in translation_status(self.cards, self.vocabulary.codes)]
        markdown = self.env.get_template("status.md.html").render(self.context(lang), rows=rows,
                                                                   languages=self.vocabulary.codes)
        return RenderedPage(lang, STATUS_PAGE_PATH, markdown)

    def pages(self, lang: str) -> list[RenderedPage]:
        """Every generated page of one language."""
        return ([self.formats_page(lang), self.status_page(lang), self.plan_page(lang), self.compare_page(lang)]
                + [self.theme_page(theme, lang) for theme in self.vocabulary.values("themes")]
                + [self.card_page(card, lang) for card in self.cards])

    def outline(self, lang: str) -> dict[str, tuple[tuple[str, Path], ...]]:
        """The paths of the pages `pages(lang)` makes, each with the files it shows, known without rendering."""
        return {**{path: () for path in (FORMATS_PAGE_PATH, STATUS_PAGE_PATH, PLAN_PAGE_PATH, COMPARE_PAGE_PATH)},
                **{theme_page_path(theme): () for theme in self.vocabulary.values("themes")},
                **{card_page_path(card.slug): self.card_files(card, lang) for card in self.cards}}

    def all_pages(self) -> list[RenderedPage]:
        return [page for lang in self.vocabulary.codes for page in self.pages(lang)]
