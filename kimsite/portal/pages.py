"""The portal's HTML pages at the root of the published site: home (latest articles of
every member, paginated), the KIM directory, one page per kecamatan, and "Data & Angka".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kimsite.base.i18n import ui
from kimsite.pages.layout import base_context, lead_first, numbered_pager, thumbnail
from kimsite.pages.kind_pages import portal_sections
from kimsite.outputs.contract import BuildView, Output, chunked, renderer
from kimsite.outputs.tokens import token
from kimsite.portal.activity import (ACTIVE_DAYS, KecamatanGroup, MemberActivity, kecamatan_groups,
                                     member_activity, region_activity, summary_of)
from kimsite.portal.model import Entry, Member, PortalData, entry_href, portal_data
from kimsite.outputs.environment import render_template
from kimsite.base.urls import (PORTAL_ATOM, PORTAL_CSV_KIMS, PORTAL_CSV_MONTHS, PORTAL_DATA, PORTAL_DIRECTORY,
                               PORTAL_HOME, PORTAL_JSON_DATA, PORTAL_OPML, PORTAL_RSS, Urls)

if TYPE_CHECKING:
    from kimsite.portal.chart import Bar  # (the chart is drawn by the builds that write the data page)

MAX_HOME_PAGES = 50  # the portal home lists at most this many pages; older news stays on each KIM's site
KECAMATAN_LATEST = 5  # latest articles shown per KIM on a kecamatan page


def sections(view: BuildView) -> tuple[tuple[str, str], ...]:
    """(title, location) of the portal's article-type sections (Cek Fakta, Agenda, ...), when present."""
    return tuple(portal_sections(view))


def chrome_token(view: BuildView, data: PortalData) -> str:
    """Covers what every portal page shows around its content: the portal and its menu."""
    return token(data.token, sections(view))


def home_location(page: int) -> str:
    return PORTAL_HOME if page <= 1 else f"halaman/{page}/"


def kecamatan_location(slug: str) -> str:
    return f"kecamatan/{slug}/"


def home_entries(view: BuildView, data: PortalData) -> tuple[Entry, ...]:
    return data.entries[: view.config.per_page * MAX_HOME_PAGES]


def stats_token(activity: MemberActivity, member: Member) -> tuple:
    latest = member.entries[0].token if member.entries else None
    return (activity.key, activity.count, activity.recent, activity.latest, activity.active, latest)


def plan_pages(view: BuildView, data: PortalData) -> list[Output]:
    slug = data.portal.slug
    path = Urls.output_path
    outputs: list[Output] = []
    chrome = chrome_token(view, data)

    kecamatan_token = token(tuple((g.slug, g.name) for g in kecamatan_groups(data)))
    pages = chunked(home_entries(view, data), view.config.per_page)
    for number, chunk in enumerate(pages, start=1):
        outputs.append(Output(path(home_location(number)), "portal_home", slug, (number, len(pages)),
                              (chrome, kecamatan_token, tuple(e.token for e in chunk))))

    activities = {m.key: member_activity(m, data.today) for m in data.members}
    stats = tuple(stats_token(activities[m.key], m) for m in data.members)
    regions = token(region_activity(data))
    outputs.append(Output(path(PORTAL_DIRECTORY), "portal_directory", slug, (), (chrome, data.today, stats, regions)))

    for group in kecamatan_groups(data):
        deps = (chrome, data.today, group.name,
                tuple((stats_token(activities[m.key], m), tuple(e.token for e in m.entries[:KECAMATAN_LATEST]))
                      for m in group.members))
        outputs.append(Output(path(kecamatan_location(group.slug)), "portal_kecamatan", slug, (group.slug,), deps))

    summary = summary_of(view.memo, data)
    outputs.append(Output(path(PORTAL_DATA), "portal_data", slug, (), (chrome, token(summary), stats, regions)))
    return outputs


# --- rendering ----------------------------------------------------------------------------

def _context(view: BuildView, data: PortalData, location: str, title: str, description: str = "") -> dict:
    lang = view.config.language
    portal = data.portal
    full_title = title if location == PORTAL_HOME else f"{title} – {portal.name}"
    context = base_context(view, None, location, full_title, description or portal.description,
                           feeds=(("application/rss+xml", f"{portal.name} (RSS)", PORTAL_RSS),
                                  ("application/atom+xml", f"{portal.name} (Atom)", PORTAL_ATOM)))
    context.update(
        portal=portal,
        portal_menu=((ui("home", lang), PORTAL_HOME), (ui("portal_directory", lang), PORTAL_DIRECTORY), *sections(view),
                     (ui("portal_data", lang), PORTAL_DATA)),
        portal_links={"rss": PORTAL_RSS, "atom": PORTAL_ATOM, "opml": PORTAL_OPML, "directory": PORTAL_DIRECTORY, "data": PORTAL_DATA},
    )
    return context


def page_html(view: BuildView, template: str, context: dict) -> bytes:
    return render_template(view.environment(""), template, context).encode("utf-8")


def _pictured(view: BuildView, data: PortalData, entry: Entry) -> bool:
    doc = view.documents.get(entry.source) if entry.source and data.member(entry.member).kind == "local" else None
    return doc is not None and doc.type != "klarifikasi" and view.ready.picture(doc) is not None


def card(view: BuildView, data: PortalData, entry: Entry, lead: bool = False) -> dict:
    member = data.member(entry.member)
    doc = view.documents.get(entry.source) if entry.source and member.kind == "local" else None
    return {"thumb": thumbnail(view, doc, lead) if doc is not None else "",
            "title": entry.title, "href": entry_href(view, entry), "date": entry.date, "summary": entry.summary,
            "label": entry.label, "kim": member.name, "kim_href": member.site_href,
            "kecamatan": member.kecamatan,
            "kecamatan_href": kecamatan_location(member.kecamatan_slug) if member.is_kim and member.kecamatan_slug
            else "",
            "external": member.kind != "local"}


def kim_row(view: BuildView, data: PortalData, member: Member, activity: MemberActivity) -> dict:
    latest = member.entries[0] if member.entries else None
    return {"key": member.key, "kind": member.kind, "name": member.name, "desa": member.desa,
            "kecamatan": member.kecamatan_label, "description": member.description, "site": member.site_href,
            "profile": member.profile_href or (view.urls.url(kecamatan_location(member.kecamatan_slug))
                                               + f"#kim-{member.key}" if member.kecamatan_slug else ""),
            "rss": member.rss_href, "atom": member.atom_href, "status": member.status,
            "count": activity.count, "recent": activity.recent, "active": activity.active,
            "latest": latest.date if latest else None, "latest_href": entry_href(view, latest) if latest else "",
            "external": member.kind != "local"}


@renderer("portal_home")
def render_home(view: BuildView, output: Output) -> bytes:
    data = portal_data(view)
    number, total = output.params
    lang = view.config.language
    chunk = chunked(home_entries(view, data), view.config.per_page)[number - 1]
    title = data.portal.name if number == 1 else f"{data.portal.name} – {ui('page_n', lang, n=number)}"
    context = _context(view, data, home_location(number), title)
    if number == 1:
        chunk = lead_first(list(chunk), lambda entry: _pictured(view, data, entry))
    context.update(
        items=[card(view, data, entry, lead=number == 1 and index == 0) for index, entry in enumerate(chunk)],
        number=number, total=total,
        pager=numbered_pager(view, number, total, home_location),
        groups=[(g.name, kecamatan_location(g.slug), len(g.members)) for g in kecamatan_groups(data)],
    )
    return page_html(view, "portal_home.html", context)


@renderer("portal_directory")
def render_directory(view: BuildView, output: Output) -> bytes:
    data = portal_data(view)
    lang = view.config.language
    summary = summary_of(view.memo, data)
    activity = {a.key: a for a in summary.members}
    context = _context(view, data, PORTAL_DIRECTORY, ui("portal_directory", lang))
    own = [g for g in kecamatan_groups(data) if not g.members[0].region]
    context.update(
        groups=[{"name": g.name, "href": kecamatan_location(g.slug),
                 "kims": [kim_row(view, data, m, activity[m.key]) for m in g.members]}
                for g in own],
        other_feeds=[kim_row(view, data, m, activity[m.key]) for m in data.members if not m.is_kim],
        summary=summary, active_days=ACTIVE_DAYS, regions=region_activity(data),
        region_kecamatan=region_kecamatan(data, activity),
    )
    return page_html(view, "portal_directory.html", context)


def region_kecamatan(data: PortalData, activity: dict[str, MemberActivity]) -> list[dict]:
    """The kecamatan of each region, as links with KIM counts: a province lists thousands of KIMs,
    so its directory links to their kecamatan pages instead of listing them all (a page of
    2 MB for 27 regencies of 136 KIMs)."""
    regions: dict[str, list[dict]] = {}
    for group in kecamatan_groups(data):
        first = group.members[0]
        if first.region:
            regions.setdefault(first.region, []).append({
                "name": first.kecamatan, "href": kecamatan_location(group.slug), "kims": len(group.members),
                "active": sum(1 for m in group.members if activity[m.key].active)})
    return [{"name": name, "kecamatan": sorted(items, key=lambda k: k["name"].casefold())}
            for name, items in sorted(regions.items(), key=lambda pair: pair[0].casefold())]


@renderer("portal_kecamatan")
def render_kecamatan(view: BuildView, output: Output) -> bytes:
    data = portal_data(view)
    lang = view.config.language
    (slug,) = output.params
    group: KecamatanGroup = next(g for g in kecamatan_groups(data) if g.slug == slug)
    summary = summary_of(view.memo, data)
    activity = {a.key: a for a in summary.members}
    kims = []
    for member in group.members:
        row = kim_row(view, data, member, activity[member.key])
        row["latest_items"] = [card(view, data, e) for e in member.entries[:KECAMATAN_LATEST]]
        kims.append(row)
    context = _context(view, data, kecamatan_location(slug), ui("portal_kecamatan_title", lang, name=group.name))
    context.update(name=group.name, kims=kims, active_days=ACTIVE_DAYS,
                   active=sum(1 for k in kims if k["active"]))
    return page_html(view, "portal_kecamatan.html", context)


def chart_bars(summary, lang: str) -> list[Bar]:
    from kimsite.base.dates import format_month
    from kimsite.portal.chart import Bar

    bars = []
    for index, (year, month, count) in enumerate(summary.months):
        shown = month in (1, 4, 7, 10)  # a label every quarter keeps the axis readable on a phone
        bars.append(Bar(label=format_month(year, month, lang, short=True)[:3] if shown else "",
                        group=str(year) if month == 1 or (index == 0 and month <= 10) else "",
                        title=f"{format_month(year, month, lang)}: {ui('articles_count', lang, n=count)}",
                        value=count))
    return bars


@renderer("portal_data")
def render_data(view: BuildView, output: Output) -> bytes:
    from kimsite.base.dates import format_month
    from kimsite.portal.chart import bar_chart

    data = portal_data(view)
    lang = view.config.language
    summary = summary_of(view.memo, data)
    first, last = summary.months[0], summary.months[-1]
    total = sum(count for _, _, count in summary.months)
    description = ui("portal_chart_desc", lang, start=format_month(first[0], first[1], lang),
                     end=format_month(last[0], last[1], lang), total=total,
                     peak=max(count for _, _, count in summary.months))
    chart = bar_chart(chart_bars(summary, lang), ui("portal_per_month", lang), description)
    members = {m.key: m for m in data.members}
    context = _context(view, data, PORTAL_DATA, ui("portal_data", lang))
    context.update(
        summary=summary, chart=chart, chart_total=total, active_days=ACTIVE_DAYS,
        months=[(format_month(y, m, lang), count) for y, m, count in summary.months],
        rows=[kim_row(view, data, members[a.key], a) for a in summary.members if not members[a.key].region
              or members[a.key].is_portal],
        regions=region_activity(data),
        downloads=((PORTAL_CSV_KIMS, ui("portal_csv_kims", lang)), (PORTAL_CSV_MONTHS, ui("portal_csv_months", lang)),
                   (PORTAL_JSON_DATA, ui("portal_json", lang))),
    )
    return page_html(view, "portal_data.html", context)
