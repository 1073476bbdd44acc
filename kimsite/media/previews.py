"""How pages look when shared: Open Graph and Twitter-card tags, share images, JSON-LD.

`plan_previews` (run by kimsite.plan after the pictures are planned) decides the share image of every
article and page — its own picture cropped to 1200×630 (see kimsite.media.images), or a card
drawn at build time (kimsite.media.og_card) — and plans the cards as outputs. A hoax clarification
always gets its verdict card (never its picture, often the hoax's own screenshot); a document
without a picture gets its KIM's card (`share_cards: site`, the default: messengers print the
title beside the image anyway) or a card with its title (`share_cards: article`). `page_context`
is what base_context adds for the layout: `og` (tags) and `jsonld` (ready-escaped blocks).
"""

from __future__ import annotations


from kimsite.media import images, jsonld
from kimsite.media.icons import HOME_SCREEN
from kimsite.schema.article_types import LABEL_STYLE, display_title, verdict_of, without_verdict
from kimsite.model.model import Document, SiteModel
from kimsite.workspace.config import SiteConfig
from kimsite.workspace.folder_names import CARDS_FOLDER, STATE_DIR
from kimsite.media.og_card import HEIGHT, WIDTH, cached_card, card_token
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.outputs.records import Preview, PreviewIndex
from kimsite.base.urls import CARD_NAME, Urls



def _place(config: SiteConfig) -> str:
    return " · ".join(part for part in (f"Kecamatan {config.kecamatan}" if config.kecamatan else "",
                                        f"Desa {config.desa}" if config.desa else "") if part)


def site_card_params(config: SiteConfig) -> tuple:
    """What a KIM's own card shows (og_card.draw_card's arguments)."""
    return (config.description or config.name, config.name, _place(config))


def portal_card_params(portal: SiteConfig | None, workspace_title: str) -> tuple:
    """What the card of the root (the portal, or the workspace) shows."""
    title = portal.name if portal else workspace_title
    return (title, title, portal.region if portal else "")


def verdict_card_params(doc: Document, config: SiteConfig) -> tuple | None:
    """What a klarifikasi's verdict card shows; None for a document without a verdict."""
    verdict = verdict_of(doc)
    if not verdict:
        return None
    return (without_verdict(doc.title, verdict), config.name, _place(config), verdict,
            LABEL_STYLE.get(verdict, "warn"))


def settings_cards(sites: dict[str, SiteConfig], portal: SiteConfig | None, workspace_title: str,
                   single_site: bool) -> list[tuple]:
    """The cards `plan_previews` plans from the settings alone: every KIM's and the root's
    (known before parsing; see kimsite.media.drawn_ahead)."""
    wanted = [site_card_params(sites[slug]) for slug in sorted(sites)]
    return wanted if single_site else wanted + [portal_card_params(portal, workspace_title)]


def verdict_cards(models: dict[str, SiteModel]) -> list[tuple]:
    """Every verdict card `plan_previews` plans (known once the KIMs are assembled)."""
    return [params for _slug, model in sorted(models.items()) for doc in (*model.articles, *model.pages)
            if (params := verdict_card_params(doc, model.config)) is not None]


def plan_previews(view: BuildView, reused: frozenset[str]
                  ) -> tuple[list[Output], PreviewIndex, dict[str, list[Output]]]:
    """The share cards to draw, the share image of every page, and the cards drawn per article
    of each KIM planned anew (remembered with its plan). The cards of a KIM in `reused` (whose
    plan the build reuses) are in that plan already, and its pages' previews are recorded only
    if one of its pages is rendered (see PreviewIndex)."""
    urls = view.urls
    previews: dict[str, Preview] = {}
    recorded: set[str] = set()
    outputs: list[Output] = []
    cards = card_token()
    site_cards: dict[str, list[Output]] = {}
    for slug, model in sorted(view.sites.items()):
        name = model.config.name
        site_card = urls.site_root(slug) + CARD_NAME
        outputs.append(Output(Urls.output_path(site_card), "og_card", slug, site_card_params(model.config), (cards,)))
        previews[urls.site_root(slug)] = Preview(site_card, WIDTH, HEIGHT, name)
        if slug not in reused:
            own, to_draw = _document_previews(view, model)
            previews.update(own)
            recorded.add(slug)
            site_cards[slug] = [Output(Urls.output_path(card), "og_card", slug, params, (cards,))
                                for card, params in to_draw]
            outputs.extend(site_cards[slug])
    if not view.single_site:
        params = portal_card_params(view.portal, view.config.title)
        outputs.append(Output(CARD_NAME, "og_card", "", params, (cards,)))
        previews[""] = Preview(CARD_NAME, WIDTH, HEIGHT, params[0])
    index = PreviewIndex(previews, recorded, lambda slug: _document_previews(view, view.sites[slug])[0])
    return outputs, index, site_cards


def _document_previews(view: BuildView, model: SiteModel) -> tuple[dict[str, Preview], list[tuple[str, tuple]]]:
    """The share image of each of a KIM's documents, by location, and the cards to draw for
    them: (card location, what it shows)."""
    urls, slug = view.urls, model.slug
    previews: dict[str, Preview] = {}
    site_card = urls.site_root(slug) + CARD_NAME
    policy = view.config.share_cards
    name, place = model.config.name, _place(model.config)
    to_draw: list[tuple[str, tuple]] = []
    for doc in (*model.articles, *model.pages):
        location = view.location(doc)
        verdict_params = verdict_card_params(doc, model.config)
        picture = None if verdict_params else images.og_image(view, doc)
        if picture is not None:
            previews[location] = Preview(urls.media(slug, picture.og_rel), *picture.og,
                                         doc.image_alt or display_title(doc), doc)
            continue
        if policy == "site" and not verdict_params:
            previews[location] = Preview(site_card, WIDTH, HEIGHT, display_title(doc), doc)
            continue
        card = location + CARD_NAME
        to_draw.append((card, verdict_params or (doc.title, name, place)))
        previews[location] = Preview(card, WIDTH, HEIGHT, display_title(doc), doc)
    return previews, to_draw


@renderer("og_card")
def render_card(view: BuildView, output: Output) -> bytes:
    return cached_card(view.config.root / STATE_DIR / CARDS_FOLDER, *output.params)


def _site_preview(view: BuildView, model: SiteModel | None) -> Preview | None:
    key = view.urls.site_root(model.slug) if model is not None else ""
    return view.previews.get(key, None) or view.previews.get("", None)


class Fields(dict):
    """A dict whose keys templates read as attributes (`og.title`) without Jinja first failing
    to find an attribute of that name, an exception per lookup (about 20 on every page)."""

    __slots__ = ()

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def page_context(view: BuildView, model: SiteModel | None, location: str, title: str,
                 description: str, own: Preview | None = None) -> dict:
    """The page's Open Graph fields (`og`) and JSON-LD blocks (`jsonld`); `own` is the share
    preview of the document the page shows, when the caller has it (else it is looked up)."""
    urls = view.urls
    if own is None:
        own = view.previews.get(location, model.slug if model is not None else None)
    preview = own or _site_preview(view, model)
    doc = own.doc if own is not None else None
    site_name = model.config.name if model is not None else (view.portal.name if view.portal else view.config.title)
    summary = " ".join((description or (model.config.description if model else "") or "").split())
    if len(summary) > 300:
        summary = summary[:297].rsplit(" ", 1)[0] + "…"
    og = Fields({
        "type": "article" if doc is not None and doc.file_role == "article" else "website",
        "title": title,
        "description": summary,
        "url": urls.absolute(location),
        "site_name": site_name,
        "locale": "en_US" if view.config.language == "en" else "id_ID",
        "image": urls.absolute(preview.image) if preview else "",
        "image_width": preview.width if preview else 0,
        "image_height": preview.height if preview else 0,
        "image_alt": preview.alt if preview else "",
        "published": doc.date.isoformat() if doc is not None and doc.file_role == "article" and doc.date else "",
        "modified": (doc.updated or doc.date).isoformat() if doc is not None and doc.file_role == "article"
        and doc.date else "",
        "section": doc.category or "" if doc is not None else "",
        "tags": tuple(doc.tags) if doc is not None and doc.file_role == "article" else (),
    })
    blocks: list[str] = []
    if doc is not None and doc.file_role == "article" and model is not None:
        blocks.append(jsonld.dump(_news_article(view, model, doc, og)))
        if doc.type == "agenda":
            blocks.append(jsonld.dump(_event(view, model, doc, og)))
        elif doc.type == "produk":
            blocks.append(jsonld.dump(_product(doc, og)))
    elif model is not None and location in (urls.home(model.slug), urls.profile(model.slug)):
        blocks.append(jsonld.dump(_organization(view, model)))
    elif model is None and location == "" and view.portal is not None:
        blocks.append(jsonld.dump(jsonld.without_empty({
            "@context": "https://schema.org", "@type": "GovernmentOrganization", "name": view.portal.name,
            "url": urls.absolute(""), "description": view.portal.description, "logo": urls.absolute(HOME_SCREEN),
            "areaServed": view.portal.region})))
    return {"og": og, "jsonld": tuple(blocks)}


def _news_article(view: BuildView, model: SiteModel, doc: Document, og: dict) -> dict:
    urls = view.urls
    author = ({"@type": "Person", "name": doc.author} if doc.author
              else {"@type": "Organization", "name": model.config.name})
    return jsonld.without_empty({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": og["title"] if len(og["title"]) <= 110 else og["title"][:109] + "…",
        "description": og["description"],
        "datePublished": og["published"],
        "dateModified": og["modified"],
        "author": author,
        "publisher": {"@type": "Organization", "name": model.config.name,
                      "url": urls.absolute(urls.home(model.slug)),
                      "logo": {"@type": "ImageObject", "url": urls.absolute(urls.site_root(model.slug) + HOME_SCREEN),
                               "width": 192, "height": 192}},
        "image": [og["image"]] if og["image"] else [],
        "mainEntityOfPage": og["url"],
        "url": og["url"],
        "inLanguage": view.config.language,
        "articleSection": doc.category or "",
        "keywords": ", ".join(doc.tags),
    })


def _event(view: BuildView, model: SiteModel, doc: Document, og: dict) -> dict:
    """An agenda entry as schema.org Event: search engines and calendars read when and where."""
    config = model.config
    start, end = doc.field("mulai"), doc.field("selesai")
    place = jsonld.without_empty({
        "@type": "Place", "name": doc.field("tempat"),
        "address": jsonld.without_empty({"@type": "PostalAddress", "addressLocality": config.desa,
                                         "addressRegion": config.kecamatan, "addressCountry": "ID"})})
    organizer = doc.field("penyelenggara")
    return jsonld.without_empty({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": doc.title,
        "description": og["description"],
        "startDate": start.isoformat() if start else "",
        "endDate": end.isoformat() if end else "",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": place,
        "organizer": {"@type": "Organization", "name": organizer} if organizer else
        {"@type": "Organization", "name": config.name, "url": view.urls.absolute(view.urls.home(model.slug))},
        "image": [og["image"]] if og["image"] else [],
        "url": og["url"],
        "inLanguage": view.config.language,
    })


def _product(doc: Document, og: dict) -> dict:
    """A village product as schema.org Product, its price in rupiah as an Offer."""
    price = doc.field("harga")
    offers: dict = {}
    if price:
        low, high = price
        offers = ({"@type": "Offer", "price": low, "priceCurrency": "IDR", "url": og["url"]} if low == high else
                  {"@type": "AggregateOffer", "lowPrice": low, "highPrice": high, "priceCurrency": "IDR",
                   "url": og["url"]})
    maker = doc.field("produsen")
    return jsonld.without_empty({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": doc.title,
        "description": og["description"],
        "image": [og["image"]] if og["image"] else [],
        "url": og["url"],
        "brand": {"@type": "Brand", "name": maker} if maker else {},
        "manufacturer": {"@type": "Organization", "name": maker} if maker else {},
        "offers": offers,
    })


def _organization(view: BuildView, model: SiteModel) -> dict:
    urls = view.urls
    config = model.config
    contact = dict(config.contact)
    address = jsonld.without_empty({"@type": "PostalAddress", "streetAddress": contact.get("address", ""),
                                    "addressLocality": config.desa, "addressRegion": config.kecamatan,
                                    "addressCountry": "ID"})
    return jsonld.without_empty({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": config.name,
        "url": urls.absolute(urls.home(model.slug)),
        "description": config.description,
        "logo": urls.absolute(urls.site_root(model.slug) + HOME_SCREEN),
        "address": address,
        "email": contact.get("email", ""),
        "telephone": contact.get("phone", ""),
        "foundingDate": config.founded.isoformat() if config.founded else "",
        "sameAs": [url for _network, url in config.social if url.startswith(("http://", "https://"))],
    })
