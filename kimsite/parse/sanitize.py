"""The one HTML sanitizer for author Markdown and remote feed content (nh3 / ammonia).

Allowed: ordinary article markup (headings, paragraphs, lists, tables, quotes,
code, images, links, footnotes) and the disabled checkboxes of task lists. Removed:
scripts, styles, event handlers, forms and every other input, embeds, and any URL
scheme other than http, https, mailto and tel (so every disguise of `javascript:`
goes). The output is valid HTML: attributes HTML made obsolete are dropped, obsolete
elements become their modern equivalents (<center> a <div>, <tt> <code>), and
<source> stays only inside <picture>, <video> or <audio>.
"""

from __future__ import annotations

import re

import nh3

from kimsite.schema.frontmatter import strip_control_chars

_TAGS = (set(nh3.ALLOWED_TAGS) - {"area", "map"}) | {"picture", "source", "section", "input"}
_GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
_OBSOLETE_ATTRIBUTES = {"align", "char", "charoff", "summary", "size", "width"}  # width: hr only (below)
_ATTRIBUTES: dict[str, set[str]] = {tag: set(attrs) - _OBSOLETE_ATTRIBUTES
                                    for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["img"] = set(nh3.ALLOWED_ATTRIBUTES["img"]) - {"align"}
_ATTRIBUTES["input"] = {"type", "checked", "disabled"}  # task lists; see _rewrite_tags
_ATTRIBUTES["*"] = _GLOBAL_ATTRIBUTES
_ATTRIBUTES.setdefault("img", set()).update({"loading", "decoding", "srcset", "sizes"})
_ATTRIBUTES["source"] = {"srcset", "sizes", "type", "media"}
_ATTRIBUTES.setdefault("a", set()).update({"rel"})
_ATTRIBUTES.setdefault("th", set()).update({"style"})
_ATTRIBUTES.setdefault("td", set()).update({"style"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # every other scheme is dropped

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


# A start or end tag as the cleaner writes it (attribute values always double-quoted, so a "<"
# or ">" inside one never ends the match); text outside tags has "<" escaped.
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*/?>')
_MEDIA = {"picture", "video", "audio"}
_RENAMED = {"center": "div", "tt": "code", "strike": "s", "acronym": "abbr"}
_REWRITTEN = re.compile(r"<(?:/?(?:source|input|center|tt|strike|acronym)\b)", re.IGNORECASE)


def _rewrite_tags(markup: str) -> str:
    """What an allowlist of tags cannot say: <source> only inside a media element, an <input>
    only as a task list's disabled checkbox, obsolete elements renamed."""
    if not _REWRITTEN.search(markup):
        return markup
    depth = 0

    def visit(match: re.Match[str]) -> str:
        nonlocal depth
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name in _MEDIA:
            depth = max(0, depth - 1) if closing else depth + 1
        elif name == "source":
            return match.group(0) if depth else ""
        elif name == "input":
            if closing or ' type="checkbox"' not in attributes.lower():
                return ""
            checked = " checked" if re.search(r"\schecked\b", attributes, re.IGNORECASE) else ""
            return f'<input type="checkbox"{checked} disabled>'
        elif name in _RENAMED:
            return f"<{closing}{_RENAMED[name]}{attributes}>"
        return match.group(0)

    return _TAG.sub(visit, markup)


# One cleaner for the process: nh3.clean() would convert these settings for every document,
# which took half of its time.
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
    filter_style_properties=_STYLE_PROPERTIES,
    attribute_filter=_filter_attribute,
)


# The HTML parser under nh3 walks its stack of open elements for each new block, so markup
# nested thousands deep takes minutes (100,000 <div>s: about two); no page nests 500 deep.
MAX_NESTING = 500
_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")  # stops at the next "<": linear
# Void elements, and those a following sibling closes (an unclosed <p> or <li> adds no depth).
_NO_DEPTH = frozenset("area base br col embed hr img input link meta source track wbr "
                      "p li dt dd option tr td th".split())


class NestedTooDeep(ValueError):
    """Markup nested deeper than MAX_NESTING elements."""


def nested_too_deep(markup: str, limit: int = MAX_NESTING) -> bool:
    """True when some element of `markup` lies more than `limit` elements deep."""
    if markup.count("<") <= limit:  # too few tags to nest that deep (the common case: one count)
        return False
    depth = 0
    for match in _ANY_TAG.finditer(markup):
        closing, name, self_closing = match.groups()
        if name.lower() in _NO_DEPTH or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > limit:
            return True
    return False


def sanitize_html(markup: str) -> str:
    """Remove everything unsafe from `markup`; safe markup passes unchanged in meaning.
    Raises NestedTooDeep for markup nested deeper than any page is (see MAX_NESTING)."""
    if nested_too_deep(markup):
        raise NestedTooDeep(f"more than {MAX_NESTING} nested elements")
    # Entities such as "&#1;" come out of the cleaner as raw characters that XML feeds forbid.
    return strip_control_chars(_rewrite_tags(_CLEANER.clean(markup)))
