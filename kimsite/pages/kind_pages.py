"""Sections of the KIM article types, per KIM and across the portal:

- Cek Fakta (`klarifikasi`): `<kim>/cek-fakta/` (paginated) with RSS and Atom feeds;
  on the portal `cek-fakta/` gathers the clarifications of every member KIM.
- Agenda (`agenda`): `<kim>/agenda/` (upcoming events first, then past ones), one
  `.ics` file per event, `<kim>/agenda.ics`; on the portal `agenda/` and `agenda.ics`.
- Potensi Desa (`produk`): `<kim>/potensi-desa/` and `potensi-desa/` on the portal.

A *scope* is a KIM slug, or "" for the portal. Every output's deps name the
documents it shows (digests), the scope's token, and for the agenda which events
are upcoming on the build date.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date, tzinfo
from typing import TYPE_CHECKING

from markupsafe import Markup

from kimsite.base.dates import zone
from kimsite.pages.feed_xml import FeedItem
from kimsite.pages.feeds import FeedInfo, build_feed, document_item
from kimsite.base.i18n import ui
from kimsite.pages.layout import base_context, numbered_pager, page_html
from kimsite.schema.article_types import SECTIONS, display_title, format_price, is_upcoming, whatsapp_link, without_verdict
from kimsite.model.model import Document, SiteModel
from kimsite.outputs.contract import BuildView, Output, chunked, renderer
from kimsite.outputs.tokens import file_token, kim_file_token, token
from kimsite.base.urls import (PORTAL_ATOM, PORTAL_DATA, PORTAL_DIRECTORY, PORTAL_HOME, PORTAL_OPML, PORTAL_RSS,
                               Urls)

if TYPE_CHECKING:
    from kimsite.pages.ical import CalendarEvent  # (loaded by the builds that write a calendar)

CEK_FAKTA, AGENDA, POTENSI = (folder for _kind, folder, _key in SECTIONS)


# --- which documents a scope shows ------------------------------------------------------

def portal_members(view: BuildView) -> tuple[str, ...]:
    """Local KIMs the portal aggregates (all of them unless `members` names some)."""
    if view.portal is None or view.single_site:
        return ()
    members = view.portal.members
    if "all" in members:
        return tuple(sorted(view.sites))
    return tuple(slug for slug in sorted(view.sites) if slug in members)


def documents_of(view: BuildView, scope: str, kind: str) -> tuple[Document, ...]:
    """Published articles of `kind` in a scope, newest first."""
    cache = view.memo.kind_documents
    key = (scope, kind)
    if key not in cache:
        cache[key] = _by_type(view, scope).get(kind, ()) if scope else tuple(sorted(
            (doc for slug in portal_members(view) for doc in _by_type(view, slug).get(kind, ())),
            key=lambda d: d.sort_key))
    return cache[key]


def _by_type(view: BuildView, slug: str) -> dict[str, tuple[Document, ...]]:
    """A KIM's published articles grouped by type, newest first (one pass over them)."""
    cache = view.memo.documents_by_type
    if slug not in cache:
        groups: dict[str, list[Document]] = {}
        for doc in view.sites[slug].articles:
            groups.setdefault(doc.type, []).append(doc)
        cache[slug] = {kind: tuple(docs) for kind, docs in groups.items()}
    return cache[slug]


def portal_sections(view: BuildView) -> tuple[tuple[str, str], ...]:
    """(title, location) of the portal's Cek Fakta / Agenda / Potensi Desa pages that exist.
    Pages that show them must have `portal_sections_token(view)` in their deps."""
    if view.portal is None or view.single_site:
        return ()
    lang = view.config.language
    return tuple((ui(key, lang), folder) for kind, folder, key in SECTIONS if documents_of(view, "", kind))


def portal_sections_token(view: BuildView) -> str:
    return token(portal_sections(view))


def _scope_token(view: BuildView, scope: str) -> str:
    return view.site_tokens[scope] if scope else portal_sections_token(view)


def _entries(view: BuildView, scope: str, docs) -> tuple:
    """Deps for a list of shown documents; on the portal the KIM each comes from is shown too."""
    if scope:
        return tuple(doc.digest for doc in docs)
    return tuple((doc.digest, view.site_tokens[doc.site]) for doc in docs)


def _today(view: BuildView, tz: tzinfo) -> date:
    return view.now.astimezone(tz).date()


def split_events(view: BuildView, events) -> tuple[list[Document], list[Document]]:
    """(upcoming soonest first, past most recent first), relative to the build date."""
    tz = zone(view.config.timezone)
    today = _today(view, tz)
    upcoming = [doc for doc in events if is_upcoming(doc, today, tz)]
    past = [doc for doc in events if not is_upcoming(doc, today, tz)]
    upcoming.sort(key=lambda d: (d.field("mulai").timestamp(), d.source))
    past.sort(key=lambda d: (-d.field("mulai").timestamp(), d.source))
    return upcoming, past


# --- planning -----------------------------------------------------------------------------

def plan_kinds(view: BuildView) -> list[Output]:
    """The sections of every built KIM, then the portal's (a planner of kimsite.plan)."""
    outputs: list[Output] = []
    for slug in sorted(view.sites):
        outputs.extend(_plan_scope(view, slug))
    if view.portal is not None and not view.single_site:
        outputs.extend(_plan_scope(view, ""))
    return outputs


def _plan_scope(view: BuildView, scope: str) -> list[Output]:
    path = Urls.output_path
    per_page = view.config.per_page
    scope_tok = _scope_token(view, scope)
    outputs: list[Output] = []

    claims = documents_of(view, scope, "klarifikasi")
    if claims:
        pages = chunked(claims, per_page)
        for number, chunk in enumerate(pages, start=1):
            outputs.append(Output(path(view.urls.section(scope, CEK_FAKTA, number)), "kind_cek_fakta",
                                  scope, (number, len(pages)), (scope_tok, _entries(view, scope, chunk))))
        top = claims[: view.config.feed_length]
        for fmt in ("rss", "atom"):
            # file_token: the files and linked sources' URLs the entries' HTML shows (as in feeds.py)
            outputs.append(Output(view.urls.section_feed(scope, CEK_FAKTA, fmt), "kind_cek_fakta_feed", scope, (fmt,),
                                  (scope_tok, _entries(view, scope, top), tuple(file_token(view, d) for d in top)),
                                  tuple(d.digest for d in top)))

    events = documents_of(view, scope, "agenda")
    if events:
        upcoming, past = split_events(view, events)
        outputs.append(Output(path(view.urls.section(scope, AGENDA)), "kind_agenda", scope, (),
                              (scope_tok, _entries(view, scope, upcoming), _entries(view, scope, past))))
        ordered = sorted(events, key=lambda d: (d.field("mulai").timestamp(), d.source))
        outputs.append(Output(view.urls.calendar(scope), "kind_agenda_ics", scope, (),
                              (scope_tok, _entries(view, scope, ordered))))
        if scope:
            for doc in events:
                outputs.append(Output(view.urls.event_calendar(doc.site, doc.date, doc.slug), "kind_event_ics", scope, (doc.source,),
                                      (scope_tok, doc.digest)))

    products = documents_of(view, scope, "produk")
    if products:
        pages = chunked(products, per_page)
        for number, chunk in enumerate(pages, start=1):
            photos = tuple(kim_file_token(view, doc.site, _first_photo(doc)) for doc in chunk)  # sizes, variants
            outputs.append(Output(path(view.urls.section(scope, POTENSI, number)), "kind_potensi_desa",
                                  scope, (number, len(pages)), (scope_tok, _entries(view, scope, chunk), photos)))
    return outputs


# --- rendering ------------------------------------------------------------------------------

def _model(view: BuildView, scope: str) -> SiteModel | None:
    return view.sites[scope] if scope else None


def _scope_name(view: BuildView, scope: str) -> str:
    return view.sites[scope].config.name if scope else (view.portal.name if view.portal else view.config.title)


def _context(view: BuildView, scope: str, location: str, heading: str, intro: str, number: int = 1,
             total: int = 1, feeds: tuple = ()) -> dict:
    lang = view.config.language
    title = heading if number == 1 else f"{heading} – {ui('page_n', lang, n=number)}"
    if not scope:
        title = f"{title} – {_scope_name(view, scope)}"
    context = base_context(view, _model(view, scope), location, title, intro, feeds=feeds or None)
    context.update(
        heading=heading, intro=intro, number=number, total=total, pager=[], layout="base.html",
        show_site=not scope, portal_sections=portal_sections(view) if not scope else (),
        site_name=lambda doc: view.site_configs[doc.site].name,
        site_home=lambda doc: view.urls.home(doc.site),
        title_of=display_title,
        plain_title=lambda doc: without_verdict(doc.title, doc.field("label")),
    )
    if not scope:
        context.update(portal_chrome(view))
    return context


def portal_chrome(view: BuildView) -> dict:
    """The portal's own header and footer (portal_base.html), with the same menu as its other pages.
    What it shows is covered by the global token (portal settings) and portal_sections_token."""
    lang = view.config.language
    return {
        "layout": "portal_base.html",
        "portal_menu": ((ui("home", lang), PORTAL_HOME), (ui("portal_directory", lang), PORTAL_DIRECTORY),
                        *portal_sections(view), (ui("portal_data", lang), PORTAL_DATA)),
        "portal_links": {"rss": PORTAL_RSS, "atom": PORTAL_ATOM, "opml": PORTAL_OPML, "directory": PORTAL_DIRECTORY, "data": PORTAL_DATA},
    }


@renderer("kind_cek_fakta")
def render_cek_fakta(view: BuildView, output: Output) -> bytes:
    scope = output.site
    number, total = output.params
    lang = view.config.language
    name = _scope_name(view, scope)
    feeds = (("application/rss+xml", f"{ui('cek_fakta', lang)} {name} (RSS)", view.urls.section_feed(scope, CEK_FAKTA, "rss")),
             ("application/atom+xml", f"{ui('cek_fakta', lang)} {name} (Atom)", view.urls.section_feed(scope, CEK_FAKTA, "atom")))
    context = _context(view, scope, view.urls.section(scope, CEK_FAKTA, number), ui("cek_fakta", lang),
                       ui("cek_fakta_intro", lang), number, total, feeds)
    context.update(
        articles=chunked(documents_of(view, scope, "klarifikasi"), view.config.per_page)[number - 1],
        pager=numbered_pager(view, number, total, lambda n: view.urls.section(scope, CEK_FAKTA, n)),
        rss=view.urls.section_feed(scope, CEK_FAKTA, "rss"), atom=view.urls.section_feed(scope, CEK_FAKTA, "atom"),
    )
    return page_html(view, scope, "cek_fakta.html", context)


def _claim_item(view: BuildView, doc: Document) -> FeedItem:
    """A clarification as a feed entry: the verdict in the title, the claim above the explanation."""
    item = document_item(view, doc)
    label = doc.field("label")
    lang = view.config.language
    lead = (f"<p><strong>{html.escape(ui('verdict', lang))}: {html.escape(label)}</strong></p>"
            f"<blockquote><p>{html.escape(ui('claim', lang))}: {html.escape(doc.field('klaim'))}</p></blockquote>")
    return replace(item, title=display_title(doc), html=lead + item.html)


@renderer("kind_cek_fakta_feed")
def render_cek_fakta_feed(view: BuildView, output: Output) -> bytes:
    scope = output.site
    (fmt,) = output.params
    lang = view.config.language
    urls = view.urls
    info = FeedInfo(title=f"{ui('cek_fakta', lang)} – {_scope_name(view, scope)}",
                    description=ui("cek_fakta_intro", lang),
                    home=urls.absolute(view.urls.section(scope, CEK_FAKTA)),
                    self_url=urls.absolute(view.urls.section_feed(scope, CEK_FAKTA, fmt)), language=lang)
    docs = documents_of(view, scope, "klarifikasi")[: view.config.feed_length]
    return build_feed(info, [_claim_item(view, doc) for doc in docs], fmt)


@renderer("kind_agenda")
def render_agenda(view: BuildView, output: Output) -> bytes:
    scope = output.site
    lang = view.config.language
    upcoming, past = split_events(view, documents_of(view, scope, "agenda"))
    context = _context(view, scope, view.urls.section(scope, AGENDA), ui("agenda", lang),
                       ui("agenda_intro", lang))
    context.update(upcoming=upcoming, past=past, calendar=view.urls.calendar(scope),
                   event_calendar=lambda doc: view.urls.event_calendar(doc.site, doc.date, doc.slug))
    return page_html(view, scope, "agenda.html", context)


def _event(view: BuildView, doc: Document) -> CalendarEvent:
    from kimsite.pages.ical import CalendarEvent

    lang = view.config.language
    permalink = view.urls.absolute(view.location(doc))
    lines = [doc.summary] if doc.summary else []
    if doc.field("penyelenggara"):
        lines.append(f"{ui('event_organizer', lang)}: {doc.field('penyelenggara')}")
    lines.append(ui("from_kim", lang, kim=view.site_configs[doc.site].name))
    lines.append(permalink)
    return CalendarEvent(uid=permalink, summary=doc.title, start=doc.field("mulai"), end=doc.field("selesai"),
                         location=doc.field("tempat") or "", url=permalink, description="\n\n".join(lines),
                         stamp=doc.updated or doc.date, categories=((doc.category,) if doc.category else ()))


@renderer("kind_agenda_ics")
def render_agenda_ics(view: BuildView, output: Output) -> bytes:
    from kimsite.pages.ical import build_calendar

    scope = output.site
    lang = view.config.language
    events = sorted(documents_of(view, scope, "agenda"), key=lambda d: (d.field("mulai").timestamp(), d.source))
    name = f"{ui('agenda', lang)} {_scope_name(view, scope)}"
    return build_calendar(name, [_event(view, doc) for doc in events], view.config.timezone,
                          ui("agenda_intro", lang))


@renderer("kind_event_ics")
def render_event_ics(view: BuildView, output: Output) -> bytes:
    from kimsite.pages.ical import build_calendar

    doc = view.documents[output.params[0]]
    return build_calendar(doc.title, [_event(view, doc)], view.config.timezone)


@renderer("kind_potensi_desa")
def render_potensi_desa(view: BuildView, output: Output) -> bytes:
    scope = output.site
    number, total = output.params
    lang = view.config.language
    context = _context(view, scope, view.urls.section(scope, POTENSI, number), ui("potensi_desa", lang),
                       ui("potensi_desa_intro", lang), number, total)
    context.update(
        products=chunked(documents_of(view, scope, "produk"), view.config.per_page)[number - 1],
        pager=numbered_pager(view, number, total, lambda n: view.urls.section(scope, POTENSI, n)),
        photo=lambda doc: product_photo(view, doc), picture=lambda doc: product_picture(view, doc),
        price_text=format_price,
        order_link=lambda doc: order_link(view, doc),
    )
    return page_html(view, scope, "potensi_desa.html", context)


def _first_photo(doc: Document) -> str | None:
    """The product's first photo (or its article image), relative to the KIM folder; None when
    there is none or it is a web address (lists load no third-party resources)."""
    photos = doc.field("foto") or ()
    first = photos[0] if photos else doc.image
    if not first or first.lower().startswith(("http://", "https://")):
        return None
    return first


def product_photo(view: BuildView, doc: Document) -> str | None:
    """Location of the product's first photo."""
    rel = _first_photo(doc)
    return view.urls.media(doc.site, rel) if rel else None


def product_picture(view: BuildView, doc: Document) -> Markup | None:
    """A responsive <picture> of the first photo when the image pipeline processed it."""
    rel = _first_photo(doc)
    if not rel:
        return None
    try:
        from kimsite.media import images
    except ImportError:
        return None
    info = images.lookup(view, doc.site, rel)
    if info is None:
        return None
    alt = doc.image_alt if rel == doc.image and doc.image_alt else doc.title
    root = view.urls.url(view.urls.site_root(doc.site))
    return Markup(images.picture_html(info, alt, False, root))


def order_link(view: BuildView, doc: Document) -> str | None:
    """wa.me link with a prefilled message naming the product and the KIM."""
    number = doc.field("whatsapp")
    if not number:
        return None
    text = ui("order_message", view.config.language, product=doc.title, kim=view.site_configs[doc.site].name,
              url=view.urls.absolute(view.location(doc)))
    return whatsapp_link(number, text)


__all__ = ["plan_kinds", "portal_chrome", "portal_sections", "portal_sections_token", "documents_of"]
