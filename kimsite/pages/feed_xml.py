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

import html
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from kimsite.schema.frontmatter import strip_control_chars

# lxml and feedgen are loaded only to make a template or to write what none stands for: a build
# whose templates are kept (kimsite.pages.feed_kept) loads neither.
if TYPE_CHECKING:
    from feedgen.entry import FeedEntry
    from lxml import etree

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
    from lxml import etree

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
        from lxml import etree

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

    __slots__ = ("text", "holes", "parts")

    def __init__(self, parts: list[bytes | tuple[str, int]]) -> None:
        self.parts = tuple(parts)  # what the template is made of, as it is kept (see `kept_templates`)
        # As a format string: literal braces doubled, one "{}" per hole.
        self.text = "".join(part.decode("utf-8").replace("{", "{{").replace("}", "}}")
                            if isinstance(part, bytes) else "{}" for part in parts)
        self.holes = tuple((part[0], _ESCAPE[part[1]]) for part in parts if isinstance(part, tuple))

    def fill(self, values: Mapping[str, str]) -> bytes:
        """The entry with each hole replaced by its slot's value, escaped."""
        return self.text.format(*[escape(values[slot]) for slot, escape in self.holes]).encode("utf-8")

    def slots(self) -> set[str]:
        return {slot for slot, _escape in self.holes}


def template_from_parts(parts: object, slots: set[str]) -> Template | None:
    """A template as `Template.parts` keeps it, when it is one (bytes between holes of TEXT or
    ATTR) and fills exactly `slots`; else None. Made anew from the parts, so its text holds no
    format field but its holes (the parts come from the cache)."""
    if not isinstance(parts, tuple) or not all(
            isinstance(part, bytes) or (isinstance(part, tuple) and len(part) == 2 and isinstance(part[0], str)
                                        and part[1] in (TEXT, ATTR)) for part in parts):
        return None
    try:
        template = Template(list(parts))
    except UnicodeDecodeError:
        return None
    return template if template.slots() == slots else None


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


# --- items --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FeedItem:
    id: str  # absolute permalink, also the GUID
    title: str
    link: str
    summary: str
    html: str  # sanitized, with absolute URLs
    published: datetime
    updated: datetime
    author: str | None = None
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Characters XML forbids are dropped once per item here, not again in every feed it is in.
        for name in ("title", "summary", "html"):
            object.__setattr__(self, name, strip_control_chars(getattr(self, name)))
        if self.author:
            object.__setattr__(self, "author", strip_control_chars(self.author))
        object.__setattr__(self, "categories", tuple(strip_control_chars(name) for name in self.categories))


# --- entries --------------------------------------------------------------------------------
# An entry is its shape's template (made from feedgen's bytes, see make_template) filled with
# the item's text. Items a template cannot stand for are serialized by feedgen one by one.

_TEMPLATES: dict[tuple[str, bool, bool, int], Template | None] = {}
_MAX_CATEGORIES = 64
# Probe dates: their formatted forms are unique in an entry, so they mark where dates go.
_PROBE_PUBLISHED = datetime(1901, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=1, minutes=2)))
_PROBE_UPDATED = datetime(1902, 3, 4, 5, 6, 7, tzinfo=timezone(-timedelta(hours=3, minutes=4)))
# Text and a date every template must reproduce feedgen's bytes for before it is used (heads too).
AWKWARD = " Tanda & <b class=\"x\">'kutip'</b> > ]]> &amp;\r\n\tbaris é İ 🎉 \u200b"
AWKWARD_DATE = datetime(2024, 12, 31, 23, 59, 58, 123456, tzinfo=timezone(timedelta(hours=7)))


def item_bytes(item: FeedItem, fmt: str) -> bytes:
    """The item's entry as feedgen writes it in a feed of `fmt`."""
    template = _template(fmt, bool(item.html), bool(item.author), len(item.categories)) \
        if _regular(item) else None
    if template is not None:
        return template.fill(_values(item, fmt))
    return entry_bytes(feedgen_entry(item), fmt, dc=bool(item.author))


def _regular(item: FeedItem) -> bool:
    """Whether the item's entry has its shape's elements: feedgen leaves out or empties elements
    whose text is empty, and refuses dates without an offset; such items go through feedgen."""
    return bool(item.id and item.title and item.link and item.summary and all(item.categories)
                and len(item.categories) <= _MAX_CATEGORIES
                and isinstance(item.published, datetime) and item.published.tzinfo is not None
                and isinstance(item.updated, datetime) and item.updated.tzinfo is not None)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc2822(date: datetime) -> str:
    """The date as feedgen.util.formatRFC2822 writes it (strftime in the C locale), without loading
    feedgen: the names of the day and month in English, the rest by strftime as there."""
    return f"{_DAYS[date.weekday()]}, {date.strftime('%d')} {_MONTHS[date.month - 1]} " \
           f"{date.strftime('%Y %H:%M:%S %z')}"


def _values(item: FeedItem, fmt: str) -> dict[str, str]:
    """The text feedgen writes for the item, by slot (as _new_entry hands it to feedgen)."""
    values = {"id": item.id, "title": item.title, "link": item.link}
    if fmt == "atom":
        values.update(summary=item.summary, updated=item.updated.isoformat(),
                      published=item.published.isoformat())
    else:
        values.update(summary=html.escape(item.summary, quote=False), published=rfc2822(item.published))
    if item.html:
        values["html"] = item.html
    if item.author:
        values["author"] = item.author
    for number, name in enumerate(item.categories):
        values[f"category{number}"] = name
    return values


def _template(fmt: str, with_html: bool, with_author: bool, categories: int) -> Template | None:
    shape = (fmt, with_html, with_author, categories)
    if shape not in _TEMPLATES:
        _TEMPLATES[shape] = _make_template(*shape)
    return _TEMPLATES[shape]


def kept_templates() -> dict[tuple, tuple | None]:
    """The entry templates made so far, by shape, as they are kept (None: feedgen for that shape)."""
    return {shape: template.parts if template is not None else None for shape, template in _TEMPLATES.items()}


def use_kept_templates(kept: object) -> None:
    """Entry templates `kept_templates` gave in a process of the same code and libraries (see
    kimsite.pages.feed_kept); a shape whose template is not as its probe's slots is left out."""
    if not isinstance(kept, dict):
        return
    for shape, parts in kept.items():
        if not (isinstance(shape, tuple) and len(shape) == 4 and shape[0] in ("rss", "atom")
                and isinstance(shape[1], bool) and isinstance(shape[2], bool) and type(shape[3]) is int
                and 0 <= shape[3] <= _MAX_CATEGORIES) or shape in _TEMPLATES:
            continue
        if parts is None:
            _TEMPLATES[shape] = None
            continue
        fmt, with_html, with_author, categories = shape
        slots = set(_values(_probe(with_html, with_author, categories, lambda slot: slot), fmt))
        template = template_from_parts(parts, slots)
        if template is not None:
            _TEMPLATES[shape] = template


def _probe(with_html: bool, with_author: bool, categories: int, text) -> FeedItem:
    return FeedItem(id=text("id"), title=text("title"), link=text("link"), summary=text("summary"),
                    html=text("html") if with_html else "", published=_PROBE_PUBLISHED, updated=_PROBE_UPDATED,
                    author=text("author") if with_author else None,
                    categories=tuple(text(f"category{n}") for n in range(categories)))


def _make_template(fmt: str, with_html: bool, with_author: bool, categories: int) -> Template | None:
    """The shape's template, from feedgen's bytes for a probe item whose text is tokens; None
    (feedgen for every such entry) unless it reproduces feedgen's bytes for awkward text."""
    probe = _probe(with_html, with_author, categories, lambda slot: f"kimsite0{slot}0token")
    sample = entry_bytes(_new_entry(probe), fmt, dc=with_author)
    template = make_template(sample, _values(probe, fmt))
    if template is None:
        return None
    check = replace(_probe(with_html, with_author, categories, lambda slot: slot + AWKWARD + slot),
                    published=AWKWARD_DATE,
                    updated=datetime(2025, 1, 1, 0, 0, 1, tzinfo=timezone.utc))
    expected = entry_bytes(_new_entry(check), fmt, dc=with_author)
    return template if template.fill(_values(check, fmt)) == expected else None


# feedgen entries for items without a template, per item and process: an item sits in a feed
# as RSS and as Atom, and the entry holds what both formats need.
_ENTRIES: dict[FeedItem, object] = {}
_ENTRIES_MAX = 4096


def feedgen_entry(item: FeedItem):
    entry = _ENTRIES.get(item)
    if entry is None:
        if len(_ENTRIES) >= _ENTRIES_MAX:
            _ENTRIES.pop(next(iter(_ENTRIES)))
        entry = _ENTRIES[item] = _new_entry(item)
    return entry


def _new_entry(item: FeedItem):
    from feedgen.entry import FeedEntry  # (before feedgen.ext: it loads lxml.etree, which they use)
    from feedgen.ext.dc import DcEntryExtension

    entry = FeedEntry()
    entry.guid(item.id, permalink=True)  # also the Atom id
    entry.title(item.title)
    entry.link(href=item.link)
    # Atom gets the plain summary; RSS readers treat <description> as HTML, so there it is
    # escaped (`description` also sets Atom's content: `content` replaces it, or it is reset).
    if item.summary:  # none at all rather than an empty <summary/>
        entry.summary(item.summary)
        entry.description(html.escape(item.summary, quote=False))
    if item.html:
        entry.content(item.html, type="html")
    else:
        # feedgen has no call that clears Atom content again; a summary-only entry needs none.
        entry._FeedEntry__atom_content = None
    entry.published(item.published)
    entry.updated(item.updated)
    if item.author:
        entry.author(name=item.author)
        entry.register_extension("dc", DcEntryExtension, atom=False, rss=True)
        entry.dc.dc_creator(item.author)
    if item.categories:
        # One call for all: feedgen rebuilds its RSS category list on every call.
        entry.category([{"term": name, "label": name} for name in item.categories])
    return entry
