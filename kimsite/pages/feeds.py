"""RSS 2.0 and Atom feeds with feedgen.

Every URL is absolute (inside the HTML too), GUIDs are permalinks, dates carry
their offset, and "last updated" comes from the newest entry, never the clock.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from kimsite import __version__

from kimsite.pages import feed_xml
from kimsite.pages.feed_xml import FeedItem

from kimsite.schema.frontmatter import strip_control_chars
from kimsite.schema.article_types import display_title
from kimsite.model.model import Document
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.outputs.tokens import file_token
from kimsite.base.urls import term_slug

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
_ROOT_RELATIVE = re.compile(r'\b(href|src)="/(?!/)')


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
    return strip_control_chars(text)


def build_feed(info: FeedInfo, items: list[FeedItem], fmt: str) -> bytes:
    """The feed feedgen would write for `items`: the head feedgen makes for this feed, with the
    entries spliced in (kimsite.pages.feed_xml) instead of one lxml tree per feed."""
    newest, dc = _newest(items), _with_dc(items, fmt)
    data = _head(info, newest, fmt, dc)
    if not items:
        return data
    spliced = feed_xml.splice(data, [feed_xml.item_bytes(item, fmt) for item in items], fmt)
    return spliced if spliced is not None else build_feed_tree(info, items, fmt)


def build_feed_tree(info: FeedInfo, items: list[FeedItem], fmt: str) -> bytes:
    """feedgen's own rendering: one tree for the whole feed. The reference build_feed must equal."""
    generator = _generator(info, _newest(items), fmt, _with_dc(items, fmt))
    for item in items:
        generator.add_entry(feed_xml.feedgen_entry(item), order="append")
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)


def _newest(items: list[FeedItem]) -> datetime:
    return max((item.updated for item in items), default=EPOCH)


def _with_dc(items: list[FeedItem], fmt: str) -> bool:
    """Whether the RSS root declares Dublin Core (an entry names its author with dc:creator)."""
    return fmt == "rss" and any(item.author for item in items)


# --- the feed's head --------------------------------------------------------------------------
# As for entries (kimsite.pages.feed_xml): feedgen's bytes for a head whose text is tokens make
# a template per format (and Dublin Core or not); a head is its template filled with the feed's
# text. A KIM has two feeds per category, so a build writes thousands of heads.

_HEADS: dict[tuple[str, bool], feed_xml.Template | None] = {}
_UNCLEANED = ("home", "self_url", "language")  # the fields _head_values hands on as they are
_PROBE_NEWEST = datetime(1903, 4, 5, 6, 7, 8, tzinfo=timezone(timedelta(hours=5, minutes=6)))


def _head(info: FeedInfo, newest: datetime, fmt: str, dc: bool) -> bytes:
    """The feed without entries, as feedgen writes it."""
    key = (fmt, dc)
    if key not in _HEADS:
        _HEADS[key] = _make_head_template(fmt, dc)
    template = _HEADS[key]
    if template is not None and newest.tzinfo is not None:
        values = _head_values(info, newest, fmt)
        # feedgen leaves out or refuses empty fields, and lxml refuses characters XML forbids
        # (the title and description are already without them): feedgen writes (or refuses) those
        if all(values.values()) and all(xml_safe(values[slot]) == values[slot] for slot in _UNCLEANED):
            return template.fill(values)
    return _feedgen_head(info, newest, fmt, dc)


def _feedgen_head(info: FeedInfo, newest: datetime, fmt: str, dc: bool) -> bytes:
    generator = _generator(info, newest, fmt, dc)
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)


def _head_values(info: FeedInfo, newest: datetime, fmt: str) -> dict[str, str]:
    """The text feedgen writes for the feed's own fields, by slot (as _generator hands it on)."""
    return {"title": xml_safe(info.title), "home": info.home, "self_url": info.self_url,
            "description": xml_safe(html.escape(info.description or info.title, quote=False)),
            "language": info.language,
            "newest": newest.isoformat() if fmt == "atom" else feed_xml.rfc2822(newest)}


def kept_heads() -> dict[tuple[str, bool], tuple | None]:
    """The head templates made so far, as they are kept (see feed_xml.kept_templates)."""
    return {key: template.parts if template is not None else None for key, template in _HEADS.items()}


def use_kept_heads(kept: object) -> None:
    """Head templates `kept_heads` gave in a process of the same code and libraries."""
    if not isinstance(kept, dict):
        return
    slots = set(_head_values(_probe_info(lambda slot: slot), _PROBE_NEWEST, "rss"))
    for key, parts in kept.items():
        if not (isinstance(key, tuple) and len(key) == 2 and key[0] in ("rss", "atom")
                and isinstance(key[1], bool)) or key in _HEADS:
            continue
        template = feed_xml.template_from_parts(parts, slots) if parts is not None else None
        if template is not None or parts is None:
            _HEADS[key] = template


def _probe_info(text) -> FeedInfo:
    return FeedInfo(title=text("title"), description=text("description"), home=text("home"),
                    self_url=text("self_url"), language=text("language"))


def _make_head_template(fmt: str, dc: bool) -> feed_xml.Template | None:
    """The head's template, from feedgen's bytes for a head whose text is tokens; None (feedgen
    for every head) unless it reproduces feedgen's bytes for awkward text."""
    tokens = _probe_info(lambda slot: f"kimsite0{slot}0token")
    template = feed_xml.make_template(_feedgen_head(tokens, _PROBE_NEWEST, fmt, dc),
                                      _head_values(tokens, _PROBE_NEWEST, fmt))
    if template is None:
        return None
    awkward = _probe_info(lambda slot: slot + feed_xml.AWKWARD + slot)
    expected = _feedgen_head(awkward, feed_xml.AWKWARD_DATE, fmt, dc)
    return template if template.fill(_head_values(awkward, feed_xml.AWKWARD_DATE, fmt)) == expected else None


def _generator(info: FeedInfo, newest: datetime, fmt: str, dc: bool):
    """A FeedGenerator with the feed's own fields and no entries."""
    from feedgen.feed import FeedGenerator  # (before feedgen.ext: it loads lxml.etree, which they use)
    from feedgen.ext.dc import DcEntryExtension, DcExtension

    generator = FeedGenerator()
    if dc:
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
    generator.lastBuildDate(newest)
    generator.updated(newest)
    return generator


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
            html=view.ready.get(doc).feed_body if with_body else "", published=doc.date,
            updated=doc.updated or doc.date, author=doc.author or _site_name(view, doc),
            categories=((doc.category,) if doc.category else ()) + doc.tags))
    return item[1]


def _site_name(view: BuildView, doc: Document) -> str | None:
    """Who wrote an article that names no author: its KIM (Atom requires an author per entry)."""
    site = view.site_configs.get(doc.site)
    return site.name if site is not None else None


def plan_site_feeds(view: BuildView, model, site_tok: str) -> list[Output]:
    """The KIM's own feeds carry whole articles; its category feeds carry summaries (title,
    summary, link), so a reader following one topic on paid mobile data fetches a few KB."""
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
