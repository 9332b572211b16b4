"""What overrides/main.html needs to know about Material."""

from __future__ import annotations

import re

MATERIAL_BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")


def material_bundle(env) -> str:
    """The path of Material's JavaScript bundle as its base.html names it (the name carries a hash that changes
    with every Material release), for overrides/main.html, which loads it later. LookupError if none."""
    base = env.loader.get_source(env, "base.html")[0]
    bundle = MATERIAL_BUNDLE.search(base)
    if bundle is None:
        raise LookupError("Material's base.html names no assets/javascripts/bundle.*.min.js: overrides/main.html "
                          "loads that bundle and must be adapted to this version of Material")
    return bundle.group(0)
