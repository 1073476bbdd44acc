"""Documents made ready for rendering, once per document after planning.

An article's body is shown on its page and in several feeds (its KIM's, its section's, the
portal's). What those need of it is made here once: the page's body (responsive pictures,
tap-to-play videos, links resolved), the feeds' body (absolute links) and the head of its own
page (Open Graph fields with its share image, and JSON-LD). Renderers fill templates from the
ReadyDocument (kimsite.outputs.records) and rewrite nothing themselves.

`ready_index` gives the index the build view carries; `prepare_for` makes ready, before the
render workers start, the documents whose bodies the outputs to render need: an edit that
re-renders one article makes a few dozen documents ready, not every document of the workspace.
"""

from __future__ import annotations

import html
from functools import partial
from typing import Iterable

from kimsite.base import links
from kimsite.media import embeds, images, previews
from kimsite.model.model import Document
from kimsite.outputs.contract import BuildView, Output
from kimsite.outputs.records import ReadyDocument, ReadyIndex
from kimsite.pages.feeds import absolutize
from kimsite.schema.article_types import display_description, display_title


def ready_index(view: BuildView) -> ReadyIndex:
    """The index of ready documents made from `view` (which must carry bodies and pictures)."""
    return ReadyIndex(partial(make_ready, view))


def prepare_for(view: BuildView, outputs: Iterable[Output]) -> int:
    """Make ready every document whose body one of `outputs` shows; returns how many."""
    wanted = {digest for output in outputs for digest in output.bodies}
    if not wanted:
        return 0
    docs = [doc for doc in view.documents.values() if doc.digest in wanted]
    view.ready.prepare(docs)
    return len(docs)


def make_ready(view: BuildView, doc: Document) -> ReadyDocument:
    raw = view.bodies(doc.digest)
    if doc.kind == "page":
        title, description = doc.title, doc.summary
    else:
        title, description = display_title(doc), display_description(doc, doc.summary)
    location = view.location(doc)
    model = view.sites[doc.site]
    return ReadyDocument(
        doc=doc, title=title, description=description,
        body=_page_body(view, doc, raw), feed_body=_feed_body(view, doc, raw, view.urls.absolute(location)),
        head=previews.page_context(view, model, location, title, description),
    )


def _page_body(view: BuildView, doc: Document, raw: str) -> str:
    """The body with responsive pictures, tap-to-play video links and resolved links."""
    root = view.urls.url(view.urls.site_root(doc.site))
    body = embeds.rewrite(images.rewrite_body(view, doc, raw), view.config.language)
    return links.resolve(body, root, view.md_urls.get(doc.site))


def _feed_body(view: BuildView, doc: Document, raw: str, permalink: str) -> str:
    """The body as feeds carry it: every link absolute, the pictures as written."""
    urls = view.urls
    body = links.resolve(raw, urls.url(urls.site_root(doc.site)), view.md_urls.get(doc.site))
    origin = urls.base_url[: -len(urls.base_path)] if urls.base_path != "/" else urls.base_url.rstrip("/")
    # Footnote and heading links ("#fn-1") point into the article, not into the feed reader.
    if 'href="#' in body:
        body = body.replace('href="#', 'href="' + html.escape(permalink, quote=True) + "#")
    return absolutize(body, origin)
