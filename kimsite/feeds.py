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


@dataclass(frozen=True, slots=True)
class FeedInfo:
    title: str
    description: str
    home: str  # absolute URL of the site the feed belongs to
    self_url: str  # absolute URL of the feed itself
    language: str


def absolutize(markup: str, origin: str) -> str:
    """Root-relative href/src ("/kim/...") become absolute ("https://host/kim/...")."""
    return _ROOT_RELATIVE.sub(lambda m: f'{m.group(1)}="{origin}/', markup)


def xml_safe(text: str) -> str:
    return _FORBIDDEN.sub("", text)


def build_feed(info: FeedInfo, items: list[FeedItem], fmt: str) -> bytes:
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
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
        entry = generator.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=True)
        entry.title(xml_safe(item.title))
        entry.link(href=item.link)
        if fmt == "atom":
            entry.summary(xml_safe(item.summary))
        else:
            # RSS readers treat <description> as HTML: the plain-text summary is escaped.
            entry.description(xml_safe(html.escape(item.summary, quote=False)))
        entry.content(xml_safe(item.html), type="html")
        entry.published(item.published)
        entry.updated(item.updated)
        if item.author:
            entry.author(name=xml_safe(item.author))
            if fmt == "rss":
                entry.dc.dc_creator(xml_safe(item.author))
        for name in item.categories:
            entry.category(term=xml_safe(name), label=xml_safe(name))
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)


def document_item(view: BuildView, doc: Document) -> FeedItem:
    """A local article as a feed entry (made once per process: it appears in several feeds)."""
    made = view.extra.setdefault("feed_items", {})
    item = made.get(doc.source)
    if item is None or item[0] != doc.digest:
        item = made[doc.source] = (doc.digest, _document_item(view, doc))
    return item[1]


def _document_item(view: BuildView, doc: Document) -> FeedItem:
    permalink = view.urls.absolute(view.location(doc))
    root = view.urls.url(view.urls.site_root(doc.site))
    body = links.resolve(view.bodies(doc.digest), root, view.md_urls.get(doc.site))
    origin = view.urls.base_url[: -len(view.urls.base_path)] if view.urls.base_path != "/" \
        else view.urls.base_url.rstrip("/")
    updated = doc.updated or doc.date
    return FeedItem(id=permalink, title=display_title(doc), link=permalink, summary=doc.summary,
                    html=absolutize(body, origin), published=doc.date, updated=updated,
                    author=doc.author, categories=((doc.category,) if doc.category else ()) + doc.tags)


def plan_site_feeds(view: BuildView, model, site_tok: str) -> list[Output]:
    from kimsite.kim_pages import file_token

    urls = view.urls
    length = view.config.feed_length
    outputs = []
    groups = [(None, model.articles)] + [(term.slug, term.articles) for term in model.categories]
    for category, docs in groups:
        top = docs[:length]
        # file_token: the URLs of linked sources and the files shown in the entries' HTML
        deps = (site_tok, tuple(d.digest for d in top), tuple(file_token(view, d) for d in top))
        for fmt in ("rss", "atom"):
            outputs.append(Output(urls.output_path(urls.feed(model.slug, fmt, category)), "kim_feed",
                                  model.slug, (fmt, category), deps, tuple(d.digest for d in top)))
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
    items = [document_item(view, doc) for doc in docs[: view.config.feed_length]]
    return build_feed(info, items, fmt)


__all__ = ["FeedInfo", "FeedItem", "build_feed", "document_item", "plan_site_feeds", "term_slug"]
