"""RSS 2.0 and Atom feeds with feedgen.

Every URL is absolute (inside the HTML too), GUIDs are permalinks, dates carry
their offset, and "last updated" comes from the newest entry, never the clock.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from kimsite import __version__, links
from kimsite.frontmatter import _FORBIDDEN
from kimsite.kinds import display_title
from kimsite.model import Document
from kimsite.outputs import BuildView, Output, renderer
from kimsite.urls import term_slug

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
_ROOT_RELATIVE = re.compile(r'\b(href|src)="/(?!/)')


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
            object.__setattr__(self, name, xml_safe(getattr(self, name)))
        if self.author:
            object.__setattr__(self, "author", xml_safe(self.author))
        object.__setattr__(self, "categories", tuple(xml_safe(name) for name in self.categories))


@dataclass(frozen=True, slots=True)
class FeedInfo:
    title: str
    description: str
    home: str  # absolute URL of the site the feed belongs to
    self_url: str  # absolute URL of the feed itself
    language: str


def absolutize(markup: str, origin: str) -> str:
    """Root-relative href/src ("/kim/...") become absolute ("https://host/kim/...")."""
    if '="/' not in markup:
        return markup
    return _ROOT_RELATIVE.sub(r'\1="' + origin.replace("\\", "\\\\") + "/", markup)


def xml_safe(text: str) -> str:
    return _FORBIDDEN.sub("", text)


def build_feed(info: FeedInfo, items: list[FeedItem], fmt: str) -> bytes:
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    if fmt == "rss" and any(item.author for item in items):
        generator.load_extension("dc", atom=False, rss=True)
    generator.id(info.self_url if fmt == "atom" else info.home)
    generator.title(xml_safe(info.title))
    # RSS keeps the last link given as the channel <link>: the site, not the feed.
    generator.link(href=info.self_url, rel="self")
    generator.link(href=info.home, rel="alternate")
    generator.description(xml_safe(html.escape(info.description or info.title, quote=False)))
    generator.language(info.language)
    generator.generator("kimsite", version=__version__)
    newest = max((item.updated for item in items), default=EPOCH)
    generator.lastBuildDate(newest)
    generator.updated(newest)
    for item in items:
        generator.add_entry(_entry(item), order="append")
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)


# One feedgen entry per item and process: an article sits in several feeds (its KIM's and its
# category's, as RSS and Atom), and the entry holds everything both formats need.
_ENTRIES: dict[FeedItem, object] = {}
_ENTRIES_MAX = 4096


def _entry(item: FeedItem):
    from feedgen.entry import FeedEntry
    from feedgen.ext.dc import DcEntryExtension

    entry = _ENTRIES.get(item)
    if entry is not None:
        return entry
    entry = FeedEntry()
    entry.id(item.id)
    entry.guid(item.id, permalink=True)
    entry.title(item.title)
    entry.link(href=item.link)
    # Atom gets the plain summary; RSS readers treat <description> as HTML, so there it is
    # escaped (`description` also sets Atom's content: `content` replaces it, or it is reset).
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
    for name in item.categories:
        entry.category(term=name, label=name)
    if len(_ENTRIES) >= _ENTRIES_MAX:
        _ENTRIES.pop(next(iter(_ENTRIES)))
    _ENTRIES[item] = entry
    return entry


def document_item(view: BuildView, doc: Document) -> FeedItem:
    """A local article as a feed entry (made once per process: it appears in several feeds)."""
    return _local_item(view, doc, with_body=True)


def summary_item(view: BuildView, doc: Document) -> FeedItem:
    """A local article as a feed entry without its body (title, summary, link, dates, terms)."""
    return _local_item(view, doc, with_body=False)


def _local_item(view: BuildView, doc: Document, with_body: bool) -> FeedItem:
    made = view.extra.setdefault("feed_items" if with_body else "feed_summaries", {})
    item = made.get(doc.source)
    if item is None or item[0] != doc.digest:
        permalink = view.urls.absolute(view.location(doc))
        item = made[doc.source] = (doc.digest, FeedItem(
            id=permalink, title=display_title(doc), link=permalink, summary=doc.summary,
            html=_absolute_body(view, doc) if with_body else "", published=doc.date,
            updated=doc.updated or doc.date, author=doc.author,
            categories=((doc.category,) if doc.category else ()) + doc.tags))
    return item[1]


def _absolute_body(view: BuildView, doc: Document) -> str:
    root = view.urls.url(view.urls.site_root(doc.site))
    body = links.resolve(view.bodies(doc.digest), root, view.md_urls.get(doc.site))
    origin = view.urls.base_url[: -len(view.urls.base_path)] if view.urls.base_path != "/" \
        else view.urls.base_url.rstrip("/")
    return absolutize(body, origin)


def plan_site_feeds(view: BuildView, model, site_tok: str) -> list[Output]:
    """The KIM's own feeds carry whole articles; its category feeds carry summaries (title,
    summary, link), so a reader following one topic on paid mobile data fetches a few KB."""
    from kimsite.kim_pages import file_token

    urls = view.urls
    length = view.config.feed_length
    outputs = []
    top = model.articles[:length]
    # file_token: the URLs of linked sources and the files shown in the entries' HTML
    deps = (site_tok, tuple(d.digest for d in top), tuple(file_token(view, d) for d in top))
    for fmt in ("rss", "atom"):
        outputs.append(Output(urls.output_path(urls.feed(model.slug, fmt)), "kim_feed", model.slug,
                              (fmt, None), deps, tuple(d.digest for d in top)))
    for term in model.categories:
        deps = (site_tok, tuple(d.digest for d in term.articles[:length]))
        for fmt in ("rss", "atom"):
            outputs.append(Output(urls.output_path(urls.feed(model.slug, fmt, term.slug)), "kim_feed",
                                  model.slug, (fmt, term.slug), deps))
    return outputs


@renderer("kim_feed")
def render_site_feed(view: BuildView, output: Output) -> bytes:
    model = view.sites[output.site]
    fmt, category = output.params
    urls = view.urls
    docs = model.articles
    title = model.config.name
    if category:
        term = next(t for t in model.categories if t.slug == category)
        docs = term.articles
        title = f"{model.config.name}: {term.name}"
        home = urls.absolute(urls.category(model.slug, category))
    else:
        home = urls.absolute(urls.home(model.slug))
    info = FeedInfo(title=title, description=model.config.description or model.config.name, home=home,
                    self_url=urls.absolute(urls.feed(model.slug, fmt, category)),
                    language=view.config.language)
    make = summary_item if category else document_item
    items = [make(view, doc) for doc in docs[: view.config.feed_length]]
    return build_feed(info, items, fmt)


__all__ = ["FeedInfo", "FeedItem", "build_feed", "document_item", "plan_site_feeds", "term_slug"]
