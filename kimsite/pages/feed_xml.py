"""Feeds assembled from pieces feedgen serialized: a feed head without entries, plus entries.

feedgen builds one lxml tree per feed and pretty-prints it. libxml2 writes an element the same
way wherever its subtree sits, given the same depth and the same namespace declarations above
it, so an entry can be serialized on its own (in a small wrapper shaped like feedgen's root) and
spliced into any feed of that format.

Entries of one shape (format; with or without body and author; number of categories) differ
only in their text, so feedgen's bytes for a probe entry whose text fields are unique tokens
make a template; an item's entry is the template with its text escaped the way libxml2 escapes
it (`escape_text`, `escape_attr`). Every template is checked on awkward text against feedgen
before it is used. tests/test_feed_bytes.py holds the result to feedgen's whole-tree output.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"

# feedgen's RSS root: extension namespaces first (dc), then atom and content.
_RSS_NSMAP = {"atom": ATOM_NS, "content": CONTENT_NS}
_RSS_NSMAP_DC = {"dc": DC_NS, **_RSS_NSMAP}

_RSS_OPEN = b"<channel>\n"
RSS_TAIL = b"  </channel>\n</rss>\n"
ATOM_TAIL = b"</feed>\n"


def entry_bytes(entry: FeedEntry, fmt: str, dc: bool = False) -> bytes:
    """One entry as it appears in a pretty-printed feed, from its indentation to its newline.

    `dc`: the entry has Dublin Core elements (RSS only), so the root declares the dc prefix.
    """
    parent, root = _wrapper(fmt, dc)
    del parent[:]  # left empty below; cleared again in case an earlier call failed midway
    parent.append(entry.atom_entry() if fmt == "atom" else entry.rss_entry())
    data = etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=False)
    del parent[:]
    if fmt == "atom":
        start, tail = data.index(b"\n") + 1, ATOM_TAIL  # the root's start tag is one line
    else:
        start, tail = data.index(_RSS_OPEN) + len(_RSS_OPEN), RSS_TAIL
    if not data.endswith(tail):
        raise ValueError(f"unexpected {fmt} wrapper serialization")
    return data[start: len(data) - len(tail)]


# Wrappers shaped like feedgen's roots, made once per thread: (element the entry goes in, root).
_WRAPPERS = threading.local()


def _wrapper(fmt: str, dc: bool) -> tuple[etree._Element, etree._Element]:
    made: dict[tuple[str, bool], tuple[etree._Element, etree._Element]] | None = \
        getattr(_WRAPPERS, "made", None)
    if made is None:
        made = _WRAPPERS.made = {}
    key = (fmt, dc and fmt == "rss")
    wrapper = made.get(key)
    if wrapper is None:
        if fmt == "atom":
            # As in FeedGenerator._create_atom: "xmlns" is a plain attribute; entries have no namespace.
            root = etree.Element("feed", xmlns=ATOM_NS)
            wrapper = made[key] = (root, root)
        else:
            root = etree.Element("rss", version="2.0", nsmap=_RSS_NSMAP_DC if key[1] else _RSS_NSMAP)
            wrapper = made[key] = (etree.SubElement(root, "channel"), root)
    return wrapper


def splice(head: bytes, entries: Iterable[bytes], fmt: str) -> bytes | None:
    """The feed `head` (feedgen's pretty output with no entries) with `entries` put where
    feedgen appends them; None if the head does not end the way feedgen ends a feed."""
    tail = ATOM_TAIL if fmt == "atom" else RSS_TAIL
    if not head.endswith(tail):
        return None
    return b"".join((head[: len(head) - len(tail)], *entries, tail))


# libxml2's escaping when it writes UTF-8: in text & < > and CR; in attribute values also the
# double quote, LF and TAB. Every other character allowed in XML is written as is.
def escape_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attr(text: str) -> str:
    text = escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#9;")
    return text


TEXT, ATTR = 0, 1
_ESCAPE = (escape_text, escape_attr)


class Template:
    """Serialized entry bytes with holes, each hole a slot's value escaped for TEXT or ATTR."""

    __slots__ = ("text", "holes")

    def __init__(self, parts: list[bytes | tuple[str, int]]) -> None:
        # As a format string: literal braces doubled, one "{}" per hole.
        self.text = "".join(part.decode("utf-8").replace("{", "{{").replace("}", "}}")
                            if isinstance(part, bytes) else "{}" for part in parts)
        self.holes = tuple((part[0], _ESCAPE[part[1]]) for part in parts if isinstance(part, tuple))

    def fill(self, values: Mapping[str, str]) -> bytes:
        """The entry with each hole replaced by its slot's value, escaped."""
        return self.text.format(*[escape(values[slot]) for slot, escape in self.holes]).encode("utf-8")


def make_template(sample: bytes, tokens: Mapping[str, str]) -> Template | None:
    """`sample`: entry bytes in which each value of `tokens` (slot -> token) stands for its slot.
    None if a token is missing or sits neither as a whole text nor as a whole attribute value."""
    encoded = {token.encode("utf-8"): slot for slot, token in tokens.items()}
    pattern = re.compile(b"|".join(re.escape(token) for token in sorted(encoded, key=len, reverse=True)))
    parts: list[bytes | tuple[str, int]] = []
    seen: set[str] = set()
    position = 0
    for match in pattern.finditer(sample):
        before, after = sample[match.start() - 2: match.start()], sample[match.end(): match.end() + 1]
        if before[-1:] == b">" and after == b"<":
            kind = TEXT
        elif before == b'="' and after == b'"':
            kind = ATTR
        else:
            return None
        parts.append(sample[position: match.start()])
        slot = encoded[match.group()]
        parts.append((slot, kind))
        seen.add(slot)
        position = match.end()
    parts.append(sample[position:])
    if seen != set(tokens):
        return None
    return Template([part for part in parts if part != b""])
