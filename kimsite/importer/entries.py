"""What every export reader produces: the posts and pages of one blog, and what it left out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """One post or page of the old blog, as the export describes it."""

    kind: str  # "article" or "page"
    title: str
    date: datetime | None  # in the offset the export gives; naive means the workspace timezone
    updated: datetime | None
    html: str  # the body as the old blog stored it
    excerpt: str  # plain or HTML excerpt, "" when none
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    author: str
    old_url: str  # public address on the old blog ("" when it never had one)
    identity: str  # what recognises the entry again on a later import: old_url, or the export's own id
    slug_hint: str  # the old blog's own slug, when it had one
    draft: bool
    source_id: str = ""  # the export's own number for the entry (WordPress post id)


@dataclass
class Attachments:
    """Pictures an export lists as attachments: by attachment id, and by the post they belong to."""

    by_id: dict[str, str] = field(default_factory=dict)
    by_parent: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Export:
    """A whole export: the blog's name and address, its entries, and what was skipped, by reason."""

    format: str  # "blogger", "wordpress" or "feed"
    title: str
    url: str
    entries: list[Entry] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason code -> count
    attachments: Attachments = field(default_factory=Attachments)
    next_page: str = ""  # a feed's next page of entries (Blogspot gives 500 at most per page)
