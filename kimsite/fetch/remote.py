"""What `kimsite fetch` stores about remote feeds, and how `kimsite build` reads it back.

Each remote feed is one JSON file in the workspace folder `feeds/` (so CI can
cache or commit it): `feeds/<site-slug>.json` for a remote KIM's site file, and
`feeds/url-<hash>.json` for a feed URL named in a portal's `members`. Items are
stored already cleaned: HTML sanitized with kimsite.parse.sanitize, links absolute,
duplicates dropped, dates present and never later than the moment the item was
first seen (`first_seen`, kept from fetch to fetch). Building never touches the
network; it only reads these files, and checks them first: they may be edited by
hand or restored from a CI cache, so an item that is not what `fetch` writes
(wrong types, dates without an offset) is dropped; links and HTML are checked
again where they are published (kimsite.portal).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

FOLDER = "feeds"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class RemoteItem:
    id: str  # the feed's id/guid, else the link
    title: str
    link: str  # absolute URL of the article on the remote site
    summary: str  # plain text
    html: str  # sanitized HTML with absolute URLs ("" when the feed has only a summary)
    published: datetime  # aware
    updated: datetime  # aware
    author: str = ""
    categories: tuple[str, ...] = ()
    first_seen: datetime | None = None  # the first fetch that saw it (None in files of older versions)

    @property
    def seen(self) -> datetime:
        """When the item was first seen; for files written before first_seen was stored, its date."""
        return self.first_seen or self.published


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    url: str  # the feed URL as configured
    title: str = ""
    link: str = ""  # the remote site's home page
    items: tuple[RemoteItem, ...] = ()
    fetched_at: datetime | None = None  # last successful fetch
    etag: str = ""
    last_modified: str = ""
    final_url: str = ""  # after permanent redirects
    status: str = "ok"  # ok, not-modified, failed, gone, moved
    message: str = ""  # last problem, for reports
    checked_at: datetime | None = None  # last attempt, successful or not
    extra: dict = field(default_factory=dict)


def file_for(root: Path, key: str) -> Path:
    """`key` is a site slug, or a feed URL (portal members)."""
    if "://" in key:
        key = "url-" + hashlib.sha256(key.encode()).hexdigest()[:16]
    return root / FOLDER / f"{key}.json"


def _encode(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


_FEED_FIELDS = tuple(f.name for f in fields(RemoteFeed) if f.name != "items")
_ITEM_FIELDS = tuple(f.name for f in fields(RemoteItem))


def _data(feed: RemoteFeed) -> dict:
    """The feed as JSON-ready values: what dataclasses.asdict gives, without its deep copies (a
    national fetch stores thousands of feeds, and a 304 stores the whole feed again)."""
    items = []
    for item in feed.items:
        data = {name: getattr(item, name) for name in _ITEM_FIELDS}
        if data["first_seen"] is None:  # as files written before first_seen existed
            del data["first_seen"]
        items.append(data)
    return {"format": FORMAT_VERSION, **{name: getattr(feed, name) for name in _FEED_FIELDS}, "items": items}


def save(root: Path, key: str, feed: RemoteFeed) -> Path:
    """Write atomically (temporary file + rename): a killed fetch keeps the last good copy."""
    path = file_for(root, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_data(feed), default=_encode, ensure_ascii=False, indent=1, sort_keys=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def _aware(value: object) -> datetime:
    """A stored date: ISO 8601 text with an offset (a naive one would break every comparison)."""
    if not isinstance(value, str):
        raise TypeError("date")
    moment = datetime.fromisoformat(value)
    if moment.utcoffset() is None:
        raise ValueError("date without an offset")
    if not 1 < moment.year < 9999:  # converting it to another time zone could overflow
        raise ValueError("date out of range")
    return moment


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("text")
    return value


def _item(data: object) -> RemoteItem | None:
    """One stored item, or None when it is not what `fetch` writes."""
    if not isinstance(data, dict):
        return None
    try:
        categories = data.get("categories", [])
        if not isinstance(categories, list):
            raise TypeError("categories")
        item = RemoteItem(
            id=_text(data["id"]), title=_text(data["title"]), link=_text(data["link"]),
            summary=_text(data.get("summary", "")), html=_text(data.get("html", "")),
            published=_aware(data["published"]), updated=_aware(data["updated"]),
            author=_text(data.get("author", "")), categories=tuple(_text(term) for term in categories),
            first_seen=_aware(data["first_seen"]) if data.get("first_seen") is not None else None,
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    return item


def load(root: Path, key: str) -> RemoteFeed | None:
    """The stored feed, or None when never fetched or unreadable. Items that fail the checks are dropped."""
    path = file_for(root, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        return None
    try:
        stored_items = data.get("items", [])
        if not isinstance(stored_items, list):
            raise TypeError("items")
        items = tuple(item for item in map(_item, stored_items) if item is not None)
        extra = data.get("extra", {})
        return RemoteFeed(
            url=_text(data["url"]), title=_text(data.get("title", "")), link=_text(data.get("link", "")),
            items=items,
            fetched_at=_aware(data["fetched_at"]) if data.get("fetched_at") else None,
            etag=_text(data.get("etag", "")), last_modified=_text(data.get("last_modified", "")),
            final_url=_text(data.get("final_url", "")), status=_text(data.get("status", "ok")),
            message=_text(data.get("message", "")),
            checked_at=_aware(data["checked_at"]) if data.get("checked_at") else None,
            extra=extra if isinstance(extra, dict) else {},
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


# Query parameters that only say where a reader came from (or ask Blogspot for its mobile
# layout): two links differing only in these lead to the same article.
_TRACKING = ("fbclid", "gclid", "mc_cid", "mc_eid")


def _is_tracking(name: str, value: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in _TRACKING or (name == "m" and value in ("0", "1"))


def link_key(link: str) -> str:
    """The form of an article link under which copies of one article compare equal: http and https
    alike, host in lower case without `www.` and the default port, no fragment, no trailing slash,
    percent-encoding normalised, tracking parameters dropped and the others sorted. "" for a link
    that is not http(s)."""
    try:
        parts = urlsplit(link.strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~").rstrip("/")
    query = sorted((name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
                   if not _is_tracking(name, value))
    return f"//{host}{path}" + (f"?{urlencode(query)}" if query else "")


def global_id(item_id: str) -> str:
    """The id when it names one article everywhere (a tag:, urn: or http(s) URI); "" for ids such
    as "post-3" or "17" that are only unique within their own feed."""
    scheme, colon, rest = item_id.strip().partition(":")
    scheme = scheme.lower()
    if not colon or not rest.strip():
        return ""
    if scheme in ("http", "https"):
        return link_key(item_id)  # an id that is a link compares as a link
    return item_id.strip() if scheme in ("tag", "urn") else ""
