"""Documents made ready for rendering, once per document after planning.

An article's body is shown on its page and in several feeds (its KIM's, its section's, the
portal's). What those need of it is made here once: the page's body (responsive pictures,
tap-to-play videos, links resolved), the feeds' body (absolute links) and what the head of
its own page is filled from (its title, description and share image: the Open Graph tags and
JSON-LD are filled from those when the page is rendered). Renderers fill templates from the
ReadyDocument (kimsite.outputs.records) and rewrite nothing themselves.

The index also holds the picture that represents each document in lists (home, category,
archive and portal pages show its thumbnail). `ready_index` gives the index the build view
carries; `prepare_for` makes ready, in a build that renders in one process, the documents
whose bodies the outputs to render need, and finds the pictures of the documents of the KIMs
they belong to: an edit that re-renders one article makes a few dozen documents ready, not
every document of the workspace. When worker processes render, each makes ready what its
outputs show, as it renders them (kimsite.build).
"""

from __future__ import annotations

import html
from functools import partial

from kimsite.base import links
from kimsite.media import embeds, images
from kimsite.model.model import Document
from kimsite.outputs.contract import BuildView, Output
from kimsite.outputs.records import ImageInfo, ReadyDocument, ReadyIndex
from kimsite.pages.feeds import absolutize
from kimsite.schema.article_types import display_description, display_title


def ready_index(view: BuildView, keep: int | None = None) -> ReadyIndex:
    """The index of ready documents made from `view` (which must carry bodies and pictures),
    keeping at most `keep` of them (None: all)."""
    return ReadyIndex(partial(make_ready, view), partial(find_picture, view), keep)


def prepare_for(view: BuildView, outputs: list[Output]) -> int:
    """Make ready every document whose body one of `outputs` shows, and find the pictures of
    the documents of every KIM with an output to render (its lists show them); returns how
    many documents were made ready."""
    if not outputs:
        return 0
    wanted = {digest for output in outputs for digest in output.bodies}
    sites = {output.site for output in outputs}
    docs = [doc for doc in view.documents.values() if doc.digest in wanted]
    view.ready.prepare(docs, (doc for doc in view.documents.values() if doc.site in sites))
    return len(docs)


def find_picture(view: BuildView, doc: Document) -> ImageInfo | None:
    """The picture that represents `doc` in lists (kimsite.media.images.og_image)."""
    return images.og_image(view, doc)


def make_ready(view: BuildView, doc: Document) -> ReadyDocument:
    raw = view.bodies(doc.digest)
    if doc.file_role == "page":
        title, description = doc.title, doc.summary
    else:
        title, description = display_title(doc), display_description(doc, doc.summary)
    location = view.location(doc)
    return ReadyDocument(
        doc=doc, title=title, description=description,
        body=_page_body(view, doc, raw), feed_body=_feed_body(view, doc, raw, view.urls.absolute(location)),
        preview=view.previews.get(location, doc.site),
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
