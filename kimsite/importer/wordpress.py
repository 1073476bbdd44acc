"""WordPress exports (Alat -> Ekspor): WXR 1.0, 1.1 and 1.2, an RSS 2.0 channel with `wp:` items."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from kimsite.importer.entries import Attachments, Entry, Export
from kimsite.importer.names import clean_author, in_offset, parse_rfc822, plausible
from kimsite.importer.xmlread import text_of

CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
_WXR = re.compile(r"^http://wordpress\.org/export/1\.[0-9]+/$")
_EXCERPT = re.compile(r"^http://wordpress\.org/export/1\.[0-9]+/excerpt/$")
_ZERO_DATE = "0000-00-00 00:00:00"

# wp:status -> how the entry is brought over (or the reason it is skipped)
_STATUS = {"publish": "published", "future": "published", "draft": "draft", "pending": "draft",
           "auto-draft": "skip:auto_draft", "private": "skip:private", "trash": "skip:trash",
           "inherit": "skip:revision"}


def wxr_namespace(root: Element) -> str:
    """The `wp:` namespace URI of a WXR document, or "" when `root` is not one."""
    if root.tag != "rss":
        return ""
    channel = root.find("channel")
    if channel is None:
        return ""
    for child in channel:
        if _WXR.match(_namespace(child)):
            return _namespace(child)
    for item in channel.iter("item"):
        for child in item:
            if _WXR.match(_namespace(child)):
                return _namespace(child)
    return ""


def _namespace(element: Element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag[:1] == "{" else ""


def read_wordpress(root: Element, wp: str) -> Export:
    channel = root.find("channel")
    assert channel is not None  # wxr_namespace() checked it
    ns = {"wp": wp, "content": CONTENT, "dc": DC}
    excerpt_ns = next((_namespace(child) for item in channel.iter("item") for child in item
                       if _EXCERPT.match(_namespace(child))), "")
    authors = {text_of(author, "wp:author_login", ns).lower(): text_of(author, "wp:author_display_name", ns)
               for author in channel.findall("wp:author", ns)}
    export = Export("wordpress", text_of(channel, "title"),
                    text_of(channel, "wp:base_blog_url", ns) or text_of(channel, "link"))
    for item in channel.findall("item"):
        post_type = text_of(item, "wp:post_type", ns) or "post"
        comments = item.findall("wp:comment", ns)
        for comment in comments:
            approved = text_of(comment, "wp:comment_approved", ns)
            export.skipped["spam" if approved == "spam" else "comment"] += 1
        if post_type == "attachment":
            export.skipped["attachment"] += 1
            _remember_attachment(item, ns, export.attachments)
            continue
        if post_type not in ("post", "page"):
            export.skipped["other_type"] += 1
            continue
        status = _STATUS.get(text_of(item, "wp:status", ns), "draft")
        if text_of(item, "wp:post_password", ns):
            status = "skip:password"
        if status.startswith("skip:"):
            export.skipped[status[5:]] += 1
            continue
        export.entries.append(_entry(item, post_type, status, ns, excerpt_ns, authors))
    return export


def _remember_attachment(item: Element, ns: dict[str, str], attachments: Attachments) -> None:
    url = text_of(item, "wp:attachment_url", ns) or text_of(item, "guid")
    if not url.startswith(("http://", "https://")):
        return
    attachments.by_id[text_of(item, "wp:post_id", ns)] = url
    parent = text_of(item, "wp:post_parent", ns)
    if parent and parent != "0":
        attachments.by_parent.setdefault(parent, []).append(url)


def _entry(item: Element, post_type: str, status: str, ns: dict[str, str], excerpt_ns: str,
           authors: dict[str, str]) -> Entry:
    date = _date(text_of(item, "wp:post_date", ns), text_of(item, "wp:post_date_gmt", ns)) \
        or plausible(parse_rfc822(text_of(item, "pubDate")))
    modified = _date(text_of(item, "wp:post_modified", ns), text_of(item, "wp:post_modified_gmt", ns))
    categories: list[str] = []
    tags: list[str] = []
    for category in item.findall("category"):
        name = " ".join((category.text or "").split())
        if not name:
            continue
        domain = category.get("domain", "category")
        if domain == "category":
            categories.append(name)
        elif domain == "post_tag":
            tags.append(name)
    login = text_of(item, "dc:creator", ns)
    link = text_of(item, "link")
    draft = status == "draft"
    old_url = link if not draft and link.startswith(("http://", "https://")) and "?" not in link else ""
    identity = old_url or link or text_of(item, "guid") or f"wp:{text_of(item, 'wp:post_id', ns)}"
    excerpt = text_of(item, f"{{{excerpt_ns}}}encoded") if excerpt_ns else ""
    return Entry(
        kind="page" if post_type == "page" else "article", title=" ".join(text_of(item, "title").split()),
        date=date, updated=modified if modified and date and modified > date else None,
        html=_raw_text(item.find("content:encoded", ns)), excerpt=excerpt,
        categories=tuple(dict.fromkeys(categories)), tags=tuple(dict.fromkeys(tags)),
        author=clean_author(authors.get(login.lower()) or login), old_url=old_url, identity=identity,
        slug_hint=unquote(text_of(item, "wp:post_name", ns)), draft=draft, source_id=text_of(item, "wp:post_id", ns))


def _date(local: str, gmt: str) -> datetime | None:
    """The post's local time with the offset the blog had then (post_date - post_date_gmt)."""
    try:
        moment = datetime.strptime(local.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    if not gmt or gmt.strip() == _ZERO_DATE:
        return plausible(moment)  # naive: the workspace timezone applies
    try:
        universal = datetime.strptime(gmt.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return plausible(moment)
    offset = moment - universal
    if abs(offset) > timedelta(hours=14) or offset % timedelta(minutes=15):
        return plausible(moment)
    return plausible(in_offset(universal.replace(tzinfo=timezone.utc), offset))


def _raw_text(element: Element | None) -> str:
    return (element.text or "") if element is not None else ""

