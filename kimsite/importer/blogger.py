"""Blogger / Blogspot exports (Setelan -> Kelola blog -> Cadangkan konten).

Two layouts exist: the classic one (Atom entries typed by a `kind#post` / `kind#page`
category, drafts marked by `app:draft`) and the current one (`blogger:type` POST/PAGE/COMMENT,
`blogger:status` LIVE/DRAFT/SCHEDULED/DELETED, `blogger:filename`). Both are read here.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from kimsite.importer.entries import Entry, Export
from kimsite.importer.names import clean_author, parse_iso, plausible
from kimsite.importer.xmlread import text_of

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM, "app": "http://purl.org/atom/app#", "app07": "http://www.w3.org/2007/app",
      "b": "http://schemas.google.com/blogger/2018"}
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
NOISE_KINDS = {"settings", "template", "layout"}
_ENTRY_ID = re.compile(r"^tag:blogger\.com,1999:blog-(\d+)\.(post|page)-(\d+)$")


def is_blogger(root: Element) -> bool:
    if root.tag != f"{{{ATOM}}}feed":
        return False
    generator = text_of(root, "a:generator", NS).lower()
    identity = text_of(root, "a:id", NS)
    return "blogger" in generator or identity.startswith("tag:blogger.com")


def read_blogger(root: Element) -> Export:
    blog_url = _link(root, "alternate")
    export = Export("blogger", text_of(root, "a:title", NS), blog_url, next_page=_link(root, "next"))
    for element in root.findall("a:entry", NS):
        kind, status = _kind_and_status(element)
        if kind in NOISE_KINDS or kind == "":
            continue
        if kind == "comment":
            export.skipped["comment"] += 1
            continue
        if kind not in ("post", "page"):
            export.skipped["other_type"] += 1
            continue
        if status == "deleted":
            export.skipped["trash"] += 1
            continue
        export.entries.append(_entry(element, kind, status, blog_url))
    return export


def _kind_and_status(element: Element) -> tuple[str, str]:
    kind = text_of(element, "b:type", NS).lower()
    status = text_of(element, "b:status", NS).lower()
    if not kind:
        for category in element.findall("a:category", NS):
            if category.get("scheme") == KIND_SCHEME:
                kind = category.get("term", "").rsplit("#", 1)[-1].lower()
    if not kind:  # a public Atom feed (feeds/posts/default) types entries by their id only
        found = _ENTRY_ID.match(text_of(element, "a:id", NS))
        kind = found.group(2) if found else ""
    if not status:
        draft = text_of(element, "app:control/app:draft", NS) or text_of(element, "app07:control/app07:draft", NS)
        status = "draft" if draft.lower() == "yes" else "live"
    return kind, status


def _entry(element: Element, kind: str, status: str, blog_url: str) -> Entry:
    published = plausible(parse_iso(text_of(element, "a:published", NS)))
    updated = plausible(parse_iso(text_of(element, "a:updated", NS)))
    labels = tuple(dict.fromkeys(
        " ".join(category.get("term", "").split()) for category in element.findall("a:category", NS)
        if category.get("scheme") != KIND_SCHEME and category.get("term", "").strip()))
    old_url = _link(element, "alternate")
    filename = text_of(element, "b:filename", NS)
    if not old_url and filename and blog_url and status == "live":
        old_url = blog_url.rstrip("/") + "/" + filename.lstrip("/")
    identity = old_url or _link(element, "self") or _link(element, "edit") or _api_url(text_of(element, "a:id", NS))
    content = element.find("a:content", NS)
    html = (content.text or "") if content is not None else ""
    if content is not None and content.get("type") == "text":
        html = _escape_text(html)
    author = element.find("a:author", NS)
    author_name = text_of(author, "a:name", NS) if author is not None else ""
    slug_hint = ""
    path = old_url or filename
    if path.endswith(".html"):
        slug_hint = path.rsplit("/", 1)[-1][: -len(".html")]
    return Entry(
        kind="page" if kind == "page" else "article", title=" ".join(text_of(element, "a:title", NS).split()),
        date=published, updated=updated if updated and published and updated > published else None,
        html=html, excerpt=text_of(element, "b:metaDescription", NS), categories=labels, tags=(),
        author=clean_author(author_name), old_url=old_url, identity=identity, slug_hint=slug_hint,
        draft=status not in ("live", "scheduled"))


def _api_url(entry_id: str) -> str:
    """The post's address in Blogger's API, from its id ("tag:blogger.com,1999:blog-1.post-2"):
    what recognises a draft, which has no public address, on a later import."""
    match = _ENTRY_ID.match(entry_id)
    if match is None:
        return entry_id
    blog, kind, number = match.groups()
    return f"https://www.blogger.com/feeds/{blog}/{kind}s/default/{number}"


def _link(element: Element, rel: str) -> str:
    for link in element.findall("a:link", NS):
        if link.get("rel") == rel and (rel != "alternate" or link.get("type", "text/html") == "text/html"):
            return (link.get("href") or "").strip()
    return ""


def _escape_text(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>")

