"""What `kimsite fetch` stores about remote feeds, and how `kimsite build` reads it back.

Each remote feed is one JSON file in the workspace folder `feeds/` (so CI can
cache or commit it): `feeds/<site-slug>.json` for a remote KIM's site file, and
`feeds/url-<hash>.json` for a feed URL named in a portal's `members`. Items are
stored already cleaned: HTML sanitized with kimsite.sanitize, links absolute,
duplicates dropped, dates present (missing ones filled, future ones clamped).
Building never touches the network; it only reads these files.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

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


def save(root: Path, key: str, feed: RemoteFeed) -> Path:
    """Write atomically (temporary file + rename): a killed fetch keeps the last good copy."""
    path = file_for(root, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT_VERSION, **asdict(feed)}
    text = json.dumps(data, default=_encode, ensure_ascii=False, indent=1, sort_keys=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def load(root: Path, key: str) -> RemoteFeed | None:
    """The stored feed, or None when never fetched or unreadable."""
    path = file_for(root, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        return None
    try:
        items = tuple(
            RemoteItem(
                id=str(item["id"]), title=str(item["title"]), link=str(item["link"]),
                summary=str(item.get("summary", "")), html=str(item.get("html", "")),
                published=datetime.fromisoformat(item["published"]),
                updated=datetime.fromisoformat(item["updated"]),
                author=str(item.get("author", "")), categories=tuple(item.get("categories", ())),
            )
            for item in data.get("items", [])
        )
        return RemoteFeed(
            url=str(data["url"]), title=str(data.get("title", "")), link=str(data.get("link", "")),
            items=items,
            fetched_at=datetime.fromisoformat(data["fetched_at"]) if data.get("fetched_at") else None,
            etag=str(data.get("etag", "")), last_modified=str(data.get("last_modified", "")),
            final_url=str(data.get("final_url", "")), status=str(data.get("status", "ok")),
            message=str(data.get("message", "")),
            checked_at=datetime.fromisoformat(data["checked_at"]) if data.get("checked_at") else None,
            extra=dict(data.get("extra", {})),
        )
    except (KeyError, TypeError, ValueError):
        return None
