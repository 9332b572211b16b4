"""MkDocs hook: what the theme's templates (overrides/) need beyond Material's own context.

- `config.extra.words`: the interface words of the language being built (formats/interface.yml), for the
  404 page, the footer and the PDF links; `language_root`, `language_prefix`, `default_language`.
- the `absolute` filter: a site link made absolute with `site_url`, as hreflang alternates must be.
- `material_bundle`: the path of Material's JavaScript bundle, as its base.html names it (the name carries a
  hash that changes with every Material release), for overrides/main.html, which loads it later.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs_adapter.pages import project_of  # noqa: E402
from pipeline.safe_html import CONTENT_SECURITY_POLICY  # noqa: E402
from pipeline.vocabulary import load_interface  # noqa: E402

MATERIAL_BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")


@event_priority(-110)  # after mkdocs-static-i18n has switched the configuration to the language
def on_config(config):
    lang = config.plugins["i18n"].current_language
    interface = load_interface(project_of(config).interface_file)
    config.extra["words"] = {key: texts[lang] for key, texts in interface.items()}
    # The language's home as a path from the server's root, for pages served at any depth (the 404 page).
    root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    default = config.plugins["i18n"].default_language
    config.extra["language_root"] = root if lang == default else f"{root}{lang}/"
    config.extra["language_prefix"] = "" if lang == default else f"{lang}/"
    config.extra["default_language"] = default
    return config


def on_env(env, config, files):
    def absolute(link: str) -> str:
        return urljoin(config.site_url, link) if config.site_url else link

    env.filters["absolute"] = absolute
    base = env.loader.get_source(env, "base.html")[0]
    bundle = MATERIAL_BUNDLE.search(base)
    if bundle is None:
        raise PluginError("Material's base.html names no assets/javascripts/bundle.*.min.js: overrides/main.html "
                          "loads that bundle and must be adapted to this version of Material")
    env.globals["material_bundle"] = bundle.group(0)
    env.globals["content_security_policy"] = CONTENT_SECURITY_POLICY
    return env
