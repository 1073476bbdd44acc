"""The data kimsite builds from: frozen, typed records related by key.

A `Document` is one parsed Markdown source (an article or a static page); its
HTML body is kept apart (see kimsite.bodies) under `digest`, so the model of a
large workspace stays small. `SiteModel` holds a KIM's published documents in
the orders its pages need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from kimsite.workspace.config import SiteConfig
from kimsite.base.links import LinkRef
from kimsite.schema.article_types import SECTIONS


@dataclass(frozen=True, slots=True)
class SourceFile:
    site: str  # KIM slug
    path: str  # workspace-relative POSIX path: content/<site>/2021-12-22-x.md
    rel: str  # path inside the KIM's content folder: 2021-12-22-x.md, halaman/profil.md
    file_role: str  # "article" or "page" (a static page, under halaman/)


class Document(NamedTuple):
    """A tuple with names, not a dataclass: an edit build unpickles every document of the
    workspace from the cache's records, and a tuple is made in one step (10,000 documents took
    36 ms as a frozen dataclass, 18 ms as this). Immutable all the same; `_replace` makes a
    changed copy."""

    file_role: str  # "article" or "page" (a static page, under halaman/)
    site: str
    source: str
    rel: str
    slug: str
    title: str
    date: datetime | None  # aware, in the workspace timezone; pages may have none
    updated: datetime | None
    summary: str  # as written, or derived from the first paragraph
    summary_given: bool
    category: str | None
    tags: tuple[str, ...]
    author: str | None
    image: str | None
    image_alt: str | None
    draft: bool
    type: str  # berita, klarifikasi, agenda, produk (articles); "halaman" for pages
    fields: tuple[tuple[str, Any], ...]  # type-specific, validated (see kimsite.schema.article_types)
    menu_order: int
    in_menu: bool
    refs: tuple[LinkRef, ...]
    digest: str  # identifies the body HTML (hash of the source bytes and parse settings)
    words: int
    lines: tuple[tuple[str, int], ...]  # front-matter key -> line, for later messages
    aliases: tuple[str, ...] = ()  # old addresses (front matter `aliases:`), see kimsite.schema.aliases
    image_caption: str | None = None  # shown under the main image with its credit
    image_credit: str | None = None

    # Pickling: by a function of this module, the one the cache allows (see
    # kimsite.workspace.cache._SAFE_GLOBALS), which also reads the records of earlier versions.
    def __reduce__(self) -> tuple:
        return (_document_from_state, (tuple(self),))

    def field(self, name: str, default: Any = None) -> Any:
        for key, value in self.fields:
            if key == name:
                return value
        return default

    def line(self, name: str) -> int | None:
        for key, value in self.lines:
            if key == name:
                return value
        return None

    @property
    def sort_key(self) -> tuple:
        """Newest first, the source path breaking ties (deterministic order)."""
        stamp = self.date.timestamp() if self.date else 0.0
        return (-stamp, self.source)


_DOCUMENT_FIELDS = Document._fields


def _document_from_state(state: tuple, new: Any = tuple.__new__, count: int = len(_DOCUMENT_FIELDS)) -> Document:
    """A document from its values in field order (a stored one: checked for their number)."""
    if type(state) is not tuple or len(state) != count:
        raise ValueError("a stored document does not have the fields of Document")
    return new(Document, state)


# Sources written from one template (an editor's form, an import, a copied article) have the
# same front matter, hence equal `lines`. Made one object at parsing, the table is stored once
# per KIM in the cache's records, not once per document: at 10,000 articles an edit build then
# unpickles 60,000 fewer pairs. Emptied when full, so that `serve` never holds more than this.
_SHARED_LINES_MAX = 4096
_shared_lines: dict[tuple, tuple] = {}


def shared_lines(lines: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    """`lines` as the one object of its value (see above)."""
    found = _shared_lines.get(lines)
    if found is None:
        if len(_shared_lines) >= _SHARED_LINES_MAX:
            _shared_lines.clear()
        found = _shared_lines[lines] = lines
    return found


@dataclass(frozen=True, slots=True)
class Term:
    """A category or tag of one KIM: its display name, slug and articles (newest first)."""

    name: str
    slug: str
    articles: tuple[Document, ...]

    # Pickling (a KIM's record holds about 40 terms): rebuilt by the class itself, not by the
    # dataclass's __setstate__, which looks up the fields of the class for every object.
    def __reduce__(self) -> tuple:
        return (Term, (self.name, self.slug, self.articles))


@dataclass(slots=True)
class SiteModel:
    config: SiteConfig
    articles: tuple[Document, ...] = ()  # published, newest first
    pages: tuple[Document, ...] = ()  # static pages in menu order
    categories: tuple[Term, ...] = ()
    tags: tuple[Term, ...] = ()
    years: tuple[tuple[int, tuple[Document, ...]], ...] = ()  # newest year first
    media: tuple[str, ...] = ()  # files under media/, relative to the KIM folder
    neighbours: dict[str, tuple[Document | None, Document | None]] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.config.slug

    def section_types(self) -> tuple[str, ...]:
        """The article types with their own section (article_types.SECTIONS) this KIM publishes."""
        present = {doc.type for doc in self.articles}
        return tuple(kind for kind, _folder, _key in SECTIONS if kind in present)
