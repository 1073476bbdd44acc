"""What pages gain from the media parts: responsive pictures and tap-to-play video links in
bodies; share previews, structured data and the search box in the layout."""

from __future__ import annotations

from markupsafe import Markup

from kimsite import embeds, icons, images, previews, search
from kimsite.model import Document, SiteModel
from kimsite.outputs import BuildView


def rewrite_body(view: BuildView, doc: Document, markup: str) -> str:
    return embeds.rewrite(images.rewrite_body(view, doc, markup), view.config.language)


def page_context(view: BuildView, model: SiteModel | None, location: str, title: str, description: str) -> dict:
    context = previews.page_context(view, model, location, title, description)
    context["search_page"] = search.search_location(view, model.slug if model else None)
    # Without an index the header's box asks a web search limited to the site: the query is kept.
    context["search_web_site"] = "" if search.enabled(view) else \
        search.web_site(view, view.urls.site_root(model.slug) if model else "")
    context["thumb"] = lambda doc, lead=False: Markup(images.thumbnail_html(view, doc, lead))
    context["photo_picture"] = lambda doc, rel, alt: Markup(images.photo_html(view, doc, rel, alt))
    slug = model.slug if model else None
    context["icon_links"] = Markup(icons.head_links(view, slug))
    context["logo"] = Markup(icons.masthead_logo(view, slug)) if slug else ""
    return context
