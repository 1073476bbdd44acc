"""The one HTML sanitizer for author Markdown and remote feed content (nh3 / ammonia).

Allowed: ordinary article markup (headings, paragraphs, lists, tables, quotes,
code, images, links, footnotes). Removed: scripts, styles, event handlers,
forms, embeds, and any URL scheme other than http, https, mailto and tel
(so every disguise of `javascript:` goes).
"""

from __future__ import annotations

import re

import nh3

from kimsite.frontmatter import strip_control_chars

_TAGS = (set(nh3.ALLOWED_TAGS) - {"area", "map"}) | {"picture", "source", "section"}
_GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
_ATTRIBUTES: dict[str, set[str]] = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = _GLOBAL_ATTRIBUTES
_ATTRIBUTES.setdefault("img", set()).update({"loading", "decoding", "srcset", "sizes"})
_ATTRIBUTES["source"] = {"srcset", "sizes", "type", "media"}
_ATTRIBUTES.setdefault("a", set()).update({"rel"})
_ATTRIBUTES.setdefault("th", set()).update({"style"})
_ATTRIBUTES.setdefault("td", set()).update({"style"})
_SCHEMES = {"http", "https", "mailto", "tel"}

# Table cells may keep alignment (Python-Markdown writes style="text-align: …").
_STYLE_PROPERTIES = {"text-align"}


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def _url_is_safe(url: str) -> bool:
    scheme = _SCHEME.match(_INVISIBLE.sub("", url))
    return scheme is None or scheme.group(1).lower() in ("http", "https")


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    """The cleaner checks href/src schemes itself but not the URLs inside srcset."""
    if name == "srcset" and not all(_url_is_safe(part) for part in value.split(",")):
        return None
    return value


# One cleaner for the process: nh3.clean() would convert these settings for every document,
# which took half of its time.
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes=_SCHEMES,
    link_rel=None,
    strip_comments=True,
    filter_style_properties=_STYLE_PROPERTIES,
    attribute_filter=_filter_attribute,
)


def sanitize_html(markup: str) -> str:
    """Remove everything unsafe from `markup`; safe markup passes unchanged in meaning."""
    # Entities such as "&#1;" come out of the cleaner as raw characters that XML feeds forbid.
    return strip_control_chars(_CLEANER.clean(markup))
