"""Step 1, load: read a card folder's files into plain data, remembering line numbers.

Nothing here judges the content beyond "can it be read at all"; that is `validate`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .model import Chapter, Problem

# libyaml's parser (shipped in PyYAML's wheels) when present: the same marks and lines, many times faster.
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CARD_FILE = "card.yml"
FRONT_MATTER_FENCE = "---"
CODE_FENCE = re.compile(r"^\s*(```|~~~)")
# Limits that keep hostile files from stalling a build; ordinary cards are far below them.
MAX_FILE_BYTES = 200_000
MAX_LINE_CHARS = 10_000
MAX_DEPTH = 10


def section_heading(line: str) -> str | None:
    """The heading of a level-2 Markdown heading line (`## Goal ##` → Goal), else None (no regex: linear time)."""
    if not line.startswith("##") or line.startswith("###") or len(line) < 3 or not line[2].isspace():
        return None
    return line[2:].strip().rstrip("#").strip() or None


@dataclass
class YamlDocument:
    """Parsed YAML plus the line of every value, so that problems can name a line."""

    data: Any
    root: yaml.Node | None
    first_line: int = 1  # line of the document's first line within its file

    def line_of(self, path: tuple) -> int | None:
        """The 1-based file line of the value at `path` (keys and indexes), or of its nearest parent."""
        node, line = self.root, None
        if node is not None:
            line = node.start_mark.line
        for part in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == part:
                        child, line = value, key.start_mark.line
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
                line = child.start_mark.line
            if child is None:
                break
            node = child
        return None if line is None else line + self.first_line


@dataclass
class RawSection:
    heading: str
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return "\n".join(self.lines).strip("\n")


@dataclass
class RawText:
    """A language file: its front matter and its level-2 sections, unchecked."""

    lang: str
    path: Path
    front_matter: YamlDocument | None
    preamble: list[tuple[int, str]]  # non-blank lines before the first section
    sections: list[RawSection]
    lines: list[str]


@dataclass
class RawCard:
    folder: Path
    card: YamlDocument | None
    texts: dict[str, RawText]
    problems: list[Problem]
    stray_files: list[Path]
    card_lines: list[str] = field(default_factory=list)  # card.yml as read, for the rules on every line


def read_yaml(path: Path) -> Any:
    """A project file's YAML data (vocabularies, interface words), read with the fast parser."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_SAFE_LOADER)


def read_utf8(path: Path, problems: list[Problem]) -> str | None:
    """The file's text, or None with a problem: a link, too large, not UTF-8, or a line too long to be text."""
    if path.is_symlink():
        problems.append(Problem(path, None, "file", "is a link to another file; put the file itself here"))
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(Problem(path, None, "file", f"is {size:,} bytes; a text file of the toolbox may have at "
                                f"most {MAX_FILE_BYTES:,}: split the text or shorten it"))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(path, line, "encoding",
                                f"the file is not UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8"))
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            problems.append(Problem(path, number, "file", f"the line has {len(line):,} characters; at most "
                                    f"{MAX_LINE_CHARS:,} are allowed: break it into lines or paragraphs"))
            return None
    return text


def _structure_problems(root: yaml.Node, path: Path, first_line: int, field_name: str) -> list[Problem]:
    """Anchors and aliases (one value used in several places), duplicate keys and deep nesting: none has a
    use in a card, and aliases can make a small file expand into a huge one."""
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        line = node.start_mark.line + first_line
        if id(node) in seen:
            problems.append(Problem(path, line, field_name, "YAML anchors and aliases (&name, *name) are not "
                                    "allowed: write each value out where it belongs"))
            return problems
        seen.add(id(node))
        if depth > MAX_DEPTH:
            problems.append(Problem(path, line, field_name, f"nested more than {MAX_DEPTH} levels deep; a card "
                                    "needs at most three"))
            return problems
        if isinstance(node, yaml.MappingNode):
            keys: set = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value in keys:
                    problems.append(Problem(path, key.start_mark.line + first_line, str(key.value),
                                            "this field is given twice; keep one"))
                keys.add(key.value if isinstance(key, yaml.ScalarNode) else id(key))
                stack += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1) for item in node.value]
    return problems


# libyaml's words for a mistake → what the editor should do about it.
YAML_MISTAKES = (
    ("mapping values are not allowed", "a colon inside a value: put the whole value in quotes, "
                                       "like title: \"Heat: a walk\""),
    ("tab", "a tab character: indent with spaces only"),
    ("did not find expected key", "the indentation is off: fields at the same level must start in the same "
                                  "column, and the entries of a list with '- ' one below the other"),
    ("did not find expected '-' indicator", "the indentation is off: the entries of a list start with '- ' "
                                            "one below the other, their fields indented alike"),
    ("expected ',' or ']'", "a list in brackets is not closed: end it with ']' on the same line"),
    ("expected ',' or '}'", "a mapping in braces is not closed: end it with '}'"),
    ("end of stream", "a quotation mark is not closed: end the value with the same quotation mark"),
    ("could not find expected ':'", "a line that is not 'field: value': add the colon, or join it to the "
                                    "line before"),
    ("found undefined alias", "a value starts with '*': put it in quotes"),
    ("found character '@'", "a value starts with '@': put it in quotes"),
    ("found character '`'", "a value starts with '`': put it in quotes"),
)


def explain_yaml_error(reason: str) -> str:
    """A YAML parser's complaint in words an editor can act on (the parser's own words after them)."""
    for words, advice in YAML_MISTAKES:
        if words in reason:
            return f"{advice} (YAML: {reason})"
    return f"YAML does not parse: {reason}"


def parse_yaml(text: str, path: Path, problems: list[Problem], first_line: int = 1,
               field_name: str = "yaml") -> YamlDocument | None:
    """Parse YAML text; a syntax error becomes a problem with its line."""
    try:
        loader = FAST_SAFE_LOADER(text)
        try:  # one parse: the node tree keeps the lines for messages, the data is built from it
            root = loader.get_single_node()
            structure = _structure_problems(root, path, first_line, field_name) if root is not None else []
            if structure:
                problems.extend(structure)
                return None
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark, opened = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
        line = mark.line + first_line if mark else None
        reason = getattr(error, "problem", None) or str(error)
        lines = text.splitlines()
        if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
            reason = f"a tab on this line ({reason})"  # libyaml often does not name the tab
        message = explain_yaml_error(reason)
        if opened is not None and mark is not None and opened.line != mark.line:
            message += f" (what is unfinished was opened on line {opened.line + first_line})"
        problems.append(Problem(path, line, field_name, message))
        return None
    return YamlDocument(data=data, root=root, first_line=first_line)


def split_sections(body_lines: list[str], first_line: int) -> tuple[list[tuple[int, str]], list[RawSection]]:
    """Split a Markdown body at its level-2 headings (ignoring headings inside code fences)."""
    preamble: list[tuple[int, str]] = []
    sections: list[RawSection] = []
    in_code = False
    for offset, line in enumerate(body_lines):
        number = first_line + offset
        if CODE_FENCE.match(line):
            in_code = not in_code
        heading = None if in_code else section_heading(line)
        if heading:
            sections.append(RawSection(heading=heading, line=number))
        elif sections:
            sections[-1].lines.append(line)
        elif line.strip():
            preamble.append((number, line))
    return preamble, sections


def load_text(path: Path, problems: list[Problem]) -> RawText | None:
    """Read one language file (`de.md`, …) into front matter and sections."""
    text = read_utf8(path, problems)
    if text is None:
        return None
    lines = text.splitlines()
    front_matter = None
    body_start = 0
    if lines and lines[0].strip() == FRONT_MATTER_FENCE:
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
        except StopIteration:
            problems.append(Problem(path, 1, "front matter", "the front matter opened with '---' is never closed"))
            return None
        front_matter = parse_yaml("\n".join(lines[1:end]), path, problems, first_line=2,
                                  field_name="front matter")
        if front_matter is None:
            return None
        body_start = end + 1
    preamble, sections = split_sections(lines[body_start:], first_line=body_start + 1)
    return RawText(lang=path.stem, path=path, front_matter=front_matter, preamble=preamble,
                   sections=sections, lines=lines)


def load_card_folder(folder: Path) -> RawCard:
    """Read card.yml and every Markdown file of one card folder."""
    problems: list[Problem] = []
    card_path = folder / CARD_FILE
    card, card_lines = None, []
    if not card_path.is_file():
        problems.append(Problem(card_path, None, CARD_FILE, "missing: every card folder needs a card.yml"))
    else:
        text = read_utf8(card_path, problems)
        if text is not None:
            card_lines = text.splitlines()
            card = parse_yaml(text, card_path, problems)
    texts: dict[str, RawText] = {}
    stray: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".md":
            loaded = load_text(path, problems)
            if loaded is not None:
                texts[loaded.lang] = loaded
        elif path.name != CARD_FILE and not path.name.startswith("."):
            stray.append(path)
    return RawCard(folder=folder, card=card, texts=texts, problems=problems, stray_files=stray,
                   card_lines=card_lines)


def card_folders(formats_dir: Path) -> list[Path]:
    """Every card folder under formats/ (folders whose name does not start with '_' or '.')."""
    return sorted(p for p in formats_dir.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def load_chapter(path: Path, problems: list[Problem]) -> Chapter | None:
    """Read a hand-written chapter: its front matter (with a description), its `# Title` and its body."""
    text = read_utf8(path, problems)
    if text is None:
        return None
    lines = text.splitlines()
    meta: dict = {}
    body_start = 0
    if lines and lines[0].strip() == FRONT_MATTER_FENCE:
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE), None)
        if end is None:
            problems.append(Problem(path, 1, "front matter", "the front matter opened with '---' is never closed"))
            return None
        document = parse_yaml("\n".join(lines[1:end]), path, problems, first_line=2, field_name="front matter")
        if document is None:
            return None
        meta = document.data if isinstance(document.data, dict) else {}
        body_start = end + 1
    description = meta.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.append(Problem(path, 1, "description", "required: one sentence in the front matter "
                                "(description: …), for search engines and link previews"))
    title_index = next((i for i in range(body_start, len(lines)) if lines[i].startswith("# ")), None)
    if title_index is None:
        problems.append(Problem(path, None, "title", "missing: the chapter needs a '# Title' line"))
        return None
    return Chapter(name=path.stem, lang=path.parent.name, title=lines[title_index][2:].strip(),
                   description=str(description or "").strip(),
                   markdown="\n".join(lines[title_index + 1:]).strip("\n"))


def read_words(path: Path) -> tuple[YamlDocument | None, list[Problem]]:
    """A project file of words or declarations (vocabularies, interface words, facts, termbase): a YAML mapping
    with the line of every value, or the problems that keep it from being read."""
    problems: list[Problem] = []
    text = read_utf8(path, problems) if path.is_file() else None
    if text is None:
        return None, problems or [Problem(path, None, path.name, "missing")]
    document = parse_yaml(text, path, problems)
    if document is not None and not isinstance(document.data, dict):
        problems.append(Problem(path, 1, path.name, "must be a mapping (name: …)"))
        return None, problems
    return document, problems
