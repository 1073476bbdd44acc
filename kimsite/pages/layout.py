"""What every page shares: the KIM's header, menu and footer (SiteView), the layout's context
(base_context, with share previews and the search box) and pagination. What makes a page
re-render when those change: kimsite.outputs.tokens.site_token."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup

from kimsite.base.i18n import ui
from kimsite.media import icons, images, previews
from kimsite.model.model import Document, SiteModel
from kimsite.outputs.contract import BuildView
from kimsite.outputs.records import Preview
from kimsite.outputs.environment import render_template
from kimsite.schema.article_types import SECTIONS

def search_location(view: BuildView, site: str | None) -> str:
    return view.urls.search(site)


def search_enabled(view: BuildView) -> bool:
    """Whether the build makes a Pagefind index (else search boxes ask a web search)."""
    return view.search_enabled


def web_site(view: BuildView, root: str) -> str:
    """The site a web search is limited to: host and path of `root` (a KIM's or the published root)."""
    parts = urlsplit(view.urls.absolute(root))
    return (parts.netloc + parts.path).rstrip("/")


@dataclass(frozen=True, slots=True)
class MenuItem:
    title: str
    location: str


@dataclass(frozen=True, slots=True)
class SiteView:
    """What every page of a KIM shows about its KIM (header, menu, footer)."""

    slug: str
    name: str
    kecamatan: str
    desa: str
    description: str
    home: str
    profile: str
    rss: str
    atom: str
    menu: tuple[MenuItem, ...]
    sections: tuple[MenuItem, ...] = ()  # Cek Fakta / Agenda / Potensi Desa, when the KIM has such articles

    @property
    def nav(self) -> frozenset[str]:
        """Locations the menu links to (a page at one of them is marked current in the menu)."""
        return frozenset((self.home, self.profile, *(item.location for item in self.menu + self.sections)))


def site_view(view: BuildView, model: SiteModel) -> SiteView:
    cached = view.memo.site_views
    if model.slug not in cached:
        urls = view.urls
        config = model.config
        menu = tuple(MenuItem(doc.title, view.location(doc)) for doc in model.pages if doc.in_menu)
        cached[model.slug] = SiteView(
            slug=model.slug, name=config.name, kecamatan=config.kecamatan, desa=config.desa,
            description=config.description, home=urls.home(model.slug), profile=urls.profile(model.slug),
            rss=urls.feed(model.slug, "rss"), atom=urls.feed(model.slug, "atom"), menu=menu,
            sections=tuple(MenuItem(ui(key, view.config.language), urls.site_root(model.slug) + folder)
                           for kind, folder, key in SECTIONS if kind in model.section_types()),
        )
    return cached[model.slug]


def base_context(view: BuildView, model: SiteModel | None, location: str, title: str,
                 description: str = "", feeds: tuple[tuple[str, str, str], ...] | None = None,
                 preview: Preview | None = None) -> dict:
    """What the shared layout needs; `feeds` are (type, title, location) for autodiscovery;
    `preview` is a ready document's share preview (kimsite.pages.ready), else it is looked up."""
    site = site_view(view, model) if model else None
    if feeds is None and site is not None:
        feeds = (("application/rss+xml", f"{site.name} (RSS)", site.rss),
                 ("application/atom+xml", f"{site.name} (Atom)", site.atom))
    return {
        "site": site,
        "workspace_title": view.config.title,
        "root": "" if not view.single_site else None,
        "portal": view.portal,
        "page_title": title,
        "description": description,
        "location": location,
        "canonical": view.urls.absolute(location),
        "feeds": feeds or (),
        "css": view.assets.get("style.css", ""),
        "loc": view.location,
        **_previews(view, model, location, title, description, preview),
    }


def _previews(view: BuildView, model: SiteModel | None, location: str, title: str, description: str,
              preview: Preview | None) -> dict:
    """Open Graph, Twitter card and JSON-LD of the page, and where the search box sends to."""
    context = previews.page_context(view, model, location, title, description, preview)
    context["search_page"] = search_location(view, model.slug if model else None)
    # Without an index the header's box asks a web search limited to the site: the query is kept.
    context["search_web_site"] = "" if search_enabled(view) else \
        web_site(view, view.urls.site_root(model.slug) if model else "")
    context["thumb"] = lambda doc, lead=False: thumbnail(view, doc, lead)
    context["photo_picture"] = lambda doc, rel, alt: Markup(images.photo_html(view, doc, rel, alt))
    slug = model.slug if model else None
    context["icon_links"] = Markup(icons.head_links(view, slug))
    context["logo"] = Markup(icons.masthead_logo(view, slug)) if slug else ""
    return context


def thumbnail(view: BuildView, doc: Document, lead: bool = False) -> Markup:
    """The picture of a document in lists, from its ready picture (see kimsite.pages.ready)."""
    return Markup(images.thumbnail_html(view.ready.picture(doc), view.urls.url(view.urls.site_root(doc.site)), lead))


def page_html(view: BuildView, site: str, template: str, context: dict) -> bytes:
    return render_template(view.environment(site), template, context).encode("utf-8")


def numbered_pager(view: BuildView, number: int, total: int, locate) -> list[tuple[str, str | None, bool]]:
    """Numbered pagination: (label, location or None for a gap, is_current)."""
    if total <= 1:
        return []
    shown = sorted({1, total, number - 1, number, number + 1} & set(range(1, total + 1)))
    items: list[tuple[str, str | None, bool]] = []
    previous = 0
    for n in shown:
        if n - previous > 1:
            items.append(("…", None, False))
        items.append((str(n), locate(n), n == number))
        previous = n
    return items


def lead_first(items: list, pictured) -> list:
    """A home page's first page opens with its newest story that has a picture (the lead; a
    clarification never, so that no hoax picture leads), the rest following in their order."""
    index = next((i for i, item in enumerate(items) if pictured(item)), 0)
    return [items[index], *items[:index], *items[index + 1:]] if items else items
