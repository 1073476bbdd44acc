"""What planners hand to renderers besides the outputs themselves: the pictures the build
processed (ImageIndex, made by kimsite.media.images.plan_images), the share image of every
page (PreviewIndex, made by kimsite.media.previews.plan_previews) and every rendered document
made ready once (ReadyIndex of ReadyDocuments, made by kimsite.pages.ready). The build view
carries them (kimsite.outputs.contract.BuildView); renderers only read them."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from kimsite.model.model import Document


@dataclass(frozen=True, slots=True)
class ImageInfo:
    site: str
    rel: str  # path inside the KIM folder, e.g. media/sawah.jpg
    folder: str  # cache folder name: <hash>-<settings>
    width: int  # of the published picture (after orientation and capping)
    height: int
    widths: tuple[int, ...]  # variant widths, ascending
    fallback: str  # "jpg" or "png": the format of non-WebP variants
    og: tuple[int, int]  # size of og.jpg

    def variant(self, width: int, ext: str) -> str:
        """Path inside the KIM folder of one derived file (e.g. media/sawah.480.webp)."""
        return f"{_stem(self.rel)}.{width}.{ext}"

    @property
    def og_rel(self) -> str:
        return _stem(self.rel) + ".og.jpg"

    def generated(self) -> list[str]:
        """Paths inside the KIM folder of every file made from this picture, besides itself."""
        return [*(self.variant(w, ext) for w in self.widths for ext in ("webp", self.fallback)), self.og_rel]

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))


def _stem(rel: str) -> str:
    return posixpath.splitext(rel.rstrip(". "))[0]


@dataclass(frozen=True)
class ImageIndex:
    """The pictures of the built KIMs, processed or read from the cache."""

    pictures: dict[tuple[str, str], ImageInfo] = field(default_factory=dict)  # (KIM, rel) -> picture
    processed: int = 0  # made by this build
    cached: int = 0  # found in .kimsite/images

    def responsive(self, site: str, rel: str) -> ImageInfo | None:
        """The responsive set made from the picture `rel` of `site` (None for plain pictures)."""
        info = self.pictures.get((site, rel))
        return info if info is not None and info.widths else None


@dataclass(frozen=True, slots=True)
class Preview:
    image: str  # location of the share image
    width: int
    height: int
    alt: str
    doc: Document | None = None


class PreviewIndex:
    """The share image of each page, by location. A KIM's documents are recorded by `record_site`
    when a page of it first asks: a KIM whose plan the build reused may have no page rendered."""

    def __init__(self, records: dict[str, Preview], recorded: set[str],
                 record_site: Callable[[str], dict[str, Preview]]):
        self._records = records
        self._recorded = recorded
        self._record_site = record_site

    def get(self, location: str, site: str | None) -> Preview | None:
        if site is not None and site not in self._recorded:
            self._records.update(self._record_site(site))
            self._recorded.add(site)
        return self._records.get(location)

    def recorded_sites(self) -> frozenset[str]:
        """The KIMs whose documents' previews are recorded so far."""
        return frozenset(self._recorded)


NO_PREVIEWS = PreviewIndex({}, set(), lambda site: {})


@dataclass(frozen=True, slots=True)
class ReadyDocument:
    """A document as its renderers need it, made once per build however many pages and feeds
    show it: its bodies rewritten, and what the head of its own page is filled from (title,
    description, share preview: the Open Graph tags and JSON-LD)."""

    doc: Document
    title: str  # of its own page
    description: str  # of its own page
    body: str  # for its page: responsive pictures, tap-to-play videos, links resolved
    feed_body: str  # for feeds: absolute links, in-page anchors pointing at the permalink
    preview: Preview | None  # its share image: with the above, what its page's Open Graph tags and JSON-LD say


class ReadyIndex:
    """Ready documents by source, and the picture of each document shown in lists. `prepare`
    makes those the build's outputs will show before rendering in one process starts; one
    asked for later (as render workers ask, or whose digest changed) is made then and
    kept — at most `keep` of them when set, the least recently used going first (a workspace
    too large to hold every body must not hold every ready body either)."""

    def __init__(self, make: Callable[[Document], ReadyDocument],
                 find_picture: Callable[[Document], ImageInfo | None], keep: int | None = None):
        self._make = make
        self._find_picture = find_picture
        self._keep = keep
        self._records: dict[str, ReadyDocument] = {}
        self._pictures: dict[str, tuple[str, ImageInfo | None]] = {}

    def get(self, doc: Document) -> ReadyDocument:
        records = self._records
        ready = records.pop(doc.source, None) if self._keep else records.get(doc.source)
        if ready is None or ready.doc.digest != doc.digest:
            ready = self._make(doc)
        records[doc.source] = ready  # (again) the most recently used
        if self._keep and len(records) > self._keep:
            del records[next(iter(records))]
        return ready

    def picture(self, doc: Document) -> ImageInfo | None:
        """The picture that represents `doc` in lists and when shared (None: it has none)."""
        found = self._pictures.get(doc.source)
        if found is None or found[0] != doc.digest:
            found = self._pictures[doc.source] = (doc.digest, self._find_picture(doc))
        return found[1]

    def prepare(self, docs: Iterable[Document], listed: Iterable[Document] = ()) -> None:
        """Make `docs` ready, and find the pictures of `listed`."""
        for doc in docs:
            self.get(doc)
        for doc in listed:
            self.picture(doc)

    def made(self) -> int:
        """How many documents are ready so far (in this process)."""
        return len(self._records)


def _not_ready(doc: Document) -> Any:
    raise LookupError(f"{doc.source}: documents are made ready after planning")


NOT_READY = ReadyIndex(_not_ready, _not_ready)
