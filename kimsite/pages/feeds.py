"""RSS 2.0 and Atom feeds with feedgen.

Every URL is absolute (inside the HTML too), GUIDs are permalinks, dates carry
their offset, and "last updated" comes from the newest entry, never the clock.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from kimsite import __version__

from kimsite.pages import feed_xml

from kimsite.base import links
from kimsite.schema.frontmatter import _FORBIDDEN
from kimsite.schema.article_types import display_title
from kimsite.model.model import Document
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.base.urls import term_slug

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
    """The feed feedgen would write for `items`: the head feedgen makes for this feed, with the
    entries spliced in (kimsite.pages.feed_xml) instead of one lxml tree per feed."""
    head = _generator(info, items, fmt)
    data = head.atom_str(pretty=True) if fmt == "atom" else head.rss_str(pretty=True)
    if not items:
        return data
    spliced = feed_xml.splice(data, [_entry_bytes(item, fmt) for item in items], fmt)
    return spliced if spliced is not None else build_feed_tree(info, items, fmt)


def build_feed_tree(info: FeedInfo, items: list[FeedItem], fmt: str) -> bytes:
    """feedgen's own rendering: one tree for the whole feed. The reference build_feed must equal."""
    generator = _generator(info, items, fmt)
    for item in items:
        generator.add_entry(_entry(item), order="append")
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)


def _generator(info: FeedInfo, items: list[FeedItem], fmt: str):
    """A FeedGenerator with the feed's own fields and no entries."""
    from feedgen.ext.dc import DcEntryExtension, DcExtension
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    if fmt == "rss" and any(item.author for item in items):
        # What load_extension("dc", atom=False, rss=True) registers, without its failed import
        # of a "dc_entry" module (a file system search on every feed).
        generator.register_extension("dc", DcExtension, DcEntryExtension, atom=False, rss=True)
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
    return generator


# --- entries --------------------------------------------------------------------------------
# An entry is its shape's template (made from feedgen's bytes, see kimsite.pages.feed_xml) filled with
# the item's text. Items a template cannot stand for are serialized by feedgen one by one.

_TEMPLATES: dict[tuple[str, bool, bool, int], feed_xml.Template | None] = {}
_MAX_CATEGORIES = 64
# Probe dates: their formatted forms are unique in an entry, so they mark where dates go.
_PROBE_PUBLISHED = datetime(1901, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=1, minutes=2)))
_PROBE_UPDATED = datetime(1902, 3, 4, 5, 6, 7, tzinfo=timezone(-timedelta(hours=3, minutes=4)))
_AWKWARD = " Tanda & <b class=\"x\">'kutip'</b> > ]]> &amp;\r\n\tbaris é İ 🎉 \u200b"


def _entry_bytes(item: FeedItem, fmt: str) -> bytes:
    template = _template(fmt, bool(item.html), bool(item.author), len(item.categories)) \
        if _regular(item) else None
    if template is not None:
        return template.fill(_values(item, fmt))
    return feed_xml.entry_bytes(_entry(item), fmt, dc=bool(item.author))


def _regular(item: FeedItem) -> bool:
    """Whether the item's entry has its shape's elements: feedgen leaves out or empties elements
    whose text is empty, and refuses dates without an offset; such items go through feedgen."""
    return bool(item.id and item.title and item.link and item.summary and all(item.categories)
                and len(item.categories) <= _MAX_CATEGORIES
                and isinstance(item.published, datetime) and item.published.tzinfo is not None
                and isinstance(item.updated, datetime) and item.updated.tzinfo is not None)


def _values(item: FeedItem, fmt: str) -> dict[str, str]:
    """The text feedgen writes for the item, by slot (as _new_entry hands it to feedgen)."""
    from feedgen.util import formatRFC2822

    values = {"id": item.id, "title": item.title, "link": item.link}
    if fmt == "atom":
        values.update(summary=item.summary, updated=item.updated.isoformat(),
                      published=item.published.isoformat())
    else:
        values.update(summary=html.escape(item.summary, quote=False), published=formatRFC2822(item.published))
    if item.html:
        values["html"] = item.html
    if item.author:
        values["author"] = item.author
    for number, name in enumerate(item.categories):
        values[f"category{number}"] = name
    return values


def _template(fmt: str, with_html: bool, with_author: bool, categories: int) -> feed_xml.Template | None:
    shape = (fmt, with_html, with_author, categories)
    if shape not in _TEMPLATES:
        _TEMPLATES[shape] = _make_template(*shape)
    return _TEMPLATES[shape]


def _probe(with_html: bool, with_author: bool, categories: int, text) -> FeedItem:
    return FeedItem(id=text("id"), title=text("title"), link=text("link"), summary=text("summary"),
                    html=text("html") if with_html else "", published=_PROBE_PUBLISHED, updated=_PROBE_UPDATED,
                    author=text("author") if with_author else None,
                    categories=tuple(text(f"category{n}") for n in range(categories)))


def _make_template(fmt: str, with_html: bool, with_author: bool, categories: int) -> feed_xml.Template | None:
    """The shape's template, from feedgen's bytes for a probe item whose text is tokens; None
    (feedgen for every such entry) unless it reproduces feedgen's bytes for awkward text."""
    probe = _probe(with_html, with_author, categories, lambda slot: f"kimsite0{slot}0token")
    sample = feed_xml.entry_bytes(_new_entry(probe), fmt, dc=with_author)
    template = feed_xml.make_template(sample, _values(probe, fmt))
    if template is None:
        return None
    check = replace(_probe(with_html, with_author, categories, lambda slot: slot + _AWKWARD + slot),
                    published=datetime(2024, 12, 31, 23, 59, 58, 123456, tzinfo=timezone(timedelta(hours=7))),
                    updated=datetime(2025, 1, 1, 0, 0, 1, tzinfo=timezone.utc))
    expected = feed_xml.entry_bytes(_new_entry(check), fmt, dc=with_author)
    return template if template.fill(_values(check, fmt)) == expected else None


# feedgen entries for items without a template, per item and process: an item sits in a feed
# as RSS and as Atom, and the entry holds what both formats need.
_ENTRIES: dict[FeedItem, object] = {}
_ENTRIES_MAX = 4096


def _entry(item: FeedItem):
    entry = _ENTRIES.get(item)
    if entry is None:
        if len(_ENTRIES) >= _ENTRIES_MAX:
            _ENTRIES.pop(next(iter(_ENTRIES)))
        entry = _ENTRIES[item] = _new_entry(item)
    return entry


def _new_entry(item: FeedItem):
    from feedgen.entry import FeedEntry
    from feedgen.ext.dc import DcEntryExtension

    entry = FeedEntry()
    entry.guid(item.id, permalink=True)  # also the Atom id
    entry.title(item.title)
    entry.link(href=item.link)
    # Atom gets the plain summary; RSS readers treat <description> as HTML, so there it is
    # escaped (`description` also sets Atom's content: `content` replaces it, or it is reset).
    if item.summary:  # none at all rather than an empty <summary/>
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
    if item.categories:
        # One call for all: feedgen rebuilds its RSS category list on every call.
        entry.category([{"term": name, "label": name} for name in item.categories])
    return entry


def document_item(view: BuildView, doc: Document) -> FeedItem:
    """A local article as a feed entry (made once per process: it appears in several feeds)."""
    return _local_item(view, doc, with_body=True)


def summary_item(view: BuildView, doc: Document) -> FeedItem:
    """A local article as a feed entry without its body (title, summary, link, dates, terms)."""
    return _local_item(view, doc, with_body=False)


def _local_item(view: BuildView, doc: Document, with_body: bool) -> FeedItem:
    made = view.memo.feed_items if with_body else view.memo.feed_summaries
    item = made.get(doc.source)
    if item is None or item[0] != doc.digest:
        permalink = view.urls.absolute(view.location(doc))
        item = made[doc.source] = (doc.digest, FeedItem(
            id=permalink, title=display_title(doc), link=permalink, summary=doc.summary,
            html=_absolute_body(view, doc, permalink) if with_body else "", published=doc.date,
            updated=doc.updated or doc.date, author=doc.author or _site_name(view, doc),
            categories=((doc.category,) if doc.category else ()) + doc.tags))
    return item[1]


def _site_name(view: BuildView, doc: Document) -> str | None:
    """Who wrote an article that names no author: its KIM (Atom requires an author per entry)."""
    site = view.site_configs.get(doc.site)
    return site.name if site is not None else None


def _absolute_body(view: BuildView, doc: Document, permalink: str) -> str:
    root = view.urls.url(view.urls.site_root(doc.site))
    body = links.resolve(view.bodies(doc.digest), root, view.md_urls.get(doc.site))
    origin = view.urls.base_url[: -len(view.urls.base_path)] if view.urls.base_path != "/" \
        else view.urls.base_url.rstrip("/")
    # Footnote and heading links ("#fn-1") point into the article, not into the feed reader.
    if 'href="#' in body:
        body = body.replace('href="#', 'href="' + html.escape(permalink, quote=True) + "#")
    return absolutize(body, origin)


def plan_site_feeds(view: BuildView, model, site_tok: str) -> list[Output]:
    """The KIM's own feeds carry whole articles; its category feeds carry summaries (title,
    summary, link), so a reader following one topic on paid mobile data fetches a few KB."""
    from kimsite.pages.layout import file_token

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
