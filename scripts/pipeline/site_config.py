"""The site's settings in its configuration file (mkdocs.yml), read without a site engine and without
evaluating anything: who runs the site, where it is published, and what must be said before it is.

The file is composed as YAML nodes, so that `!ENV` values (site_url: !ENV [SITE_URL, ""]) are resolved as
the engines resolve them (pyyaml_env_tag's rule: the first set variable, else the last item as default) and
every other tag is ignored, never constructed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import InvalidContent, Problem

REQUIRED = {
    "operator": "the name and postal address of the body that publishes the site (legal notice, statements)",
    "contact": "an e-mail or web address for questions and reports of barriers",
}


# The settings under `extra` that the products use (SiteSettings has a field of each name).
EXTRA_KEYS = ("operator", "contact", "enforcement", "publisher")


@dataclass(frozen=True)
class SiteSettings:
    """What the products need from the site's configuration; empty strings where nothing is set."""

    site_url: str = ""
    repo_url: str = ""
    operator: str = ""
    contact: str = ""
    enforcement: str = ""
    publisher: str = ""

    @property
    def repository(self) -> str:
        return self.repo_url.rstrip("/")

    @property
    def contact_or_issues(self) -> str:
        """The configured contact, else the repository's issue tracker, else ""."""
        return self.contact or (f"{self.repository}/issues" if self.repository else "")


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key:
                return value
    return None


def _env(node: yaml.Node) -> str:
    """An `!ENV` node's value: the first of its variables that is set, else its last item (the default)."""
    items = [node] if isinstance(node, yaml.ScalarNode) else list(node.value)
    names = [str(item.value) for item in items if isinstance(item, yaml.ScalarNode)]
    for name in names[:-1] if len(names) > 1 else names:
        if name in os.environ:
            return os.environ[name]
    return names[-1] if len(names) > 1 else ""


def _text(node: yaml.Node | None) -> str:
    if node is None:
        return ""
    if node.tag == "!ENV":
        return _env(node).strip()
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) and node.value is not None else ""


def _compose(config_file: Path) -> yaml.Node | None:
    return yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def read_site_settings(config_file: Path) -> SiteSettings:
    """The settings of `config_file`; a file that cannot be read is a problem with its line."""
    try:
        root = _compose(config_file)
    except (OSError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        raise InvalidContent([Problem(config_file, mark.line + 1 if mark else None, "config",
                                      f"cannot be read: {getattr(error, 'problem', None) or error}")]) from None
    extra = _value(root, "extra")
    return SiteSettings(site_url=_text(_value(root, "site_url")), repo_url=_text(_value(root, "repo_url")),
                        **{key: _text(_value(extra, key))
                           for key in EXTRA_KEYS})


def publishing_problems(config_file: Path) -> list[Problem]:
    """Each required `extra` setting that is empty, with its line (the file is read, never evaluated)."""
    try:
        root = _compose(config_file)
    except (OSError, yaml.YAMLError) as error:
        return [Problem(config_file, None, "config", f"cannot be read: {error}")]
    extra = _value(root, "extra")
    problems = []
    for key, what in REQUIRED.items():
        node = _value(extra, key)
        if not _text(node):
            line = node.start_mark.line + 1 if node is not None else (extra.start_mark.line + 1 if extra else None)
            problems.append(Problem(config_file, line, f"extra.{key}", f"empty: give {what}"))
    return problems
