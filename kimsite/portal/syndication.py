"""The regency's own feeds (RSS 2.0 and Atom: the latest articles of every member) and
kim.opml, the list of every member's feed so a reader subscribes to all KIMs in one step.
"""

from __future__ import annotations

from dataclasses import replace

from markupsafe import escape

from kimsite.pages.feed_xml import FeedItem
from kimsite.pages.feeds import FeedInfo, build_feed, document_item, xml_safe
from kimsite.base.i18n import ui
from kimsite.base.urls import PORTAL_ATOM, PORTAL_HOME, PORTAL_OPML, PORTAL_RSS
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.portal.activity import kecamatan_groups
from kimsite.portal.model import Entry, Member, PortalData, entry_absolute, portal_data
from kimsite.parse.sanitize import sanitize_html
from kimsite.base.xmltext import quoteattr


def plan_syndication(view: BuildView, data: PortalData) -> list[Output]:
    slug = data.portal.slug
    top = data.entries[: view.config.feed_length]
    deps = (data.token, tuple(e.token for e in top))
    bodies = tuple(e.digest for e in top if e.digest)
    outputs = [Output(path, "portal_feed", slug, (fmt,), deps, bodies) for path, fmt in ((PORTAL_RSS, "rss"), (PORTAL_ATOM, "atom"))]
    outputs.append(Output(PORTAL_OPML, "portal_opml", slug, (), (data.token,)))
    return outputs


def feed_item(view: BuildView, member: Member, entry: Entry) -> FeedItem:
    categories = (member.name,)
    if entry.source:
        item = document_item(view, view.documents[entry.source])
        if entry.link:  # a KIM on its own domain: point there
            item = replace(item, id=entry.link, link=entry.link)
        return replace(item, author=item.author or member.name, categories=categories + item.categories)
    link = entry_absolute(view, entry)
    body = sanitize_html(entry.html) if entry.html else f"<p>{escape(entry.summary)}</p>"
    return FeedItem(id=link, title=entry.title, link=link, summary=entry.summary, html=body,
                    published=entry.date, updated=entry.updated, author=entry.author or member.name,
                    categories=categories)


@renderer("portal_feed")
def render_feed(view: BuildView, output: Output) -> bytes:
    data = portal_data(view)
    (fmt,) = output.params
    portal = data.portal
    urls = view.urls
    info = FeedInfo(title=portal.name, description=portal.description or portal.name,
                    home=urls.absolute(PORTAL_HOME), self_url=urls.absolute(PORTAL_ATOM if fmt == "atom" else PORTAL_RSS),
                    language=view.config.language)
    items = [feed_item(view, data.member(e.member), e) for e in data.entries[: view.config.feed_length]]
    return build_feed(info, _unique(items), fmt)


def _unique(items: list[FeedItem]) -> list[FeedItem]:
    """The first (newest) of items sharing a GUID: two members may carry the same article (a KIM
    and a regency portal both in `members`), and a GUID names one entry in a feed."""
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            unique.append(item)
    return unique


def _outline(member: Member, indent: str) -> str:
    category = ' category="portal"' if member.is_portal else ""  # read back as a region (portal.opml)
    return (f"{indent}<outline type=\"rss\" text={quoteattr(xml_safe(member.name))} "
            f"title={quoteattr(xml_safe(member.name))}{category} xmlUrl={quoteattr(member.feed_url)} "
            f"htmlUrl={quoteattr(member.site_url)}/>")


def _region_outlines(data: PortalData, label: str) -> list[str]:
    """KIMs of regions (portals of portals), grouped by region, then kecamatan, as portal.opml reads them."""
    regions: dict[str, dict[str, list[Member]]] = {}
    for member in data.members:
        if member.is_kim and member.region:
            regions.setdefault(member.region, {}).setdefault(member.kecamatan, []).append(member)
    lines: list[str] = []
    for region in sorted(regions, key=str.casefold):
        lines.append(f"  <outline text={quoteattr(xml_safe(region))}>")
        for kecamatan in sorted(regions[region], key=str.casefold):
            members = regions[region][kecamatan]
            if kecamatan:
                lines.append(f"    <outline text={quoteattr(xml_safe(f'{label} {kecamatan}'))}>")
                lines.extend(_outline(member, "      ") for member in members)
                lines.append("    </outline>")
            else:
                lines.extend(_outline(member, "    ") for member in members)
        lines.append("  </outline>")
    return lines


@renderer("portal_opml")
def render_opml(view: BuildView, output: Output) -> bytes:
    """OPML 2.0: member feeds grouped by kecamatan, then the feeds of other portals."""
    data = portal_data(view)
    portal = data.portal
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', "<head>",
             f"  <title>{escape(xml_safe(portal.name))}</title>",
             "  <docs>http://opml.org/spec2.opml</docs>",
             f"  <ownerName>{escape(xml_safe(portal.region or portal.name))}</ownerName>",
             "</head>", "<body>"]
    kecamatan = ui('kecamatan', view.config.language)
    for group in kecamatan_groups(data):
        if group.members[0].region:
            continue  # below, in its region
        lines.append(f"  <outline text={quoteattr(xml_safe(f'{kecamatan} {group.name}'))}>")
        lines.extend(_outline(member, "    ") for member in group.members)
        lines.append("  </outline>")
    lines.extend(_region_outlines(data, kecamatan))
    grouped = {m.key for g in kecamatan_groups(data) for m in g.members}
    grouped.update(m.key for m in data.members if m.is_kim and m.region)
    lines.extend(_outline(m, "  ") for m in data.members if m.key not in grouped)
    lines += ["</body>", "</opml>"]
    return ("\n".join(lines) + "\n").encode("utf-8")
