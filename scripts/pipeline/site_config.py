"""What the site's configuration (mkdocs.yml) must say before the site is published: who runs it."""

from __future__ import annotations

from pathlib import Path

import yaml

from .model import Problem

REQUIRED = {
    "operator": "the name and postal address of the body that publishes the site (legal notice, statements)",
    "contact": "an e-mail or web address for questions and reports of barriers",
}


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key:
                return value
    return None


def publishing_problems(config_file: Path) -> list[Problem]:
    """Each required `extra` setting that is empty, with its line (the file is read, never evaluated)."""
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError) as error:
        return [Problem(config_file, None, "config", f"cannot be read: {error}")]
    extra = _value(root, "extra")
    problems = []
    for key, what in REQUIRED.items():
        node = _value(extra, key)
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            line = node.start_mark.line + 1 if node is not None else (extra.start_mark.line + 1 if extra else None)
            problems.append(Problem(config_file, line, f"extra.{key}", f"empty: give {what}"))
    return problems
