"""Turning downloaded feed bytes into clean `RemoteItem`s.

Parsing uses feedparser on the bytes `fetch_http` downloaded (given as a
stream: feedparser never opens a URL or a file by itself; given bytes, it
would try them as a file name first). Before parsing: documents declaring XML
entities (a DOCTYPE with <!ENTITY, the shape of the "billion laughs" and
external-entity attacks) are refused (feedparser itself also drops such
declarations and expat does not load external entities: both checked in the
tests), web pages (root element <html>) are refused, and a document
with more than MAX_PARSED entries is cut after that many entries so that a
feed of 100,000 items parses in bounded time (feeds list their newest items
first; the MAX_ITEMS newest of the parsed entries are kept).

Normalizing each entry:
- id: the entry's id/guid, else its link;
- title, summary, author, categories: plain text, control characters removed,
  blocks and line breaks turned into spaces; the summary is cut to SUMMARY_LENGTH
  characters at a word boundary; the author is a name (Blogger's
  "Navee (noreply@blogger.com)" is "Navee"; an address alone or "Unknown" is none);
- link: FeedBurner's feedburner:origLink, else the entry's link, absolute
  (against the feed's address), http(s) only; entries without one are dropped
  (the portal has nothing to link to);
- html: the entry's full content, else an HTML description (Blogspot's RSS
  carries the whole post there), sanitized with kimsite.parse.sanitize, with relative
  href/src/srcset made absolute against the entry's link ("" when the feed has
  only a plain-text summary);
- first_seen: the moment an earlier fetch first saw the entry (looked up by id,
  then by link_key), else the fetch time. It is stored with the item, so it is
  the same at every later fetch;
- published: the entry's published date, else its updated date, but never later
  than first_seen (an article cannot be published after it was seen; CLOCK_SKEW
  is allowed for the server's clock and then clamped to first_seen). No date, an
  unreadable one, one before EARLIEST, or one in the future beyond the skew:
  first_seen. So an undated or future-dated item keeps one date instead of
  climbing back to the top of the portal at every fetch;
  updated: the entry's updated date (a future one beyond the skew is ignored),
  never before published nor after the fetch time;
- duplicates dropped by id, then by link_key (the newest copy stays); newest
  first (ties by link), at most MAX_ITEMS kept;
- well_formed: False when the XML parser had to recover from a broken document
  (feedparser's `bozo` with an XML syntax error: a truncated download, a tag
  left open). Such a document may hold only some of the feed's entries;
  kimsite.commands.fetch decides whether it may replace the stored copy.
"""

from __future__ import annotations

import calendar
import html as htmllib
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import feedparser
import nh3

from kimsite.fetch.remote import RemoteItem, link_key
from kimsite.parse.sanitize import NestedTooDeep, nested_too_deep, sanitize_html

MAX_ITEMS = 200  # kept per feed
MAX_PARSED = 1000  # entries read from one document
SUMMARY_LENGTH = 300
TITLE_LENGTH = 300
ID_LENGTH = 1000
MAX_CATEGORIES = 10
CLOCK_SKEW = timedelta(minutes=15)  # a date this far ahead of the fetch time is the server's clock
EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)  # before this a date is a placeholder (epoch 0, year 1)

# C0/C1 controls (tab and newlines become spaces later), lone surrogates, bidi overrides,
# zero-width and non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e"
                      "\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]")
_HTML_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LOOKS_LIKE_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<!--")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
_ROOT = re.compile(rb"<(?![?!])([\w.:-]+)")
# A start tag as nh3 writes it: attribute values always in double quotes.
_TAG = re.compile(r'<[a-zA-Z][^\s/>]*(?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*\s*/?>')
_URL_ATTRIBUTE = re.compile(r'(\s)(href|src|srcset)="([^"]*)"', re.IGNORECASE)
_BLOCK_BOUNDARY = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|section|article|"
                             r"figure|figcaption|header|footer|dd|dt|hr)\b", re.IGNORECASE)
# Bounded: a hostile feed of unclosed links must not make the search quadratic.
_MORE_LINK = re.compile(r'<a\b[^>]{0,500}more-link[^>]{0,500}>[\s\S]{0,1000}?</a>', re.IGNORECASE)
_EXCERPT_MARK = re.compile(r"\[(?:…|\.\.\.|&hellip;|&#8230;)\]$")  # WordPress's "[…]" ending an excerpt
_EMAIL = re.compile(r"\(?\s*[^\s()<>@]+@[^\s()<>@]+\s*\)?")
# Names feeds give when the writer hid theirs (Blogger: "Unknown" with noreply@blogger.com).
_NO_AUTHOR = {"unknown", "anonymous", "admin", "noreply"}


class NotAFeed(Exception):
    """The bytes are no usable feed. `reason`: entities, not_a_feed, no_links (parse_timeout and
    parse_failed come from feed_isolate); `details` fill the message."""

    def __init__(self, reason: str, **details: object):
        super().__init__(reason, details)
        self.reason = reason
        self.details = details


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    link: str
    items: tuple[RemoteItem, ...]
    entries: int  # entries read from the document (after the MAX_PARSED cut)
    skipped: int  # entries dropped: no usable link, or duplicates
    truncated: bool  # the document had more than MAX_PARSED entries
    well_formed: bool = True  # False: the XML is broken and was read by the lenient parser
    xml_problem: str = ""  # what the XML parser found when well_formed is False (line: message)


def declares_entities(data: bytes) -> bool:
    """A DOCTYPE with entity declarations (NUL bytes removed, so UTF-16/32 is caught too)."""
    head = data.replace(b"\0", b"") if b"\0" in data[:4096] else data
    return bool(_DOCTYPE.search(head)) and bool(_ENTITY_DECLARATION.search(head))


def limit_entries(data: bytes, limit: int = MAX_PARSED) -> tuple[bytes, bool]:
    """Cut the document after its `limit`-th entry and close the root element again."""
    ends: list[int] = []
    for match in _ENTRY_END.finditer(data):
        ends.append(match.end())
        if len(ends) > limit:
            break
    if len(ends) <= limit:
        return data, False
    tail = b""
    root = _ROOT.search(data)
    if root:
        name = root.group(1)
        if name.rsplit(b":", 1)[-1].lower() == b"rss":
            tail = b"</channel>"
        tail += b"</" + name + b">"
    return data[:ends[limit - 1]] + tail, True


def clean_text(value: object, limit: int = 0) -> str:
    text = " ".join(_CONTROL.sub("", str(value or "")).split())
    text = _EXCERPT_MARK.sub("…", text)
    if limit and len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
        text = cut.rstrip(" ,.;:-") + "…"
    return text

_ANY_TAG_TEXT = re.compile(r"<[^<>]*>")  # bounded by the next "<": linear on any input

def html_to_text(markup: str, limit: int = 0) -> str:
    """Plain text of an HTML fragment (scripts and styles dropped with their content); blocks
    and line breaks become spaces ("…manfaat. Kegiatan…", not "…manfaat.Kegiatan…"), and a
    WordPress excerpt loses its "Continue reading" link and "[…]"."""
    markup = _BLOCK_BOUNDARY.sub(r" \g<0>", _HTML_CONTROL.sub("", markup))
    markup = _MORE_LINK.sub("", markup)
    if nested_too_deep(markup):  # the parser would take minutes; the text is all that is kept
        text = htmllib.unescape(_ANY_TAG_TEXT.sub(" ", markup))
    else:
        text = htmllib.unescape(nh3.clean(markup, tags=set(), attributes={}, strip_comments=True))
    return clean_text(text, limit)


def _detail_text(entry: dict, key: str, limit: int = 0) -> str:
    value = entry.get(key)
    if not value:
        return ""
    detail = entry.get(key + "_detail") or {}
    kind = str(detail.get("type", "text/plain"))
    if "html" in kind or _LOOKS_LIKE_TAG.search(str(value)):  # RSS titles often carry escaped HTML
        return html_to_text(str(value), limit)
    return clean_text(value, limit)


def http_url(value: object, base: str) -> str:
    """`value` made absolute against `base`; "" unless it is an http(s) URL with a host."""
    text = clean_text(value).replace(" ", "%20")
    if not text:
        return ""
    try:
        absolute = urljoin(base, text)
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return absolute


def _absolute_attribute(match: re.Match, base: str) -> str:
    space, name, value = match.group(1), match.group(2), htmllib.unescape(match.group(3))
    if name.lower() == "srcset":
        candidates = []
        for candidate in value.split(","):
            bits = candidate.split()
            if bits:
                bits[0] = urljoin(base, bits[0])
                candidates.append(" ".join(bits))
        resolved = ", ".join(candidates)
    else:
        stripped = value.strip()
        try:
            resolved = urljoin(base, stripped) if stripped else stripped
        except ValueError:
            resolved = stripped
    return f'{space}{name}="{htmllib.escape(resolved, quote=True)}"'


def absolutize(markup: str, base: str) -> str:
    """Relative href/src/srcset in sanitized HTML made absolute against `base`."""
    if not base:
        return markup
    return _TAG.sub(lambda tag: _URL_ATTRIBUTE.sub(lambda m: _absolute_attribute(m, base), tag.group(0)),
                    markup)


def clean_html(markup: str, base: str) -> str:
    """Sanitized HTML of a remote item ("" for markup nested deeper than any page is: the
    item keeps its title, link and text summary)."""
    try:
        safe = sanitize_html(_HTML_CONTROL.sub("", markup))
        # Sanitize again after rewriting: joining URLs cannot add a script, and this proves it.
        return sanitize_html(absolutize(safe, base)).strip()
    except NestedTooDeep:
        return ""


def _content_html(entry: dict, base: str) -> str:
    for content in entry.get("content") or ():
        value = str(content.get("value") or "")
        if not value.strip():
            continue
        kind = str(content.get("type", "text/html"))
        if "html" in kind:
            return clean_html(value, base)
        return "<p>" + htmllib.escape(clean_text(value)) + "</p>"
    # Blogspot's RSS (and many small CMSs) carry the whole post in <description> and no content.
    detail = entry.get("summary_detail") or {}
    value = str(entry.get("summary") or "")
    if value.strip() and ("html" in str(detail.get("type", "")) or _LOOKS_LIKE_TAG.search(value)):
        return clean_html(value, base)
    return ""


def _author(entry: dict) -> str:
    """The writer's name: "Navee", not "Navee (noreply@blogger.com)" nor an address alone."""
    detail = entry.get("author_detail") or {}
    written = str(entry.get("author") or "")[:1000]
    name = clean_text(detail.get("name"), 120) or clean_text(_EMAIL.sub(" ", written), 120)
    name = name.strip(" ()")
    return "" if name.lower() in _NO_AUTHOR or "@" in name else name


def _link(entry: dict, feed_url: str) -> str:
    """The article's own address: FeedBurner's origLink before its feedproxy redirect."""
    original = http_url(entry.get("feedburner_origlink"), feed_url)
    if original:
        return original
    link = http_url(entry.get("link"), feed_url)
    if not link:
        for candidate in entry.get("links") or ():
            if candidate.get("rel", "alternate") == "alternate":
                link = http_url(candidate.get("href"), feed_url)
                if link:
                    break
    return link


def _date(value) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(tuple(value)[:6] + (0, 0, 0)), timezone.utc)
    except (OverflowError, ValueError, TypeError, OSError):
        return None
    return moment if moment >= EARLIEST else None


def item_dates(published: datetime | None, updated: datetime | None, first_seen: datetime,
               now: datetime) -> tuple[datetime, datetime]:
    """(published, updated) of an item first seen at `first_seen`, fetched at `now` (see the module doc)."""
    written = published or updated
    if written is None or written > first_seen + CLOCK_SKEW:
        written = first_seen
    published = min(written, first_seen)
    if updated is None or updated > now + CLOCK_SKEW:
        updated = published
    return published, min(max(updated, published), now)


def _entry(entry: dict, feed_url: str, now: datetime, previous: dict[str, datetime]) -> RemoteItem | None:
    link = _link(entry, feed_url)
    if not link:
        return None
    item_id = clean_text(entry.get("id"))[:ID_LENGTH] or link
    first_seen = min(previous.get(item_id) or previous.get(link_key(link)) or now, now)
    # dict.get: feedparser's own lookup silently maps a missing updated date to the published one.
    published, updated = item_dates(_date(dict.get(entry, "published_parsed")),
                                    _date(dict.get(entry, "updated_parsed")), first_seen, now)
    title = _detail_text(entry, "title", TITLE_LENGTH)
    body = _content_html(entry, link)
    summary = _detail_text(entry, "summary", SUMMARY_LENGTH)
    if not summary and body:
        summary = html_to_text(body, SUMMARY_LENGTH)
    categories: list[str] = []
    for tag in entry.get("tags") or ():
        term = clean_text(tag.get("label") or tag.get("term"), 80)
        if term and term not in categories:
            categories.append(term)
    return RemoteItem(
        id=item_id, title=title or clean_text(link, TITLE_LENGTH), link=link, summary=summary, html=body,
        published=published, updated=updated, author=_author(entry),
        categories=tuple(categories[:MAX_CATEGORIES]), first_seen=first_seen,
    )


def _xml_problem(parsed: dict) -> str:
    """What made the document ill-formed, or "" when the strict XML parser read it. feedparser's
    notes about content types and declared encodings do not count: the XML itself is fine."""
    if not parsed.get("bozo"):
        return ""
    problem = parsed.get("bozo_exception")
    if isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe):
        return ""
    line = getattr(problem, "getLineNumber", lambda: None)()
    text = clean_text(getattr(problem, "getMessage", lambda: str(problem))(), 120) or type(problem).__name__
    return f"line {line}: {text}" if line else text


def parse_feed(data: bytes, feed_url: str, content_type: str, now: datetime,
               previous: dict[str, datetime] | None = None, max_items: int = MAX_ITEMS) -> ParsedFeed:
    """Clean items from feed bytes. `previous` maps the ids and link_keys of stored items to the
    moment each was first seen."""
    if declares_entities(data):
        raise NotAFeed("entities")
    root = _ROOT.search(data, 0, 65536)
    if root and root.group(1).rsplit(b":", 1)[-1].lower() in (b"html", b"head", b"body"):
        raise NotAFeed("not_a_feed")  # a web page: no need to run the (slow) lenient parser over it
    data, truncated = limit_entries(data)
    headers = {}  # no content-location: ids stay as written; links are made absolute here
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, resolve_relative_uris=False,
                              sanitize_html=False)
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        raise NotAFeed("not_a_feed")
    feed = parsed.get("feed") or {}
    previous = previous or {}
    items = [item for item in (_entry(entry, feed_url, now, previous) for entry in entries) if item]
    items.sort(key=lambda item: (item.published, item.link), reverse=True)
    kept: list[RemoteItem] = []
    ids: set[str] = set()
    links: set[str] = set()
    for item in items:
        key = link_key(item.link)
        if item.id in ids or key in links:
            continue
        ids.add(item.id)
        links.add(key)
        kept.append(item)
    if entries and not kept:
        raise NotAFeed("no_links")
    return ParsedFeed(
        title=_detail_text(feed, "title", TITLE_LENGTH), link=http_url(feed.get("link"), feed_url),
        items=tuple(kept[:max_items]), entries=len(entries), skipped=len(entries) - len(kept),
        truncated=truncated, well_formed=not _xml_problem(parsed), xml_problem=_xml_problem(parsed),
    )
