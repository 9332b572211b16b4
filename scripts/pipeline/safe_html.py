"""The guard on editors' text: an allowlist of the HTML a card or chapter may contain, applied by nh3 (the
Python binding of the Rust sanitiser ammonia) to the HTML that Markdown made, before it reaches any product.

Editors are not trusted: what they write is built by CI and published on a city's website. Whatever the
Markdown syntax (raw HTML, `attr_list`, entities, tags split over lines), only what this allowlist names
survives. `removed()` says, for `check`, what the sanitiser would take away; it is an explanation, the guard
is `sanitise()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

# What Markdown (with the site's extensions: abbr, admonition, attr_list, def_list, md_in_html, tables, toc,
# details) makes of ordinary text, and nothing more.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
})
# Removed together with everything inside them (the text of a script is not text for readers).
CONTENT_REMOVED = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
                             "textarea", "select", "title"})
ATTRIBUTES = {
    "*": {"lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "td": {"colspan", "rowspan", "style"}, "th": {"colspan", "rowspan", "style"},
    "ol": {"start"}, "details": {"open"},
}
ADMONITIONS = {"note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger", "bug",
               "example", "quote"}
CLASSES = {"div": {"admonition", *ADMONITIONS}, "details": ADMONITIONS, "p": {"admonition-title"},
           "a": {"headerlink"}}
STYLE_PROPERTIES = {"text-align"}  # what the tables extension writes for aligned columns
URL_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src"}
ID = re.compile(r"^[A-Za-z0-9][\w-]*$")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop ASCII tabs and newlines anywhere in a URL and leading controls and spaces: "java\tscript:".
URL_NOISE = re.compile(r"[\x00-\x20]")


def local_file(src: str) -> bool:
    """An image source that names a file in the text's own folder (or below it): no scheme, no host, no '..'."""
    return bool(src) and not SCHEME.match(URL_NOISE.sub("", src)) and not src.startswith(("/", "\\")) \
        and "\\" not in src and ".." not in src.split("/") and "?" not in src and "#" not in src


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "src" and tag == "img" and not local_file(value):
        return None  # an image is a file of the card's own: a web image would be a request off the site
    if name == "id" and not ID.match(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS), clean_content_tags=set(CONTENT_REMOVED), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
    attribute_filter=_attribute_filter, url_schemes=set(URL_SCHEMES), allowed_classes=CLASSES,
    filter_style_properties=set(STYLE_PROPERTIES), link_rel="noopener noreferrer", strip_comments=True,
)


def sanitise(html: str) -> str:
    """`html` with everything the allowlist does not name removed."""
    return _CLEANER.clean(html)


@dataclass(frozen=True)
class Removal:
    """Something in editors' HTML that the sanitiser removes: what it is, and a piece of source to find it by."""

    what: str
    needle: str
    field: str | None = None  # the field to name, where it is not the text's own (images)


class _Explainer(HTMLParser):
    """Walks rendered HTML with the allowlist above and notes what the sanitiser would remove, once each."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, Removal] = {}

    def _note(self, what: str, needle: str, field: str | None = None) -> None:
        self.found.setdefault(what, Removal(what, needle, field))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            inside = " and everything in it" if tag in CONTENT_REMOVED else ""
            self._note(f"the HTML element <{tag}> is not allowed{inside}", f"<{tag}")
            return
        allowed = ATTRIBUTES.get("*", set()) | ATTRIBUTES.get(tag, set()) | ({"class"} if tag in CLASSES else set())
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self._note(f"the attribute '{name}' on <{tag}> is not allowed", name)
            elif name == "class":
                for css_class in value.split():
                    if css_class not in CLASSES[tag]:
                        self._note(f"the class '{css_class}' on <{tag}> is not allowed", css_class)
            elif name == "style":
                properties = {part.split(":", 1)[0].strip().lower() for part in value.split(";") if part.strip()}
                if properties - STYLE_PROPERTIES:
                    self._note(f"the style '{value}' on <{tag}> is not allowed (only text-align)", "style")
            elif name == "id" and not ID.match(value):
                self._note(f"the id '{value}' on <{tag}> is not allowed", value)
            elif name == "src" and tag == "img" and not local_file(value):
                where = ("is a web address" if SCHEME.match(URL_NOISE.sub("", value)) or value.startswith("//")
                         else "lies outside the folder of this text")
                self._note(f"'{value}' {where}; put the image file in the card's folder and refer to it by its "
                           "name", value, "image")
            elif name in URL_ATTRIBUTES:
                scheme = SCHEME.match(URL_NOISE.sub("", value))
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    self._note(f"the link '{value}' uses '{scheme.group(1)}:'; links may be http, https, "
                               "mailto or a page of the toolbox", scheme.group(1))

    handle_startendtag = handle_starttag


def removed(html: str) -> list[Removal]:
    """What `sanitise(html)` would remove, described for the editor who wrote it."""
    explainer = _Explainer()
    explainer.feed(html)
    explainer.close()
    return list(explainer.found.values())


# What every page of the site may load and run, as a <meta> element (static hosting cannot send headers):
# everything from the site itself and nothing from elsewhere, no inline script (so an injected one would not
# run either), WebAssembly for the search index (Pagefind), no plugins, no <base>, no form submissions.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "media-src 'self'", "object-src 'none'", "base-uri 'none'",
    "form-action 'none'", "frame-src 'none'", "worker-src 'self'", "manifest-src 'self'",
])
