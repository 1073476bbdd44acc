"""Full-content RSS 2.0 and Atom feeds: for a blog whose owner can no longer log in.

Blogspot serves whole posts at `https://NAME.blogspot.com/feeds/posts/default?alt=rss&max-results=500`
(RSS) or without `alt=rss` (Atom); WordPress at `/feed/` (the last few posts only, unless the
owner raised "Syndication feeds show the most recent"). Labels, authors and dates come as the
feed gives them.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from kimsite.importer.blogger import ATOM
from kimsite.importer.entries import Entry, Export
from kimsite.importer.names import clean_author, parse_iso, parse_rfc822, plausible
from kimsite.importer.wordpress import CONTENT, DC
from kimsite.importer.xmlread import text_of

NS = {"a": ATOM, "content": CONTENT, "dc": DC}


def is_feed(root: Element) -> bool:
    return root.tag in ("rss", f"{{{ATOM}}}feed")


def read_feed(root: Element) -> Export:
    if root.tag == "rss":
        return _read_rss(root)
    return _read_atom(root)


def _read_rss(root: Element) -> Export:
    channel = root.find("channel")
    export = Export("feed", text_of(channel, "title"), text_of(channel, "link"))
    if channel is None:
        return export
    export.next_page = _next(channel)
    for item in channel.findall("item"):
        link = text_of(item, "link")
        html = text_of(item, "content:encoded", NS) or text_of(item, "description")
        author = text_of(item, "dc:creator", NS) or text_of(item, "author")
        export.entries.append(_article(
            title=text_of(item, "title"), date=plausible(parse_rfc822(text_of(item, "pubDate"))), updated=None,
            html=html, labels=tuple(" ".join((c.text or "").split()) for c in item.findall("category")),
            author=author, link=link, identity=link or text_of(item, "guid")))
    return export


def _read_atom(root: Element) -> Export:
    export = Export("feed", text_of(root, "a:title", NS), _alternate(root), next_page=_next(root))
    for entry in root.findall("a:entry", NS):
        link = _alternate(entry)
        content = entry.find("a:content", NS)
        html = (content.text or "") if content is not None else text_of(entry, "a:summary", NS)
        published = plausible(parse_iso(text_of(entry, "a:published", NS) or text_of(entry, "a:updated", NS)))
        updated = plausible(parse_iso(text_of(entry, "a:updated", NS)))
        export.entries.append(_article(
            title=text_of(entry, "a:title", NS), date=published,
            updated=updated if updated and published and updated > published else None, html=html,
            labels=tuple(" ".join(c.get("term", "").split()) for c in entry.findall("a:category", NS)
                         if "#kind" not in (c.get("scheme") or "")),
            author=text_of(entry, "a:author/a:name", NS), link=link, identity=link or text_of(entry, "a:id", NS)))
    return export


def _article(*, title: str, date, updated, html: str, labels: tuple[str, ...], author: str, link: str,
             identity: str) -> Entry:
    slug_hint = link.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html") if link else ""
    return Entry(kind="article", title=" ".join(title.split()), date=date, updated=updated, html=html, excerpt="",
                 categories=tuple(dict.fromkeys(label for label in labels if label)), tags=(),
                 author=clean_author(author), old_url=link if link.startswith(("http://", "https://")) else "",
                 identity=identity, slug_hint=slug_hint if "?" not in slug_hint else "", draft=False)


def _next(element: Element) -> str:
    for link in element.findall("a:link", NS):
        if link.get("rel") == "next":
            return (link.get("href") or "").strip()
    return ""


def _alternate(element: Element) -> str:
    for link in element.findall("a:link", NS):
        if link.get("rel", "alternate") == "alternate" and link.get("type", "text/html") == "text/html":
            return (link.get("href") or "").strip()
    return ""
