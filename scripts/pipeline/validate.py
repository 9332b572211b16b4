"""Step 2, validate: check loaded cards against the schema and the rules a schema cannot express,
and build the validated `Card` objects every output is rendered from."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator

from .check_cache import TextCache
from .content_rules import NO_RULES, Rules, length_problem, printable_characters, private_name_hashes
from .facts import check_facts
from .field_reference import field_reference, guides, with_reference
from .images import image_file_problem
from .load import CARD_FILE, CODE_FENCE, RawCard, RawText, YamlDocument, card_folders, load_card_folder, load_chapter
from .markdown_html import SafeHtml, explain, render
from .model import Card, CardText, Chapter, Example, InvalidContent, Problem, Section, Source
from .project import PROJECT, Project
from .schema import build_card_schema, schema_json
from .site_values import placeholder_problems
from .terminology import EXPLAINS_VARIANTS, check_terminology, words_problems
from .vocabulary import Vocabulary, check_interface, check_vocabulary

FRONT_MATTER_FIELDS = ("title", "summary", "revision")
PLACEHOLDER = "TODO"
# Plain-text fields show what is written, character for character: markup in them is a mistake to point out.
MARKUP = re.compile(r"<\s*/?\s*[a-z!?]", re.IGNORECASE)
YAML_TYPES = {dict: "a mapping (field: value)", list: "a list", str: "text", int: "a whole number",
              float: "a number", bool: "true/false", type(None): "empty"}
JSON_TYPES = {"object": "a mapping (field: value)", "array": "a list", "string": "text",
              "integer": "a whole number"}


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _dotted(path: tuple) -> str:
    """The field a path names, without list positions: ('examples', 0, 'source') → examples.source."""
    return ".".join(str(part) for part in path if not isinstance(part, int))


def _place(path: tuple) -> str:
    """Where in a list a path points, in words: ('examples', 0, 'source') → 'the first entry: '."""
    words = []
    for i, part in enumerate(path):
        if isinstance(part, int):
            ordinal = ORDINALS[part] if part < len(ORDINALS) else f"number {part + 1}"
            words.append(f"the {ordinal} {'entry' if i + 1 < len(path) else 'value'}")
    return ", ".join(words) + ": " if words else ""


def _problem_at(path: Path, document: YamlDocument, where: tuple, message: str) -> Problem:
    return Problem(path, document.line_of(where), _dotted(where) or CARD_FILE, _place(where) + message)


def _schema_problems(document: YamlDocument, path: Path, validator: Draft202012Validator) -> list[Problem]:
    problems = []
    for error in sorted(validator.iter_errors(document.data), key=lambda e: list(map(str, e.absolute_path))):
        where = tuple(error.absolute_path)
        kind, value = error.validator, error.instance
        if kind == "required":
            missing = re.search(r"'(.+?)' is a required property", error.message)
            name = missing.group(1) if missing else "?"
            where, message = (*where, name), "required field is missing"
        elif kind == "additionalProperties":
            for name in sorted(set(value) - set(error.schema.get("properties", {}))):
                fields = ", ".join(error.schema.get("properties", {}))
                problems.append(_problem_at(path, document, (*where, name),
                                            f"unknown field; the fields here are: {fields}"))
            continue
        elif kind == "enum":
            message = f"'{value}' is not a known value; use one of: {', '.join(map(str, error.validator_value))}"
        elif kind == "type":
            expected = JSON_TYPES.get(error.validator_value, error.validator_value)
            message = f"must be {expected}, not {YAML_TYPES.get(type(value), type(value).__name__)}"
            if not where:
                message = f"{CARD_FILE} must be a mapping of fields (field: value)"
        elif kind == "pattern" and where and where[-1] == "url":
            message = (f"'{value}' is not a web address: it must start with http:// or https:// and contain no "
                       "spaces, quotes or angle brackets")
        elif kind == "pattern":
            message = f"'{value}' is not a valid slug: use lowercase letters, digits and single hyphens"
        elif kind == "minItems":
            message = f"needs at least {error.validator_value} entr{'y' if error.validator_value == 1 else 'ies'}"
        elif kind == "uniqueItems":
            message = "lists the same value twice"
        elif kind == "minLength":
            message = "must not be empty"
        elif kind == "oneOf" and where and where[-1] == "title":
            message = "must be the title as text, or the title in the site's languages (de: …, en: …, ro: …)"
        else:
            message = error.message
        problems.append(_problem_at(path, document, where, message))
    return problems


def _text_problems(raw: RawText, vocabulary: Vocabulary, published: bool) -> list[Problem]:
    path, problems = raw.path, []
    if raw.lang not in vocabulary.codes:
        return [Problem(path, None, "language", f"'{raw.lang}' is not a language of the site; "
                        f"the language files are {', '.join(f'{lang}.md' for lang in vocabulary.codes)}")]
    fm = raw.front_matter
    if fm is None:
        problems.append(Problem(path, 1, "front matter", "missing: start the file with '---', then "
                                "title:, summary: and revision:, then '---'"))
    elif not isinstance(fm.data, dict):
        problems.append(Problem(path, 2, "front matter", "must be fields (title:, summary:, revision:)"))
    else:
        for name in ("title", "summary"):
            value = fm.data.get(name)
            if name not in fm.data:
                problems.append(Problem(path, 1, name, "required field is missing"))
            elif not isinstance(value, str) or not value.strip():
                problems.append(Problem(path, fm.line_of((name,)), name, "must be non-empty text"))
        revision = fm.data.get("revision")
        if "revision" not in fm.data:
            problems.append(Problem(path, 1, "revision", "required field is missing (start with 'revision: 1')"))
        elif isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
            problems.append(Problem(path, fm.line_of(("revision",)), "revision",
                                    f"must be a whole number from 1 up, not '{revision}'"))
        for name in fm.data:
            if name not in FRONT_MATTER_FIELDS:
                problems.append(Problem(path, fm.line_of((name,)), str(name),
                                        f"unknown field; the fields are: {', '.join(FRONT_MATTER_FIELDS)}"))

    expected = vocabulary.section_headings(raw.lang)
    headings = list(expected.values())
    if raw.preamble:
        line, _ = raw.preamble[0]
        problems.append(Problem(path, line, "body", f"text before the first section; start with '## {headings[0]}'"))
    seen = [s.heading for s in raw.sections if s.heading in headings]
    for section in raw.sections:
        if section.heading not in headings:
            problems.append(Problem(path, section.line, "sections", f"unknown section '## {section.heading}'; "
                                    f"the sections are: {' | '.join(headings)}"))
    for heading, count in Counter(seen).items():
        if count > 1:
            problems.append(Problem(path, None, "sections", f"section '## {heading}' appears {count} times"))
    for key, heading in expected.items():
        if heading not in seen:
            problems.append(Problem(path, None, f"sections.{key}", f"missing section '## {heading}'"))
    if len(set(seen)) == len(seen) and seen != [h for h in headings if h in seen]:
        problems.append(Problem(path, None, "sections", f"sections out of order; the order is: {' | '.join(headings)}"))
    if published:
        for section in raw.sections:
            if section.heading in headings and not section.markdown.strip():
                problems.append(Problem(path, section.line, "sections", f"section '## {section.heading}' is empty"))
            elif section.heading in headings and PLACEHOLDER in section.markdown:
                problems.append(Problem(path, section.line, "sections",
                                        f"section '## {section.heading}' still has the placeholder '{PLACEHOLDER}'"))

    for name in ("title", "summary"):
        value = fm.data.get(name) if fm is not None and isinstance(fm.data, dict) else None
        if isinstance(value, str) and MARKUP.search(value):
            problems.append(Problem(path, fm.line_of((name,)), name, "is plain text: HTML is shown as written, "
                                    "not as markup; remove the tags"))
    return problems


def render_sections(raw: RawText, vocabulary: Vocabulary) -> dict[str, SafeHtml]:
    """Every known section of a text as sanitised HTML, by section key (what the site, PDFs and search show)."""
    keys = {heading: key for key, heading in vocabulary.section_headings(raw.lang).items()}
    return {keys[s.heading]: render(s.markdown, id_prefix=keys[s.heading]) for s in raw.sections if s.heading in keys}


def _line_of(needle: str, lines: list[str], first_line: int, fallback: int) -> int:
    """The first of `lines` (numbered from `first_line`) that holds `needle`, else `fallback`."""
    for offset, line in enumerate(lines):
        if needle.lower() in line.lower():
            return first_line + offset
    return fallback


def _blocks(lines: list[str], first_line: int) -> list[tuple[int, list[str]]]:
    """The Markdown blocks of `lines` (separated by blank lines, code fences kept whole), each with its line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start, fenced = first_line, False
    for offset, line in enumerate(lines):
        if CODE_FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append((start, current))
            current = []
            continue
        if not current:
            start = first_line + offset
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def rendered_problems(path: Path, rendered: SafeHtml, lines: list[str], first_line: int, fallback: int,
                      field_name: str) -> list[Problem]:
    """What the sanitiser removes from a text, block by block so that each problem has its line, and images
    without a description: what follows from the text alone (the check cache keeps it)."""
    problems = []
    for start, block in _blocks(lines, first_line) if rendered.removed_anything else ():
        for removal in explain("\n".join(block)):
            line = _line_of(removal.needle, block, start, start)
            if removal.field:
                problems.append(Problem(path, line, removal.field, removal.what))
            else:
                problems.append(Problem(path, line, field_name, f"{removal.what}: it is removed from what "
                                        "readers get; write plain Markdown (see CONTRIBUTING.md, 'What you can "
                                        "write')"))
    for image in rendered.images:
        line = _line_of(image.src, lines, first_line, fallback)
        if not image.alt.strip():
            problems.append(Problem(path, line, "image", f"'{image.src}' has no description: say what it shows "
                                    f"for readers who cannot see it, ![like this]({image.src})"))
    return problems


def image_files_problems(path: Path, rendered: SafeHtml, lines: list[str], first_line: int,
                         fallback: int) -> list[Problem]:
    """The images a text shows that cannot be published (missing, a link, too large, not a picture): checked
    on every run, as the files may change while the text does not."""
    problems = []
    for src in dict.fromkeys(image.src for image in rendered.images):
        message = image_file_problem(path.parent, src)
        if message:
            problems.append(Problem(path, _line_of(src, lines, first_line, fallback), "image", message))
    return problems


def _rendered_sections(raw: RawText, vocabulary: Vocabulary, rendered: dict[str, SafeHtml]):
    """Each rendered section of a card text: its key, its HTML, its lines and where they begin."""
    keys = {heading: key for key, heading in vocabulary.section_headings(raw.lang).items()}
    for section in raw.sections:
        key = keys.get(section.heading)
        if key in rendered:
            yield key, rendered[key], section.lines, section.line + 1, section.line


def _section_problems(raw: RawText, vocabulary: Vocabulary, rendered: dict[str, SafeHtml]) -> list[Problem]:
    return [problem for key, html, lines, first, fallback in _rendered_sections(raw, vocabulary, rendered)
            for problem in rendered_problems(raw.path, html, lines, first, fallback, f"sections.{key}")]


def _section_image_problems(raw: RawText, vocabulary: Vocabulary, rendered: dict[str, SafeHtml]) -> list[Problem]:
    return [problem for _, html, lines, first, fallback in _rendered_sections(raw, vocabulary, rendered)
            for problem in image_files_problems(raw.path, html, lines, first, fallback)]


def _card_problems(raw: RawCard, data: dict) -> list[Problem]:
    """Rules about one card that the schema cannot check (cross-card rules come later)."""
    card_path, doc, problems = raw.folder / CARD_FILE, raw.card, []
    if data.get("slug") != raw.folder.name:
        problems.append(Problem(card_path, doc.line_of(("slug",)), "slug",
                                f"'{data.get('slug')}' differs from the folder name '{raw.folder.name}'; "
                                "they must be equal"))
    ids = [s.get("id") for s in data.get("sources", [])]
    for source_id, count in Counter(ids).items():
        if count > 1:
            problems.append(Problem(card_path, doc.line_of(("sources",)), "sources",
                                    f"the id '{source_id}' is used {count} times"))
    for i, example in enumerate(data.get("examples", [])):
        if example.get("source") not in ids:
            problems.append(_problem_at(card_path, doc, ("examples", i, "source"),
                                    f"'{example.get('source')}' is not the id of an entry in sources"))
    source_language = data.get("source_language")
    if isinstance(source_language, str) and source_language not in raw.texts:
        problems.append(Problem(card_path, doc.line_of(("source_language",)), "source_language",
                                f"the text in the source language is missing: add {source_language}.md"))
    return problems


def _untouched_scaffold(text: RawText) -> bool:
    """A language file as `toolbox.py new` left it: not yet written (its title is still the placeholder)."""
    fm = text.front_matter
    return fm is not None and isinstance(fm.data, dict) and fm.data.get("title") == PLACEHOLDER


def _written_texts(raw: RawCard, data: dict) -> dict[str, RawText]:
    """The language files that count: an untouched scaffold of a language other than the source language is
    a translation not written yet (missing), not a broken text."""
    source = data.get("source_language")
    return {lang: text for lang, text in raw.texts.items() if lang == source or not _untouched_scaffold(text)}


def _build_card(raw: RawCard, data: dict, vocabulary: Vocabulary,
                rendered: dict[Path, dict[str, SafeHtml]]) -> Card:
    texts = {}
    for lang, raw_text in _written_texts(raw, data).items():
        by_heading = {s.heading: s for s in raw_text.sections}
        html = rendered[raw_text.path]
        sections = tuple(Section(key, heading, by_heading[heading].markdown, html[key].html, html[key].images)
                         for key, heading in vocabulary.section_headings(lang).items())
        fm = raw_text.front_matter.data
        texts[lang] = CardText(lang=lang, path=raw_text.path, title=fm["title"].strip(),
                               summary=fm["summary"].strip(), revision=fm["revision"], sections=sections)
    return Card(
        slug=data["slug"], folder=raw.folder, status=data["status"], source_language=data["source_language"],
        theme=data["theme"], facts={fact.key: fact.read(data) for fact in vocabulary.facts},
        related=tuple(data.get("related", ())),
        examples=tuple(Example(e["place"], e["source"], e.get("year")) for e in data.get("examples", ())),
        sources=tuple(Source(s["id"], s["title"] if isinstance(s["title"], str) else dict(s["title"]), s.get("url"))
                      for s in data["sources"]),
        texts={lang: texts[lang] for lang in vocabulary.codes if lang in texts},
    )


def _checked_text(text: RawText, vocabulary: Vocabulary, rules: Rules,
                  cache: TextCache | None) -> tuple[list[Problem], dict[str, SafeHtml], list[Problem]]:
    """A text's line problems, its sections as sanitised HTML, and what the sanitiser's view finds in them:
    from the cache when the text and everything it is checked against are unchanged (its image files are
    checked every time)."""
    key = cache.key(text, vocabulary.section_headings(text.lang)) if cache else None
    result = cache.get(key, text.path) if cache else None
    if result is None:
        result = (rules.lines(text.path, text.lines, text.lang), render_sections(text, vocabulary), [])
        result[2].extend(_section_problems(text, vocabulary, result[1]))
        if cache:
            cache.put(key, result)
    lines, sections, rendered = result
    return lines, sections, rendered + _section_image_problems(text, vocabulary, sections)


def validate(raw_cards: list[RawCard], vocabulary: Vocabulary, rules: Rules = NO_RULES,
             cache: TextCache | None = None) -> tuple[list[Card], list[Problem]]:
    """Check every loaded card; return the valid cards and every problem found. A card.yml that does not parse
    hides nothing else: the card's texts are checked all the same."""
    validator = Draft202012Validator(build_card_schema(vocabulary))
    problems: list[Problem] = []
    candidates: list[tuple[RawCard, dict]] = []
    rendered: dict[Path, dict[str, SafeHtml]] = {}
    for raw in raw_cards:
        problems.extend(raw.problems)
        card_path = raw.folder / CARD_FILE
        card_problems = rules.lines(card_path, raw.card_lines)
        data = raw.card.data if raw.card is not None and isinstance(raw.card.data, dict) else {}
        if raw.card is not None:
            schema = _schema_problems(raw.card, card_path, validator)
            card_problems += schema or _card_problems(raw, data)
        for text in _written_texts(raw, data).values():
            card_problems += _text_problems(text, vocabulary, published=data.get("status") == "published")
            if text.lang in vocabulary.codes:
                line_problems, rendered[text.path], html_problems = _checked_text(text, vocabulary, rules, cache)
                card_problems += line_problems + html_problems
                too_long = length_problem(text.path, "\n".join(s.markdown for s in text.sections))
                card_problems += [too_long] if too_long else []
        problems.extend(card_problems)
        if raw.card is not None and not card_problems and not raw.problems:
            candidates.append((raw, raw.card.data))

    # Rules across cards: unique slugs, related slugs that exist.
    slugs = Counter(raw.card.data.get("slug") for raw in raw_cards
                    if raw.card is not None and isinstance(raw.card.data, dict))
    valid: list[Card] = []
    for raw, data in candidates:
        card_path, cross = raw.folder / CARD_FILE, []
        if slugs[data["slug"]] > 1:
            cross.append(Problem(card_path, raw.card.line_of(("slug",)), "slug",
                                 f"'{data['slug']}' is the slug of another card too"))
        for i, slug in enumerate(data.get("related", [])):
            if slug == data["slug"]:
                cross.append(_problem_at(card_path, raw.card, ("related", i), "a card cannot be related to itself"))
            elif slug not in slugs:
                cross.append(_problem_at(card_path, raw.card, ("related", i), f"no card has the slug '{slug}'"))
        problems.extend(cross)
        if not cross:
            valid.append(_build_card(raw, data, vocabulary, rendered))
    return valid, problems


def schema_file_problems(vocabulary: Vocabulary, schema_file: Path = PROJECT.schema_file) -> list[Problem]:
    """The committed schema and the field reference in the contributing guides must match the vocabularies,
    or editors' completion and documentation lie to them."""
    problems = []
    if not schema_file.is_file() or schema_file.read_text(encoding="utf-8") != schema_json(vocabulary):
        problems.append(Problem(schema_file, None, "schema", "out of date with formats/vocabularies.yml; "
                                "run: python scripts/toolbox.py schema"))
    for lang, guide in guides(schema_file.parents[1]).items():
        if guide.is_file():
            text = guide.read_text(encoding="utf-8")
            if with_reference(text, field_reference(vocabulary, lang)) != text:
                problems.append(Problem(guide, None, "fields", "the field reference is out of date with "
                                        "formats/vocabularies.yml; run: python scripts/toolbox.py schema"))
    return problems


def symlink_problems(folder: Path) -> list[Problem]:
    """Links anywhere under `folder`: a link could publish any file of the machine that builds the site."""
    problems = []
    for directory, names, files in os.walk(folder):
        for name in [*names, *files]:
            path = Path(directory) / name
            if path.is_symlink():
                problems.append(Problem(path, None, "file", "is a link to another file or folder; links are not "
                                        "allowed in formats/ and docs/: put the file itself here"))
    return problems


def check_cards(formats_dir: Path, vocabulary: Vocabulary, rules: Rules = NO_RULES,
                cache: TextCache | None = None) -> tuple[list[Card], list[Problem]]:
    """Load and validate every card under `formats_dir`."""
    raw_cards = [load_card_folder(folder) for folder in card_folders(formats_dir)]
    return validate(raw_cards, vocabulary, rules, cache)


def text_cache(project: Project, rules: Rules) -> TextCache | None:
    """The project's cache of checked texts, unless TOOLBOX_CHECK_CACHE=off."""
    if os.environ.get("TOOLBOX_CHECK_CACHE") == "off":
        return None
    return TextCache(project.root / ".cache" / "check", rules.fingerprint())


def _chapter_problems(path: Path, chapter: Chapter, rules: Rules, cache: TextCache | None) -> list[Problem]:
    """What the sanitiser would remove from a chapter, its images, and markup in its title: from the cache when
    the chapter and everything it is checked against are unchanged (its image files are checked every time)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    title_line = next((i for i, line in enumerate(lines, start=1) if line.startswith("# ")), 1)
    key = cache.chapter_key(path, text) if cache else None
    cached = cache.get(key, path) if cache else None
    if cached is not None:
        problems, sections, _ = cached
    else:
        sections = {"body": render(chapter.markdown)}
        problems = rendered_problems(path, sections["body"], lines[title_line:], title_line + 1, title_line, "body")
        problems += placeholder_problems(path, "\n".join(lines))
        explains_variants = chapter.name in EXPLAINS_VARIANTS
        problems += rules.lines(path, lines, None if explains_variants else chapter.lang)
        if MARKUP.search(chapter.title):
            problems.append(Problem(path, title_line, "title", "is plain text: HTML is shown as written, not as "
                                    "markup; remove the tags"))
        if cache:
            cache.put(key, (problems, sections, []))
    return problems + image_files_problems(path, sections["body"], lines[title_line:], title_line + 1, title_line)


def check_chapters(docs_dir: Path, languages: tuple[str, ...], rules: Rules = NO_RULES,
                   cache: TextCache | None = None) -> tuple[list[Chapter], list[Problem]]:
    """Check the hand-written chapters: readable front matter with a description, a title, every language."""
    chapters: list[Chapter] = []
    problems: list[Problem] = []
    names = {lang: {p.name for p in (docs_dir / lang).glob("*.md")} for lang in languages}
    for lang in languages:
        for name in sorted(set().union(*names.values()) - names[lang]):
            problems.append(Problem(docs_dir / lang / name, None, "language",
                                    f"missing: the chapter exists in another language but not in {lang}"))
        for path in sorted((docs_dir / lang).glob("*.md")):
            chapter = load_chapter(path, problems)
            if chapter is not None:
                chapters.append(chapter)
                problems += _chapter_problems(path, chapter, rules, cache)
    return chapters, problems


@dataclass(frozen=True)
class CheckedProject:
    cards: list[Card]
    chapters: list[Chapter]
    problems: list[Problem]

    def chapters_named(self, names: tuple[str, ...], lang: str) -> list[Chapter]:
        """The chapters of `lang` with these names, in this order (those the project has)."""
        by_name = {c.name: c for c in self.chapters if c.lang == lang}
        return [by_name[name] for name in names if name in by_name]


def check_project(project: Project = PROJECT, formats_dir: Path | None = None,
                  docs_dir: Path | None = None) -> CheckedProject:
    """Check everything an editor writes: the cards, the chapters, and that the schema file is current.

    The cards and chapters are the project's unless other folders are given (as `check --formats` does).
    """
    vocabulary, problems = check_vocabulary(project.vocabulary_file)
    interface, interface_problems = check_interface(project.interface_file)
    problems += interface_problems
    if vocabulary is not None and interface is not None:  # each fact's name in the interface words
        problems += check_facts(project.facts_file, tuple(vocabulary.kinds), tuple(interface))[1]
    problems += symlink_problems(formats_dir or project.formats_dir) + symlink_problems(docs_dir or project.docs_dir)
    if vocabulary is None or problems:  # the words every card needs are broken: report those first (each once:
        return CheckedProject([], [], list(dict.fromkeys(problems)))  # a broken languages.yml breaks both files)
    terms, problems = check_terminology(project.terminology_file)
    problems += words_problems(project.interface_file, terms) + words_problems(project.vocabulary_file, terms)
    rules = Rules(private_name_hashes(project.content_rules_file),
                  printable_characters(project.print_dir / "fonts"), tuple(terms))
    cache = text_cache(project, rules)
    cards, card_problems = check_cards(formats_dir or project.formats_dir, vocabulary, rules, cache)
    problems += card_problems
    chapters: list[Chapter] = []
    docs_dir = docs_dir or project.docs_dir
    if docs_dir.is_dir():
        chapters, chapter_problems = check_chapters(docs_dir, vocabulary.codes, rules, cache)
        problems += chapter_problems
    problems += schema_file_problems(vocabulary, project.schema_file)
    return CheckedProject(cards, chapters, problems)


def valid_project(project: Project = PROJECT) -> CheckedProject:
    """The project's cards and chapters; raises InvalidContent listing every problem if anything is broken."""
    checked = check_project(project)
    if checked.problems:
        raise InvalidContent(checked.problems)
    return checked


def valid_cards(project: Project = PROJECT) -> list[Card]:
    """Every card of the project, validated (see valid_project)."""
    return valid_project(project).cards
